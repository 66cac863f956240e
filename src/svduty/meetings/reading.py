"""What one user may read of a meeting, in a fixed number of queries.

The page and the API both read through `meeting_for(user, meeting)`: the agenda, the
papers, the minutes and the decisions are split by child and filtered by the cases
policy (`Person.objects.visible_to`), once for the whole meeting. Children the user
may not see are counted, never named.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch

from svduty.accounts.models import User
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.cases.models import Person
from svduty.cases.policies import prime_user

from .models import (
    AgendaItem,
    Decision,
    DecisionAction,
    Invitation,
    Meeting,
    Minute,
    MinutePart,
)


@dataclass
class ChildSection:
    """Everything the meeting holds about one child the reader may see."""

    item: AgendaItem
    person: Person
    minute_parts: list[MinutePart] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)


@dataclass
class MeetingView:
    meeting: Meeting
    invitations: list[Invitation]
    items: list[AgendaItem]  # visible items, in agenda order
    sections: dict[int, ChildSection]  # by person id
    minutes: list[tuple[Minute, list[MinutePart]]]
    hidden_children: int  # on the agenda, not visible to the reader
    hidden_minute_parts: int
    hidden_decisions: int

    @property
    def rows(self) -> list[tuple[AgendaItem, ChildSection | None]]:
        return [
            (i, self.sections.get(i.person_id) if i.person_id else None)
            for i in self.items
        ]

    @property
    def people_shown(self) -> list[int]:
        return sorted(self.sections)


def meeting_for(user: User, meeting: Meeting) -> MeetingView:
    prime_user(user)
    invitations = list(
        Invitation.objects.filter(meeting=meeting).select_related("agency", "user")
    )
    all_items = list(
        AgendaItem.objects.filter(meeting=meeting).select_related("person")
    )
    on_agenda = {i.person_id for i in all_items if i.person_id is not None}
    visible = (
        set(
            Person.objects.visible_to(user)
            .filter(pk__in=on_agenda)
            .values_list("pk", flat=True)
        )
        if on_agenda
        else set()
    )
    items = [i for i in all_items if i.person_id is None or i.person_id in visible]
    sections = {
        i.person_id: ChildSection(item=i, person=i.person)
        for i in items
        if i.person_id is not None
    }
    minutes = list(Minute.objects.filter(meeting=meeting))
    parts = MinutePart.objects.filter(minute__meeting=meeting)
    shown_parts = list(parts.filter(person_id__in=visible).select_related("person"))
    by_minute: dict[int, list[MinutePart]] = {}
    for part in shown_parts:
        by_minute.setdefault(part.minute_id, []).append(part)
        if part.person_id in sections:
            sections[part.person_id].minute_parts.append(part)
    decisions = Decision.objects.filter(meeting=meeting)
    shown_decisions = list(
        decisions.filter(person_id__in=visible).prefetch_related(
            Prefetch(
                "actions",
                queryset=DecisionAction.objects.select_related(
                    "plan_action__owner", "plan_action__owner_agency"
                ),
            )
        )
    )
    for decision in shown_decisions:
        if decision.person_id in sections:
            sections[decision.person_id].decisions.append(decision)
    hidden = len(on_agenda - visible)
    return MeetingView(
        meeting=meeting,
        invitations=invitations,
        items=items,
        sections=sections,
        minutes=[(m, by_minute.get(m.pk, [])) for m in minutes],
        hidden_children=hidden,
        hidden_minute_parts=parts.exclude(person_id__in=visible).count()
        if hidden
        else 0,
        hidden_decisions=decisions.exclude(person_id__in=visible).count()
        if hidden
        else 0,
    )


def audit_meeting_view(user: User, view: MeetingView, *, page: str) -> None:
    """One event per view, naming the children whose parts were shown (DPA 2018
    s.62: consultation)."""
    record(
        AuditAction.VIEW,
        actor=user,
        target=view.meeting,
        detail={
            "page": page,
            "people": view.people_shown,
            "hidden_children": view.hidden_children,
        },
    )
