"""Indicators counted from multi-agency meetings (app `meetings`)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from svduty.cases.models import PlanActionStatus
from svduty.meetings.models import (
    CONTRIBUTED,
    AgendaItem,
    Attendance,
    DecisionAction,
    Invitation,
    Meeting,
    MeetingStatus,
    MeetingType,
)

from .common import columns, local_day
from .registry import Indicator, Kind, register


def _meeting_scope(path: str):
    def scope(qs: QuerySet[Any, Any], user: Any) -> QuerySet[Any, Any]:
        visible = Meeting.objects.visible_to(user).values("pk")
        return qs.filter(**{f"{path}__in": visible})

    return scope


def attendance(ids: Collection[int]) -> QuerySet[Any, Any]:
    qs = (
        Invitation.objects.filter(
            meeting__partnership_id__in=ids,
            meeting__held_on__lte=timezone.localdate(),
        )
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .exclude(attendance=Attendance.NOT_RECORDED)
    )
    return columns(
        qs,
        on=F("meeting__held_on"),
        partnership="meeting__partnership_id",
        agency="agency_id",
        person=None,
        hit=Q(attendance__in=list(CONTRIBUTED)),
    ).annotate(ev_link=F("meeting_id"))


def actions_on_time(ids: Collection[int]) -> QuerySet[Any, Any]:
    qs = (
        DecisionAction.objects.filter(
            decision__meeting__partnership_id__in=ids,
            plan_action__due_on__lt=timezone.localdate(),
        )
        .exclude(plan_action__status=PlanActionStatus.CANCELLED)
        .annotate(done_on=local_day("plan_action__completed_at"))
    )
    return columns(
        qs,
        on=F("plan_action__due_on"),
        partnership="decision__meeting__partnership_id",
        agency="plan_action__owner_agency_id",
        person="plan_action__plan__person_id",
        hit=Q(
            plan_action__status=PlanActionStatus.DONE,
            done_on__lte=F("plan_action__due_on"),
        ),
    )


def children_discussed(ids: Collection[int]) -> QuerySet[Any, Any]:
    qs = AgendaItem.objects.filter(
        meeting__partnership_id__in=ids,
        meeting__meeting_type=MeetingType.MACE,
        person__isnull=False,
    ).exclude(meeting__status=MeetingStatus.CANCELLED)
    return columns(
        qs,
        on=F("meeting__held_on"),
        partnership="meeting__partnership_id",
        agency=None,
        person="person_id",
        hit=True,
    )


def _meeting_link(row: dict[str, Any]) -> str:
    return reverse("meetings:detail", kwargs={"pk": row["ev_link"]})


register(
    Indicator(
        key="meeting-attendance",
        outcome=6,
        title="Meeting attendance by agency",
        definition="Of the invitations to multi-agency meetings held, the share "
        "where the agency attended or sent a report instead.",
        numerator="Invitations where the agency attended or sent a report.",
        denominator="Invitations to meetings held (not cancelled) with attendance "
        "recorded, by the month held.",
        source="meetings",
        kind=Kind.RATE,
        records=attendance,
        record_label="invitation",
        scope=_meeting_scope("meeting"),
        link=_meeting_link,
    )
)
register(
    Indicator(
        key="meeting-actions-on-time",
        outcome=6,
        title="Meeting actions done on time",
        definition="Of the actions agreed at multi-agency meetings that fell due, "
        "the share done by their due date.",
        numerator="Actions marked done on or before the due date.",
        denominator="Actions agreed at meetings, due before today (cancelled left "
        "out), by the month due.",
        source="meetings",
        kind=Kind.RATE,
        records=actions_on_time,
        record_label="agreed action",
    )
)
register(
    Indicator(
        key="children-discussed-mace",
        outcome=1,
        title="Children discussed at MACE panels",
        definition="How many times children were on the agenda of a multi-agency "
        "child exploitation (MACE) panel.",
        numerator="Children's agenda items at MACE panels.",
        denominator="The same items, by the month of the panel (a count).",
        source="meetings",
        kind=Kind.COUNT,
        higher_is_better=None,
        records=children_discussed,
        record_label="agenda item",
    )
)
