"""The inspection data request (reference B.2 and B.6): the lists of children an
inspection asks for within days, pseudonymised by default.

A pseudonym is a keyed hash (HMAC-SHA256 with the installation's secret key) of the
child's record id: the same child has the same pseudonym in every list, so an
inspector can join the lists, but it cannot be turned back into the child without the
key. Direct identifiers (name, date of birth) appear only when the user chose them and
gave a reason (the action and the database insist; the export is audited)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterator, Mapping
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from svduty.cases.models import MissingEpisode, Person, Referral
from svduty.meetings.models import AgendaItem, MeetingStatus, MeetingType
from svduty.services.models import ServiceReferral

from .models import InspectionList, SampleCase

PSEUDONYMOUS_HEAD = [
    "Pseudonym",
    "Age",
    "Sex",
    "Ethnicity",
    "Special educational needs",
    "Legal status",
    "Risk level",
    "Current plan",
    "Education setting recorded",
]
IDENTIFIER_HEAD = ["First name", "Last name", "Date of birth"]


def pseudonym(person_id: int) -> str:
    key = settings.SECRET_KEY.encode()
    digest = hmac.new(key, f"inspection:{person_id}".encode(), hashlib.sha256)
    return "C-" + digest.hexdigest()[:12].upper()


def _local_range(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def person_ids(
    kind: str, partnership_id: int, start: dt.date, end: dt.date
) -> QuerySet[Any, Any]:
    since, until = _local_range(start, end)
    if kind == InspectionList.REFERRED:
        return Referral.objects.filter(
            partnership_id=partnership_id, received_at__gte=since, received_at__lt=until
        ).values("person_id")
    if kind == InspectionList.MACE:
        return (
            AgendaItem.objects.filter(
                meeting__partnership_id=partnership_id,
                meeting__meeting_type=MeetingType.MACE,
                meeting__held_on__range=(start, end),
                person__isnull=False,
            )
            .exclude(meeting__status=MeetingStatus.CANCELLED)
            .values("person_id")
        )
    if kind == InspectionList.MISSING:
        return MissingEpisode.objects.filter(
            person__partnership_id=partnership_id,
            started_at__gte=since,
            started_at__lt=until,
        ).values("person_id")
    if kind == InspectionList.SERVICES:
        return (
            ServiceReferral.objects.filter(
                person__partnership_id=partnership_id, referred_on__lte=end
            )
            .exclude(ended_on__lt=start)
            .values("person_id")
        )
    if kind == InspectionList.AUDITED:
        return SampleCase.objects.filter(
            sample__partnership_id=partnership_id,
            audited_at__gte=since,
            audited_at__lt=until,
        ).values("person_id")
    raise ValueError(kind)


AUDIT_HEAD = ["Audit", "Audited on", "Grade", "Moderated grade"]


def extra_columns(
    kind: str, partnership_id: int, start: dt.date, end: dt.date
) -> tuple[list[str], dict[int, list[Any]]]:
    """The columns a list adds after the child's: for the audited children, the
    latest audit of their case in the period (the audit's name, day and grades; not
    its free-text learning, which may name people)."""
    if kind != InspectionList.AUDITED:
        return [], {}
    since, until = _local_range(start, end)
    found: dict[int, list[Any]] = {}
    cases = (
        SampleCase.objects.filter(
            sample__partnership_id=partnership_id,
            audited_at__gte=since,
            audited_at__lt=until,
        )
        .select_related("sample")
        .order_by("audited_at", "pk")
    )
    for case in cases:  # the latest wins
        found[case.person_id] = [
            case.sample.title,
            f"{timezone.localtime(case.audited_at):%Y-%m-%d}",
            case.get_grade_display(),
            case.get_moderated_grade_display() if case.moderated_grade else "",
        ]
    return AUDIT_HEAD, found


def children(
    kind: str, partnership_id: int, start: dt.date, end: dt.date
) -> QuerySet[Person, Person]:
    return Person.objects.filter(
        partnership_id=partnership_id,
        pk__in=person_ids(kind, partnership_id, start, end),
    ).order_by("pk")


def rows(
    people: QuerySet[Person, Person],
    *,
    identifiers: bool,
    today: dt.date,
    extra: Mapping[int, list[Any]] | None = None,
) -> Iterator[list[Any]]:
    for p in people.iterator(chunk_size=500):
        row: list[Any] = [
            pseudonym(p.pk),
            p.age_on(today) if p.date_of_birth else "",
            p.get_sex_display(),
            p.get_ethnicity_display(),
            p.get_sen_status_display(),
            p.get_legal_status_display(),
            p.get_risk_level_display() if p.risk_level else "",
            "Yes" if p.has_current_plan else "No",
            "Yes" if p.education_setting else "No",
        ]
        if identifiers:
            row += [
                p.first_name,
                p.last_name,
                f"{p.date_of_birth:%Y-%m-%d}" if p.date_of_birth else "",
            ]
        if extra is not None:
            row += extra.get(p.pk, [])
        yield row


def head(identifiers: bool, extra: list[str] | None = None) -> list[str]:
    return PSEUDONYMOUS_HEAD + (IDENTIFIER_HEAD if identifiers else []) + (extra or [])
