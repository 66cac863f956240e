"""What one user may read of a meeting, in a fixed number of queries.

The page and the API both read through `meeting_for(user, meeting)`: the agenda, the
papers, the minutes and the decisions are split by child and filtered by the cases
policy (`Person.objects.visible_to`), once for the whole meeting. Children the user
may not see are counted, never named.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from svduty.accounts.models import User
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.cases.models import Person
from svduty.cases.policies import prime_user
from svduty.places.models import PeerGroup, Place

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
    person: Person | None  # None for a place or a peer group
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
    hidden_contexts: int = 0  # places and peer groups the reader may not see
    context_sections: dict[tuple[str, int], ChildSection] = field(default_factory=dict)

    @property
    def rows(self) -> list[tuple[AgendaItem, ChildSection | None]]:
        return [(i, self._section(i)) for i in self.items]

    def _section(self, item: AgendaItem) -> ChildSection | None:
        if item.person_id:
            return self.sections.get(item.person_id)
        key = _context_key(item)
        return self.context_sections.get(key) if key else None

    @property
    def people_shown(self) -> list[int]:
        return sorted(self.sections)


def meeting_for(user: User, meeting: Meeting) -> MeetingView:
    prime_user(user)
    invitations = list(
        Invitation.objects.filter(meeting=meeting).select_related("agency", "user")
    )
    all_items = list(
        AgendaItem.objects.filter(meeting=meeting).select_related(
            "person", "place", "peer_group"
        )
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
    places = {i.place_id for i in all_items if i.place_id is not None}
    groups = {i.peer_group_id for i in all_items if i.peer_group_id is not None}
    seen_places = _visible_ids(lambda: Place.objects.visible_to(user), places)
    seen_groups = _visible_ids(lambda: PeerGroup.objects.visible_to(user), groups)
    items = [
        i
        for i in all_items
        if (i.person_id is None or i.person_id in visible)
        and (i.place_id is None or i.place_id in seen_places)
        and (i.peer_group_id is None or i.peer_group_id in seen_groups)
    ]
    context_sections = {
        key: ChildSection(item=i, person=None)
        for i in items
        if (key := _context_key(i)) is not None
    }
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
        decisions.filter(
            Q(person_id__in=visible)
            | Q(place_id__in=seen_places)
            | Q(peer_group_id__in=seen_groups)
        ).prefetch_related(
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
        key = _context_key(decision)
        if key in context_sections:
            context_sections[key].decisions.append(decision)
    hidden = len(on_agenda - visible)
    hidden_contexts = len(places - seen_places) + len(groups - seen_groups)
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
        hidden_decisions=decisions.count() - len(shown_decisions)
        if hidden or hidden_contexts
        else 0,
        hidden_contexts=hidden_contexts,
        context_sections=context_sections,
    )


def _visible_ids(queryset: Callable[[], QuerySet], ids: set[int]) -> set[int]:
    """The ids in `ids` that `queryset()` (limited to the reader) holds; with none
    to check, neither a query nor the policy's filter is built (a peer group's
    policy builds the children's, which costs milliseconds of CPU a page)."""
    if not ids:
        return set()
    return set(queryset().filter(pk__in=ids).values_list("pk", flat=True))


def _context_key(row: AgendaItem | Decision) -> tuple[str, int] | None:
    if row.place_id is not None:
        return ("place", row.place_id)
    if row.peer_group_id is not None:
        return ("group", row.peer_group_id)
    return None


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
            "contexts": sorted(f"{kind} {pk}" for kind, pk in view.context_sections),
        },
    )
