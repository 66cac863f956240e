"""Minutes split by child, decisions, and the actions they put in the children's
plans."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from svduty.accounts.models import User
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.cases import actions as case_actions
from svduty.cases.actions.common import chronology_entry
from svduty.cases.models import EventCategory, Person, Plan, PlanAction, RiskLevel
from svduty.cases.models.plans import PlanStatus
from svduty.meetings.models import (
    AgendaItem,
    Decision,
    DecisionAction,
    Meeting,
    Minute,
    MinutePart,
)
from svduty.places.models import PeerGroup, Place

from .common import (
    DEFAULT_REVIEW,
    context_subject,
    may_see_context,
    require_child,
    require_manager,
)


@transaction.atomic
def record_minute(
    *,
    by: User,
    meeting: Meeting,
    heading: str,
    text: str = "",
    parts: Mapping[Person, str] | None = None,
) -> Minute:
    """A minute, split by child: `text` is for every attendee (no names); each
    child's part is kept apart and added to that child's chronology, so the child's
    record holds only what was said about them."""
    require_manager(by, meeting)
    parts = {p: t.strip() for p, t in (parts or {}).items() if t and t.strip()}
    errors: dict[str, str] = {}
    if not heading.strip():
        errors["heading"] = "Enter a heading for the minute"
    if not text.strip() and not parts:
        errors["text"] = "Enter the minute, for everyone or for a child"
    on_agenda = set(
        meeting.agenda.filter(person__isnull=False).values_list("person_id", flat=True)
    )
    if any(person.pk not in on_agenda for person in parts):
        # A child's part goes into the child's chronology: only a child the meeting
        # discussed may have one (the page and the API offer no others).
        errors["parts"] = "A part of the minute can only be about a child on the agenda"
    if errors:
        raise ValidationError(errors)
    for person in parts:
        require_child(by, meeting, person)
    minute = Minute.objects.create(
        meeting=meeting, heading=heading.strip(), text=text.strip(), recorded_by=by
    )
    for person, part_text in parts.items():
        part = MinutePart.objects.create(minute=minute, person=person, text=part_text)
        chronology_entry(
            by=by,
            person=person,
            category=EventCategory.MEETING,
            summary=f"{meeting.get_meeting_type_display()}: {minute.heading}",
            detail=part_text,
            occurred_at=_meeting_time(meeting),
            source=part,
        )
    record(
        AuditAction.CREATE,
        actor=by,
        target=minute,
        detail={"meeting": meeting.pk, "people": sorted(p.pk for p in parts)},
    )
    return minute


def _meeting_time(meeting: Meeting) -> dt.datetime:
    """When the meeting happened, for the chronology (never in the future)."""
    moment = timezone.make_aware(
        dt.datetime.combine(meeting.held_on, meeting.starts_at or dt.time(10, 0))
    )
    return min(moment, timezone.now())


@dataclass(frozen=True)
class ActionSpec:
    """An action agreed with a decision (it becomes the child's plan action)."""

    text: str
    owner: User
    due_on: dt.date


@transaction.atomic
def record_decision(
    *,
    by: User,
    meeting: Meeting,
    person: Person | None = None,
    place: Place | None = None,
    peer_group: PeerGroup | None = None,
    text: str,
    agreed_risk_level: str = "",
    actions: Iterable[ActionSpec] = (),
) -> Decision:
    """A decision about one child (its actions go into the child's plan), or about
    one place or peer group on the agenda (MACE level 2)."""
    require_manager(by, meeting)
    if person is None:
        return _context_decision(
            by=by,
            meeting=meeting,
            place=place,
            peer_group=peer_group,
            text=text,
            agreed_risk_level=agreed_risk_level,
            actions=actions,
        )
    require_child(by, meeting, person)
    errors: dict[str, str] = {}
    if not text.strip():
        errors["text"] = "Enter what was decided"
    if agreed_risk_level and agreed_risk_level not in RiskLevel.values:
        errors["agreed_risk_level"] = "Select the risk level the panel agreed"
    if not AgendaItem.objects.filter(meeting=meeting, person=person).exists():
        errors["person"] = "Select a child on the agenda"
    if errors:
        raise ValidationError(errors)
    decision = Decision.objects.create(
        meeting=meeting,
        person=person,
        text=text.strip(),
        agreed_risk_level=agreed_risk_level,
        recorded_by=by,
    )
    level = f" Agreed risk level: {agreed_risk_level}." if agreed_risk_level else ""
    chronology_entry(
        by=by,
        person=person,
        category=EventCategory.MEETING,
        summary=f"{meeting.get_meeting_type_display()}: decision",
        detail=decision.text + level,
        decision=decision.text[:200],
        decision_on=meeting.held_on,
        occurred_at=_meeting_time(meeting),
        source=decision,
    )
    record(
        AuditAction.CREATE,
        actor=by,
        target=decision,
        detail={"meeting": meeting.pk, "person": person.pk},
    )
    for spec in actions:
        add_decision_action(
            by=by,
            decision=decision,
            text=spec.text,
            owner=spec.owner,
            due_on=spec.due_on,
        )
    return decision


def _context_decision(
    *,
    by: User,
    meeting: Meeting,
    place: Place | None,
    peer_group: PeerGroup | None,
    text: str,
    agreed_risk_level: str,
    actions: Iterable[ActionSpec],
) -> Decision:
    if (place is None) == (peer_group is None):
        raise ValidationError({"person": "Select a child, a place or a peer group"})
    field, subject = context_subject(place, peer_group)
    if not may_see_context(by, subject):
        raise PermissionDenied("You cannot see this place or group.")
    errors: dict[str, str] = {}
    if not text.strip():
        errors["text"] = "Enter what was decided"
    if agreed_risk_level and agreed_risk_level not in RiskLevel.values:
        errors["agreed_risk_level"] = "Select the risk level the panel agreed"
    if not AgendaItem.objects.filter(meeting=meeting, **{field: subject}).exists():
        errors["person"] = "Select a place or group on the agenda"
    if list(actions):
        errors["action_text"] = (
            "Record actions for a place or group in its own plan: actions here go "
            "into children's plans"
        )
    if errors:
        raise ValidationError(errors)
    decision = Decision.objects.create(
        meeting=meeting,
        text=text.strip(),
        agreed_risk_level=agreed_risk_level,
        recorded_by=by,
        **{field: subject},
    )
    record(
        AuditAction.CREATE,
        actor=by,
        target=decision,
        detail={"meeting": meeting.pk, field: subject.pk},
    )
    return decision


def _current_plan(by: User, decision: Decision, person: Person) -> Plan:
    """The child's current plan, made now if there is none: the decision is its
    first goal and the review follows the meeting's review date (12 weeks if none
    was set)."""
    plan = Plan.objects.filter(person=person, status=PlanStatus.CURRENT).first()
    if plan is not None:
        return plan
    meeting = decision.meeting
    today = timezone.localdate()
    review_on = meeting.review_on
    if review_on is None or review_on <= today:
        review_on = max(meeting.held_on, today) + DEFAULT_REVIEW
    return case_actions.create_plan(
        by=by,
        person=person,
        review_on=review_on,
        goals=[decision.text],
        reason=f"Agreed at the {meeting}",
    )


@transaction.atomic
def add_decision_action(
    *, by: User, decision: Decision, text: str, owner: User, due_on: dt.date
) -> DecisionAction:
    """The action is created in the child's plan by cases' own action (its rules,
    version and audit) and linked here: the meeting and the plan show one row."""
    meeting = decision.meeting
    require_manager(by, meeting)
    if decision.person is None:
        raise ValidationError(
            {
                "action_text": "Actions go into a child's plan: this decision is about "
                "a place or a group"
            }
        )
    require_child(by, meeting, decision.person)
    plan = _current_plan(by, decision, decision.person)
    plan_action: PlanAction = case_actions.add_plan_action(
        by=by,
        plan=plan,
        expected_version=plan.version,
        text=text,
        owner=owner,
        due_on=due_on,
        reason=f"Agreed at the {meeting}",
    )
    link = DecisionAction.objects.create(decision=decision, plan_action=plan_action)
    record(
        AuditAction.CHANGE,
        actor=by,
        target=decision,
        detail={"plan_action": plan_action.pk, "person": decision.person_id},
    )
    return link
