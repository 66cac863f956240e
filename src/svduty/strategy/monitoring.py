"""The local policing body's side-by-side view (s.14 monitoring): every partnership
in its force area with strategy status, review due, consultation and sign-off
completeness and the SNA version, one row each, also as CSV."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.apps import apps

from svduty.partnership.models import Partnership

from .actions import consultation_gaps, required_consultees, sign_off_status
from .publication import current_version


@dataclass(frozen=True)
class MonitoringRow:
    partnership: Partnership
    status: str
    version_number: int | None
    published_on: dt.date | None
    review_due_on: dt.date | None
    review_overdue: bool
    definition_version: int | None
    consulted: int
    to_consult: int
    consultation_gaps: int
    signed_off: int
    to_sign: int
    sna: str

    @property
    def csv(self) -> list[object]:
        return [
            self.partnership.name,
            self.status,
            self.version_number or "",
            self.published_on.isoformat() if self.published_on else "",
            self.review_due_on.isoformat() if self.review_due_on else "",
            "yes" if self.review_overdue else "no",
            self.definition_version or "",
            f"{self.consulted} of {self.to_consult}",
            self.consultation_gaps,
            f"{self.signed_off} of {self.to_sign}",
            self.sna,
        ]


CSV_HEADER = [
    "Partnership",
    "Strategy status",
    "Strategy version",
    "Published on",
    "Review due by",
    "Review overdue",
    "Local definition version",
    "Relevant authorities consulted",
    "Consultation gaps",
    "Specified authorities signed off",
    "SNA",
]


def _sna(partnership: Partnership) -> str:
    try:
        model = apps.get_model("analysis", "SnaVersion")
    except LookupError:
        return "Not recorded in svduty"
    signed = (
        model._default_manager.filter(
            partnership=partnership, signed_off_at__isnull=False
        )
        .order_by("-signed_off_at")
        .first()
    )
    if signed is None:
        return "No signed-off version"
    return f"Version {signed.number}, signed off {signed.signed_off_at:%-d %B %Y}"


def monitoring_row(partnership: Partnership, today: dt.date) -> MonitoringRow:
    latest = partnership.strategy_versions.order_by("-number").first()
    current = current_version(partnership)
    if latest is None:
        return MonitoringRow(
            partnership=partnership,
            status="No strategy",
            version_number=None,
            published_on=None,
            review_due_on=None,
            review_overdue=False,
            definition_version=None,
            consulted=0,
            to_consult=0,
            consultation_gaps=0,
            signed_off=0,
            to_sign=0,
            sna=_sna(partnership),
        )
    standing = {
        c.authority_id
        for c in latest.consultations.all()
        if c.authority_id and c.stands
    }
    consultees = required_consultees(latest)
    signatories = sign_off_status(latest)
    shown = current or latest
    return MonitoringRow(
        partnership=partnership,
        status=latest.get_state_display(),
        version_number=latest.number,
        published_on=current.published_on if current else None,
        review_due_on=current.review_due_on if current else None,
        review_overdue=current.is_review_overdue(today) if current else False,
        definition_version=shown.definition.number if shown.definition else None,
        consulted=sum(1 for a in consultees if a.pk in standing),
        to_consult=len(consultees),
        consultation_gaps=len(consultation_gaps(latest)) if latest.is_editable else 0,
        signed_off=sum(1 for _m, s in signatories if s is not None),
        to_sign=len(signatories),
        sna=_sna(partnership),
    )


def monitoring_rows(partnerships, today: dt.date) -> list[MonitoringRow]:
    return [monitoring_row(p, today) for p in partnerships]
