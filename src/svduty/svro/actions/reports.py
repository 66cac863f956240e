"""Publishing the SVRO transparency report on the public pages (issue 10 point 6)."""

from __future__ import annotations

from dataclasses import asdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from svduty.accounts.models import Agency, User
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.core.authorisation import Permission
from svduty.core.policies import has_permission

from ..models import PublishedReport, ReportWithdrawal
from ..policies import may_publish_for
from ..scrutiny import Filters, report_sections


@transaction.atomic
def publish_report(*, by: User, filters: Filters) -> PublishedReport:
    """Publish the report for the period and force as it stands now: the suppressed
    tables are copied into the publication and the public pages show that copy,
    never a recount. Only the suppressed figures are copied; no table in the report
    names a person."""
    if not has_permission(by, Permission.PUBLISH_SVRO_REPORT):
        raise PermissionDenied("You cannot publish the transparency report.")
    if filters.end > timezone.localdate():
        raise ValidationError({"months": "The period must not end in the future"})
    if filters.start > filters.end:
        raise ValidationError({"months": "The period must start before it ends"})
    force = None
    if filters.force_id is not None:
        force = Agency.objects.filter(pk=filters.force_id).first()
        if force is None:
            raise ValidationError({"force": "Choose a force from the list"})
    if not may_publish_for(by, filters.force_id):
        raise PermissionDenied(
            "You can publish the report only for the force areas your partnership "
            "covers."
        )
    main, sections = report_sections(filters)
    frozen = [
        {
            "item": section["item"],
            "title": section["title"],
            "tables": [asdict(t) for t in section["tables"]],
        }
        for section in sections
    ]
    report = PublishedReport.objects.create(
        period_start=filters.start,
        period_end=filters.end,
        force=force,
        force_name=force.name if force else "All forces",
        sections=frozen,
        figures_as_at=main.computed_at or timezone.now(),
        published_by=by,
    )
    record(
        AuditAction.PUBLISH,
        actor=by,
        target=report,
        detail={
            "start": str(filters.start),
            "end": str(filters.end),
            "force": filters.force_id,
            "tables": sum(len(s["tables"]) for s in frozen),
        },
    )
    return report


@transaction.atomic
def withdraw_report(
    *, by: User, report: PublishedReport, reason: str
) -> ReportWithdrawal:
    """Take a published report off the public pages: its page then says that it was
    withdrawn, when and why, and no longer gives the figures (nor the PDF, CSV or
    spreadsheet). The publication stays as it was published; the withdrawal is
    recorded beside it, once, and cannot be undone (also held by the database)."""
    if not has_permission(by, Permission.PUBLISH_SVRO_REPORT):
        raise PermissionDenied("You cannot withdraw a transparency report.")
    if not may_publish_for(by, report.force_id):
        raise PermissionDenied(
            "You can withdraw the report only for the force areas your partnership "
            "covers."
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the report is withdrawn"})
    locked = PublishedReport.objects.select_for_update().get(pk=report.pk)
    if ReportWithdrawal.objects.filter(report=locked).exists():
        raise ValidationError("This report has already been withdrawn")
    withdrawal = ReportWithdrawal.objects.create(
        report=locked, reason=reason, withdrawn_by=by
    )
    record(
        AuditAction.CHANGE,
        actor=by,
        target=locked,
        detail={"change": "withdrawn", "reason": reason},
    )
    return withdrawal
