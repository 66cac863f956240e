"""Recording an inspection data export (who exported what, and why identifiers)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from svduty.accounts.models import User
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.cases.policies import user_partnership_ids
from svduty.core.authorisation import Permission
from svduty.core.policies import has_permission
from svduty.evidence import inspection
from svduty.evidence.models import InspectionExport, InspectionList
from svduty.partnership.models import Partnership


@transaction.atomic
def record_inspection_export(
    *,
    by: User,
    partnership: Partnership,
    kind: str,
    period_start: dt.date,
    period_end: dt.date,
    with_identifiers: bool = False,
    reason: str = "",
) -> InspectionExport:
    """Check the request and record it (with its audit event) before any row is
    produced; the caller then streams `inspection.rows` for it."""
    if not has_permission(by, Permission.EXPORT_INSPECTION_DATA):
        raise PermissionDenied("You cannot export inspection data.")
    if partnership.pk not in user_partnership_ids(by):
        raise PermissionDenied("You do not work in this partnership.")
    if kind not in InspectionList.values:
        raise ValidationError({"kind": "Choose a list"})
    if period_end < period_start:
        raise ValidationError(
            {"period_end": "The end of the period must be on or after its start"}
        )
    reason = reason.strip()
    if with_identifiers and not reason:
        raise ValidationError(
            {"reason": "Enter why the inspection needs names and dates of birth"}
        )
    count = inspection.children(kind, partnership.pk, period_start, period_end).count()
    export = InspectionExport.objects.create(
        partnership=partnership,
        kind=kind,
        period_start=period_start,
        period_end=period_end,
        with_identifiers=with_identifiers,
        reason=reason if with_identifiers else "",
        children=count,
        exported_by=by,
    )
    record(
        AuditAction.EXPORT,
        actor=by,
        target=export,
        detail={
            "evidence": "inspection data request",
            "list": kind,
            "from": f"{period_start}",
            "to": f"{period_end}",
            "children": count,
            "identifiers": with_identifiers,
            "reason": export.reason,
        },
    )
    return export
