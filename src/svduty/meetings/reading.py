"""What one user may read of a meeting, in a fixed number of queries.

The page and the API both read through `meeting_for(user, meeting)`: the agenda, the
papers, the minutes and the decisions are split by child and filtered by the cases
policy (`Person.objects.visible_to`), once for the whole meeting. Children the user
may not see are counted, never named.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet, TextChoices
from django.utils import timezone

from svduty.accounts.models import User
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.cases.models import Person, PlanAction, PlanActionStatus, RiskLevel
from svduty.cases.policies import prime_user
from svduty.places.models import PeerGroup, Place

from .models import (
    AgendaItem,
    Attendance,
    Decision,
    DecisionAction,
    Invitation,
    Meeting,
    Minute,
    MinutePart,
)

# The page and the API read plain rows (`.values()`), not model instances: a
# 40-item panel made about 230 instances, a third of the page's CPU (issue 11,
# benchmarks/bench_meetings.py). The rows carry what the template and the API show.


@dataclass(slots=True)
class InvitationRow:
    pk: int
    agency_name: str
    person_name: str  # "" for any representative of the agency
    attendance: str
    attendance_label: str


@dataclass(slots=True)
class ItemRow:
    pk: int
    kind: str
    person_id: int | None
    person_name: str  # "" unless the item is about a child
    place_id: int | None
    peer_group_id: int | None
    title: str  # the place's or peer group's name, or the item's own title
    triggers: list[dict[str, Any]]
    paper: str


@dataclass(slots=True)
class ActionRow:
    """A plan action agreed at the meeting (the row lives in the child's plan)."""

    plan_action_id: int
    plan_id: int
    text: str
    owner_name: str
    agency_name: str
    due_on: dt.date
    status: str
    status_label: str
    is_overdue: bool


@dataclass(slots=True)
class DecisionRow:
    pk: int
    person_id: int | None
    place_id: int | None
    peer_group_id: int | None
    text: str
    agreed_risk_level: str
    risk_level_label: str
    actions: list[ActionRow] = field(default_factory=list)


@dataclass(slots=True)
class MinuteRow:
    pk: int
    heading: str
    text: str


@dataclass(slots=True)
class PartRow:
    minute_id: int
    person_id: int
    person_name: str
    text: str


@dataclass
class ChildSection:
    """Everything the meeting holds about one child (or one place or peer group)
    the reader may see."""

    item: ItemRow
    minute_parts: list[PartRow] = field(default_factory=list)
    decisions: list[DecisionRow] = field(default_factory=list)


@dataclass
class MeetingView:
    meeting: Meeting
    invitations: list[InvitationRow]
    items: list[ItemRow]  # visible items, in agenda order
    sections: dict[int, ChildSection]  # by person id
    minutes: list[tuple[MinuteRow, list[PartRow]]]
    hidden_children: int  # on the agenda, not visible to the reader
    hidden_minute_parts: int
    hidden_decisions: int
    hidden_contexts: int = 0  # places and peer groups the reader may not see
    context_sections: dict[tuple[str, int], ChildSection] = field(default_factory=dict)

    @property
    def rows(self) -> list[tuple[ItemRow, ChildSection | None]]:
        return [(i, self._section(i)) for i in self.items]

    def _section(self, item: ItemRow) -> ChildSection | None:
        if item.person_id:
            return self.sections.get(item.person_id)
        key = _context_key(item)
        return self.context_sections.get(key) if key else None

    @property
    def people_shown(self) -> list[int]:
        return sorted(self.sections)


def _name(first: str | None, last: str | None) -> str:
    """A child's name as `Person.__str__` gives it."""
    return f"{first} {last}"


def _labels(choices: type[TextChoices]) -> dict[str, str]:
    """Value to label, as `get_FOO_display()` gives it."""
    return {str(value): str(label) for value, label in choices.choices}


def meeting_for(user: User, meeting: Meeting) -> MeetingView:
    prime_user(user)
    attendance = _labels(Attendance)
    invitations = [
        InvitationRow(
            pk=row["pk"],
            agency_name=row["agency__name"],
            person_name=(row["user__full_name"] or row["user__username"])
            if row["user_id"] is not None
            else "",
            attendance=row["attendance"],
            attendance_label=attendance.get(row["attendance"], row["attendance"]),
        )
        for row in Invitation.objects.filter(meeting=meeting).values(
            "pk",
            "agency__name",
            "user_id",
            "user__full_name",
            "user__username",
            "attendance",
        )
    ]
    all_items = [
        ItemRow(
            pk=row["pk"],
            kind=row["kind"],
            person_id=row["person_id"],
            person_name=_name(row["person__first_name"], row["person__last_name"])
            if row["person_id"] is not None
            else "",
            place_id=row["place_id"],
            peer_group_id=row["peer_group_id"],
            title=row["place__name"] or row["peer_group__name"] or row["title"],
            triggers=row["triggers"],
            paper=row["paper"],
        )
        for row in AgendaItem.objects.filter(meeting=meeting).values(
            "pk",
            "kind",
            "person_id",
            "person__first_name",
            "person__last_name",
            "place_id",
            "place__name",
            "peer_group_id",
            "peer_group__name",
            "title",
            "triggers",
            "paper",
        )
    ]
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
        key: ChildSection(item=i) for i in items if (key := _context_key(i)) is not None
    }
    sections = {
        i.person_id: ChildSection(item=i) for i in items if i.person_id is not None
    }
    minutes = [
        MinuteRow(pk=row["pk"], heading=row["heading"], text=row["text"])
        for row in Minute.objects.filter(meeting=meeting).values(
            "pk", "heading", "text"
        )
    ]
    parts = MinutePart.objects.filter(minute__meeting=meeting)
    by_minute: dict[int, list[PartRow]] = {}
    if visible:
        for row in parts.filter(person_id__in=visible).values(
            "minute_id", "person_id", "person__first_name", "person__last_name", "text"
        ):
            part = PartRow(
                minute_id=row["minute_id"],
                person_id=row["person_id"],
                person_name=_name(row["person__first_name"], row["person__last_name"]),
                text=row["text"],
            )
            by_minute.setdefault(part.minute_id, []).append(part)
            if part.person_id in sections:
                sections[part.person_id].minute_parts.append(part)
    decisions = Decision.objects.filter(meeting=meeting)
    shown_decisions = _decisions(
        decisions.filter(
            Q(person_id__in=visible)
            | Q(place_id__in=seen_places)
            | Q(peer_group_id__in=seen_groups)
        )
        if visible or seen_places or seen_groups
        else None
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


def _decisions(shown: QuerySet | None) -> list[DecisionRow]:
    """The decisions the reader may see, with their plan actions: two queries (none
    when the reader may see nothing the decisions could be about)."""
    if shown is None:
        return []
    risk = _labels(RiskLevel)
    rows = {
        row["pk"]: DecisionRow(
            pk=row["pk"],
            person_id=row["person_id"],
            place_id=row["place_id"],
            peer_group_id=row["peer_group_id"],
            text=row["text"],
            agreed_risk_level=row["agreed_risk_level"],
            risk_level_label=risk.get(
                row["agreed_risk_level"], row["agreed_risk_level"]
            ),
        )
        for row in shown.values(
            "pk", "person_id", "place_id", "peer_group_id", "text", "agreed_risk_level"
        )
    }
    if not rows:
        return []
    status = _labels(PlanActionStatus)
    today = timezone.localdate()
    for row in DecisionAction.objects.filter(decision_id__in=rows).values(
        "decision_id",
        "plan_action_id",
        "plan_action__plan_id",
        "plan_action__text",
        "plan_action__owner__full_name",
        "plan_action__owner__username",
        "plan_action__owner_agency__name",
        "plan_action__due_on",
        "plan_action__status",
    ):
        state = row["plan_action__status"]
        rows[row["decision_id"]].actions.append(
            ActionRow(
                plan_action_id=row["plan_action_id"],
                plan_id=row["plan_action__plan_id"],
                text=row["plan_action__text"],
                owner_name=row["plan_action__owner__full_name"]
                or row["plan_action__owner__username"],
                agency_name=row["plan_action__owner_agency__name"],
                due_on=row["plan_action__due_on"],
                status=state,
                status_label=status.get(state, state),
                # As PlanAction.is_overdue: open and past its due date.
                is_overdue=state in PlanAction.OPEN_STATUSES
                and today > row["plan_action__due_on"],
            )
        )
    return list(rows.values())


def _visible_ids(queryset: Callable[[], QuerySet], ids: set[int]) -> set[int]:
    """The ids in `ids` that `queryset()` (limited to the reader) holds; with none
    to check, neither a query nor the policy's filter is built (a peer group's
    policy builds the children's, which costs milliseconds of CPU a page)."""
    if not ids:
        return set()
    return set(queryset().filter(pk__in=ids).values_list("pk", flat=True))


def _context_key(row: ItemRow | DecisionRow) -> tuple[str, int] | None:
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
