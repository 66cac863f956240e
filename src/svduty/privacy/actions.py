"""The retention job (issue 14, point 10): erase what is due, log it without its
content, and tell the data protection officer what was removed.

Each record is erased in its own transaction together with its erasure log entry and
its audit event (DPA 2018 s.62: erasure is logged), so one record that cannot be
erased (a new kind of reference, a lock) does not stop the others; it is counted as a
failure, named by type and id, and reported to the DPO.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone

from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.core.authorisation import Permission
from svduty.core.policies import has_permission

from . import erasure
from .models import ErasureRecord, RetentionRun, RunStatus, SubjectAccessRequest
from .retention import RetentionRule, retention_rules
from .subject_access import (
    Subject,
    gather,
    identities,
    subject_kinds,
    subject_label,
    with_copies,
)

if TYPE_CHECKING:
    from svduty.accounts.models import User


def _erase_one(
    *, rule: RetentionRule, obj: Model, run: RetentionRun, by_label: str
) -> None:
    label = obj._meta.label_lower
    pk = obj.pk
    with transaction.atomic():
        dependants = rule.erase(obj) if rule.erase else erasure.erase(obj)
        ErasureRecord.objects.create(
            run=run,
            rule=rule.key,
            record_type=label,
            record_id=str(pk),
            method=str(rule.method),
            dependants=dependants or {},
            erased_by=by_label,
        )
        record(
            AuditAction.DELETE,
            actor_label=by_label,
            target_type=label,
            target_id=str(pk),
            # Never the record's own label: that would copy the erased content.
            target_label=f"Erased under the retention rule {rule.key}",
            detail={"rule": rule.key, "method": str(rule.method), "run": run.pk},
        )


def _erase_bulk(
    *, rule: RetentionRule, before: dt.datetime, run: RetentionRun, by_label: str
) -> int:
    due: Any = rule.due(before)
    with transaction.atomic():
        count = int(due.count())
        if not count:
            return 0
        label = due.model._meta.label_lower
        due.delete()
        ErasureRecord.objects.create(
            run=run,
            rule=rule.key,
            record_type=label,
            record_id=f"{count} before {before:%Y-%m-%d}",
            method=str(rule.method),
            dependants={due.model._meta.label: count},
            erased_by=by_label,
        )
        record(
            AuditAction.DELETE,
            actor_label=by_label,
            target_type=label,
            target_label=f"{count} erased under the retention rule {rule.key}",
            detail={"rule": rule.key, "rows": count, "run": run.pk},
        )
    return count


def apply_retention(
    *, today: dt.date | None = None, started_by: str = "command"
) -> RetentionRun:
    """Erase every record due under every registered rule on `today`."""
    today = today or timezone.localdate()
    run = RetentionRun.objects.create(run_for=today, started_by=started_by)
    by_label = f"Retention job ({started_by})"
    summary: dict[str, Any] = {"erased": {}, "failed": []}
    for rule in retention_rules():
        before = rule.period.before(today)
        erased = 0
        if rule.bulk:
            erased = _erase_bulk(rule=rule, before=before, run=run, by_label=by_label)
            summary["erased"][rule.key] = erased
            continue
        for obj in list(rule.due(before)):
            try:
                _erase_one(rule=rule, obj=obj, run=run, by_label=by_label)
            except Exception as error:  # noqa: BLE001 - reported, others go on
                summary["failed"].append(
                    {
                        "rule": rule.key,
                        "record": f"{obj._meta.label_lower}:{obj.pk}",
                        "error": type(error).__name__,
                    }
                )
            else:
                erased += 1
        summary["erased"][rule.key] = erased
    run.erased = sum(summary["erased"].values())
    run.failures = len(summary["failed"])
    run.summary = summary
    run.status = RunStatus.FAILED if run.failures else RunStatus.SUCCEEDED
    run.finished_at = timezone.now()
    run.save(update_fields=["erased", "failures", "summary", "status", "finished_at"])
    _tell_dpo(run)
    return run


def _tell_dpo(run: RetentionRun) -> None:
    """E-mail the DPO what was removed: counts by rule, never content.

    Sent when something was erased or failed; a quiet day sends nothing."""
    recipients = list(getattr(settings, "DPO_EMAILS", []) or [])
    if not recipients or not (run.erased or run.failures):
        return
    rules = {rule.key: rule for rule in retention_rules()}
    lines = [
        f"The retention job for {run.run_for:%d %B %Y} erased {run.erased} "
        f"record{'s' if run.erased != 1 else ''} that had passed their retention "
        "period:",
        "",
    ]
    for key, count in run.summary.get("erased", {}).items():
        if count:
            label = rules[key].label if key in rules else key
            lines.append(f"- {label} ({key}): {count}")
    if run.failures:
        lines += [
            "",
            f"{run.failures} record{'s' if run.failures != 1 else ''} could not be "
            "erased and will be tried again tomorrow:",
        ]
        lines += [
            f"- {item['record']} under {item['rule']} ({item['error']})"
            for item in run.summary.get("failed", [])
        ]
    lines += [
        "",
        "The erasure log names each record by type and id only:",
        f"{settings.SITE_URL}{reverse('privacy:erasure_log')}?run={run.pk}",
    ]
    send_mail(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}records erased under the "
        "retention schedule",
        message="\n".join(lines),
        from_email=None,
        recipient_list=recipients,
    )
    run.dpo_notified_at = timezone.now()
    run.save(update_fields=["dpo_notified_at"])


# --- Subject access (issue 14, point 11) ----------------------------------------


def _require_dpo(by: User) -> None:
    if not has_permission(by, Permission.DATA_PROTECTION):
        raise PermissionDenied("Only a data protection officer can do this.")


@transaction.atomic
def open_subject_access_request(
    *,
    by: User,
    subject_id: int,
    subject_type: str = "cases.person",
    received_on: dt.date | None = None,
) -> SubjectAccessRequest:
    _require_dpo(by)
    if subject_type not in subject_kinds():
        raise ValidationError({"subject_id": "Select the person the request is about"})
    subject = Subject(subject_type, subject_id)
    label = subject_label(subject)
    if label is None:
        raise ValidationError({"subject_id": "Select the person the request is about"})
    received = received_on or timezone.localdate()
    request = SubjectAccessRequest.objects.create(
        subject_type=subject_type,
        subject_id=subject_id,
        subject_label=label,
        received_on=received,
        due_on=received + relativedelta(months=1),
        opened_by=by,
    )
    record(
        AuditAction.CREATE,
        actor=by,
        target=request,
        detail={"subject": str(subject)},
    )
    return request


@transaction.atomic
def review_subject_access_request(
    *, by: User, request: SubjectAccessRequest, withheld: list[str]
) -> SubjectAccessRequest:
    _require_dpo(by)
    known = {item.key for section in gather(request.subject) for item in section.items}
    locked = SubjectAccessRequest.objects.select_for_update().get(pk=request.pk)
    locked.withheld = sorted(set(withheld) & known)
    locked.reviewed_at = timezone.now()
    locked.save(update_fields=["withheld", "reviewed_at"])
    record(
        AuditAction.CHANGE,
        actor=by,
        target=locked,
        detail={"withheld": len(locked.withheld), "items": len(known)},
    )
    return locked


def subject_access_pack(request: SubjectAccessRequest) -> dict[str, Any]:
    """The pack as JSON-ready data, withheld items replaced by a notice."""
    sections = []
    who = identities(request.subject)
    gathered = gather(request.subject)
    withheld = with_copies(gathered, request.withheld)
    for section in gathered:
        items: list[dict[str, Any]] = []
        for item in section.items:
            if item.key in withheld:
                reason = item.third_party or "third-party information"
                if item.key not in request.withheld:
                    reason = "a copy of an item withheld for that reason"
                items.append(
                    {
                        "heading": item.heading,
                        "withheld": "Withheld: it would identify someone else "
                        f"({reason}).",
                    }
                )
            else:
                items.append({"heading": item.heading, "fields": dict(item.fields)})
        sections.append({"title": section.source.title, "items": items})
    return {
        "request": request.pk,
        "subject": request.subject_label,
        "received_on": request.received_on.isoformat(),
        "produced_at": timezone.now().isoformat(),
        "records": [str(s) for s in sorted(who.subjects)],
        "sections": sections,
    }


@transaction.atomic
def export_subject_access_pack(
    *, by: User, request: SubjectAccessRequest, fmt: str = "json"
) -> dict[str, Any]:
    """The pack for the data subject, as data for the JSON file or the PDF. Each
    export is a disclosure of the person's record (DPA 2018 s.62), audited with
    the format, the records it was gathered from and the counts."""
    _require_dpo(by)
    if fmt not in ("json", "pdf"):
        raise ValidationError("Choose JSON or PDF")
    if request.reviewed_at is None:
        raise ValidationError(
            "Review the pack for third-party information before you export it"
        )
    pack = subject_access_pack(request)
    SubjectAccessRequest.objects.filter(pk=request.pk).update(
        exported_at=timezone.now()
    )
    items = sum(len(s["items"]) for s in pack["sections"])
    record(
        AuditAction.DISCLOSURE,
        actor=by,
        target_type=request.subject_type,
        target_id=str(request.subject_id),
        target_label=request.subject_label,
        detail={
            "subject_access_request": request.pk,
            "recipient": "the data subject",
            "format": fmt,
            "records": pack["records"],
            "items": items,
            "withheld": len(request.withheld),
        },
    )
    return pack
