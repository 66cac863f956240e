"""Retention rules for the audit trail itself (the privacy app sits above audit, so it
registers them; the apps that hold personal data register their own)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from svduty.audit.models import SECURITY_ACTIONS, AuditAction, AuditEvent

from .retention import Method, Period, RetentionRule, register_retention_rule
from .subject_access import (
    Identities,
    SubjectItem,
    SubjectSource,
    register_subject_source,
)


def _security_events(before: dt.datetime) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        occurred_at__lt=before, action__in=SECURITY_ACTIONS
    )


def _personal_data_events(before: dt.datetime) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(occurred_at__lt=before).exclude(
        action__in=SECURITY_ACTIONS
    )


def register() -> None:
    register_retention_rule(
        RetentionRule(
            key="audit.security_events",
            label="Security events in the audit trail: sign-ins, failed sign-ins, "
            "sign-outs, lock-outs and refused requests",
            default=Period(months=12),
            starts="the event",
            method=Method.ERASE,
            source="MoJ security guidance, Accounting: security logs kept at least 6 "
            "months and by default no more than 2 years (reference "
            "security-requirements.md, S18). The database refuses to delete one "
            "younger than 12 months.",
            due=_security_events,
            bulk=True,
        )
    )
    register_retention_rule(
        RetentionRule(
            key="audit.personal_data_events",
            label="The record of every view, search, export, disclosure and change "
            "of personal data (DPA 2018 s.62 log)",
            default=Period(months=72),
            starts="the event",
            method=Method.ERASE,
            source="College of Policing APP (MoPI): police records kept at least 6 "
            "years; the reference proposes the same for the s.62 log, for misuse "
            "investigations (security-requirements.md, S19; DPO to confirm). The "
            "database refuses to delete one younger than 6 years.",
            due=_personal_data_events,
            bulk=True,
        )
    )


def _disclosures(who: Identities) -> list[SubjectItem]:
    about = Q(pk__in=[])
    for subject in who.subjects:
        about |= Q(target_type=subject.kind, target_id=str(subject.id))
    events = (
        AuditEvent.objects.filter(about)
        .filter(
            action__in=[AuditAction.DISCLOSURE, AuditAction.EXPORT, AuditAction.PRINT]
        )
        .order_by("occurred_at", "id")
    )
    return [
        SubjectItem(
            key=f"audit.auditevent:{event.pk}",
            heading=f"{event.action_label} on {event.occurred_at:%d %B %Y}",
            fields=(
                ("When", f"{event.occurred_at:%d %B %Y %H:%M}"),
                ("By", event.actor_label),
                ("Agency", event.agency_label),
                *(
                    (("Recipient", str(event.detail["recipient"])),)
                    if "recipient" in event.detail
                    else ()
                ),
            ),
            third_party="names members of staff",
        )
        for event in events
    ]


def register_sources() -> None:
    register_subject_source(
        SubjectSource(
            key="privacy.disclosures",
            title="Who the record was disclosed to",
            collect=_disclosures,
        )
    )
