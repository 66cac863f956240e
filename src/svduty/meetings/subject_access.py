"""Multi-agency meetings in subject access (privacy app; issue 14, point 11): the
agenda items, minutes and decisions about a child. Minutes and decisions are
written by professionals at a meeting about several people, so every one is marked
for the DPO's review."""

from __future__ import annotations

from svduty.privacy.subject_access import (
    Identities,
    SubjectItem,
    SubjectSource,
    item_from,
    register_subject_source,
)

from .models import AgendaItem, Decision, DecisionAction, MinutePart

MEETING_TEXT = "written at a multi-agency meeting: may mention other people"


def _meetings(who: Identities) -> list[SubjectItem]:
    ids = who.ids("cases.person")
    items: list[SubjectItem] = []
    for agenda in (
        AgendaItem.objects.filter(person_id__in=ids)
        .select_related("meeting")
        .order_by("meeting__pk", "order", "pk")
    ):
        items.append(
            item_from(
                agenda,
                f"On the agenda of {agenda.meeting}",
                MEETING_TEXT,
                skip=("person", "subject_type", "subject_id"),
            )
        )
    for part in (
        MinutePart.objects.filter(person_id__in=ids)
        .select_related("minute__meeting")
        .order_by("pk")
    ):
        items.append(
            item_from(
                part,
                f"Minutes of {part.minute.meeting}",
                MEETING_TEXT,
                skip=("person",),
            )
        )
    for decision in (
        Decision.objects.filter(person_id__in=ids)
        .select_related("meeting")
        .order_by("pk")
    ):
        items.append(
            item_from(
                decision,
                f"Decision at {decision.meeting}",
                MEETING_TEXT,
                skip=("person",),
            )
        )
    for action in DecisionAction.objects.filter(decision__person_id__in=ids).order_by(
        "pk"
    ):
        items.append(item_from(action, "Action agreed at a meeting"))
    return items


def register() -> None:
    register_subject_source(
        SubjectSource(
            key="meetings",
            title="Multi-agency meetings: agenda items, minutes and decisions",
            collect=_meetings,
            models=(
                "meetings.agendaitem",
                "meetings.minutepart",
                "meetings.decision",
                "meetings.decisionaction",
            ),
        )
    )
