"""Writes to meetings (architecture D6): keyword-only, atomic, audited in the same
transaction. Views, the API and the demo call these.

Who may do what:
- anyone who may change children's records (EDIT_CASES) may organise a meeting in
  one of their partnerships; the chair and the organiser then run it;
- anything about a child (an agenda item, a paper, a minute part, a decision, an
  action) needs the right to change that child's record (`cases.policies.can_edit`),
  so a meeting never becomes a way round the child's access rules;
- actions are created by `cases.actions.add_plan_action` (and the plan by
  `create_plan` if the child has none): one row, the child's own plan action.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from svduty.accounts.models import Agency, User
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.cases import actions as case_actions
from svduty.cases.actions.common import chronology_entry, lock_version
from svduty.cases.models import EventCategory, Person, Plan, PlanAction, RiskLevel
from svduty.cases.models.plans import PlanStatus
from svduty.cases.policies import can_edit, user_partnership_ids
from svduty.core.authorisation import Permission
from svduty.core.policies import has_permission
from svduty.partnership.models import Partnership

from .models import (
    AgendaItem,
    AgendaKind,
    Attendance,
    Decision,
    DecisionAction,
    Invitation,
    Meeting,
    MeetingStatus,
    MeetingType,
    Minute,
    MinutePart,
)
from .triggers import Suggestion

#: The default review after a MACE panel: 12 weeks (reference C.2, one local model).
DEFAULT_REVIEW = dt.timedelta(weeks=12)


def _require_manager(by: User, meeting: Meeting) -> None:
    if not meeting.may_manage(by):
        raise PermissionDenied("Only the chair or the organiser can change a meeting.")


def _require_child(by: User, meeting: Meeting, person: Person) -> None:
    if person.partnership_id != meeting.partnership_id or not can_edit(by, person):
        raise PermissionDenied("You cannot change this child's record.")


def _in_partnership(user: User, partnership_id: int) -> bool:
    return has_permission(user, Permission.VIEW_CASES) and (
        partnership_id in user_partnership_ids(user)
    )


@transaction.atomic
def schedule_meeting(
    *,
    by: User,
    partnership: Partnership,
    meeting_type: str,
    title: str,
    held_on: dt.date,
    chair: User,
    starts_at: dt.time | None = None,
    location: str = "",
    review_on: dt.date | None = None,
) -> Meeting:
    if not has_permission(by, Permission.EDIT_CASES):
        raise PermissionDenied("Your roles do not include organising meetings.")
    errors: dict[str, str] = {}
    if partnership.pk not in user_partnership_ids(by):
        errors["partnership"] = "Select one of your partnerships"
    if meeting_type not in MeetingType.values:
        errors["meeting_type"] = "Select the type of meeting"
    if not title.strip():
        errors["title"] = "Enter a name for the meeting"
    if held_on is None:
        errors["held_on"] = "Enter the date of the meeting"
    if chair is None or not _in_partnership(chair, partnership.pk):
        errors["chair"] = "Select a chair who works in the partnership"
    if review_on is not None and held_on is not None and review_on <= held_on:
        errors["review_on"] = "The review date must be after the meeting"
    if errors:
        raise ValidationError(errors)
    meeting = Meeting.objects.create(
        partnership=partnership,
        meeting_type=meeting_type,
        title=title.strip(),
        held_on=held_on,
        starts_at=starts_at,
        location=location.strip(),
        chair=chair,
        review_on=review_on,
        created_by=by,
    )
    record(
        AuditAction.CREATE,
        actor=by,
        target=meeting,
        detail={"partnership": partnership.pk, "type": meeting_type},
    )
    return meeting


@transaction.atomic
def invite(
    *, by: User, meeting: Meeting, agency: Agency, user: User | None = None
) -> Invitation:
    """Invite an agency, or a named person from it (who then sees the meeting)."""
    _require_manager(by, meeting)
    from svduty.partnership.models import PartnershipMember

    if not PartnershipMember.objects.filter(
        partnership_id=meeting.partnership_id, agency=agency
    ).exists():
        raise ValidationError({"agency": "Select an agency in the partnership"})
    if user is not None and agency.pk not in user.agency_ids():
        raise ValidationError({"user": "Select someone who works for that agency"})
    existing = Invitation.objects.filter(meeting=meeting, agency=agency, user=user)
    if existing.exists():
        raise ValidationError({"user": "They are already invited"})
    invitation = Invitation.objects.create(meeting=meeting, agency=agency, user=user)
    record(
        AuditAction.CHANGE,
        actor=by,
        target=meeting,
        detail={"invited_agency": agency.pk, "invited_user": user.pk if user else None},
    )
    return invitation


@transaction.atomic
def record_attendance(
    *, by: User, meeting: Meeting, attendance: Mapping[int, str]
) -> None:
    """`attendance` maps invitation ids to an `Attendance` value."""
    _require_manager(by, meeting)
    if any(value not in Attendance.values for value in attendance.values()):
        raise ValidationError({"attendance": "Select whether each invitee attended"})
    invitations = {
        i.pk: i for i in Invitation.objects.filter(meeting=meeting, pk__in=attendance)
    }
    if len(invitations) != len(attendance):
        raise ValidationError({"attendance": "Select one of this meeting's invitees"})
    changed = []
    for pk, value in attendance.items():
        invitation = invitations[pk]
        if invitation.attendance != value:
            invitation.attendance = value
            changed.append(invitation)
    Invitation.objects.bulk_update(changed, ["attendance"])
    record(
        AuditAction.CHANGE,
        actor=by,
        target=meeting,
        detail={"attendance": {str(i.pk): i.attendance for i in changed}},
    )


def _next_order(meeting: Meeting) -> int:
    top = AgendaItem.objects.filter(meeting=meeting).aggregate(m=Max("order"))["m"]
    return 0 if top is None else top + 1


@transaction.atomic
def add_agenda_item(
    *,
    by: User,
    meeting: Meeting,
    person: Person | None = None,
    title: str = "",
    paper: str = "",
) -> AgendaItem:
    """A child the organiser may see, or a free item (no child's name in its title:
    free items are shown to every attendee)."""
    _require_manager(by, meeting)
    Meeting.objects.select_for_update().get(pk=meeting.pk)
    if person is not None:
        if (
            person.partnership_id != meeting.partnership_id
            or not Person.objects.visible_to(by).filter(pk=person.pk).exists()
        ):
            raise ValidationError({"person": "Select a child whose record you can see"})
        if AgendaItem.objects.filter(meeting=meeting, person=person).exists():
            raise ValidationError({"person": "This child is already on the agenda"})
    elif not title.strip():
        raise ValidationError({"title": "Enter what the item is about"})
    item = AgendaItem.objects.create(
        meeting=meeting,
        order=_next_order(meeting),
        kind=AgendaKind.CHILD if person is not None else AgendaKind.FREE,
        person=person,
        title="" if person is not None else title.strip(),
        paper=paper.strip(),
        added_by=by,
    )
    record(
        AuditAction.CHANGE,
        actor=by,
        target=meeting,
        detail={"agenda_item": item.pk, "person": person.pk if person else None},
    )
    return item


@transaction.atomic
def add_suggested_items(
    *, by: User, meeting: Meeting, suggestions: Sequence[Suggestion]
) -> list[AgendaItem]:
    """Put trigger suggestions on the agenda: one item per child (or per subject),
    holding every reason it was suggested; a child already on the agenda gains the
    new reasons. Suggestions come from `triggers.suggestions_for(meeting, by)`,
    which only offers children `by` may see; that is checked again here."""
    _require_manager(by, meeting)
    Meeting.objects.select_for_update().get(pk=meeting.pk)
    person_ids = {s.person_id for s in suggestions if s.person_id is not None}
    visible = set(
        Person.objects.visible_to(by)
        .filter(pk__in=person_ids, partnership_id=meeting.partnership_id)
        .values_list("pk", flat=True)
    )
    if visible != person_ids:
        raise ValidationError({"suggestions": "Select children whose records you see"})
    existing = {
        _key(item.person_id, item.subject_type, item.subject_id): item
        for item in AgendaItem.objects.filter(meeting=meeting)
    }
    order = _next_order(meeting)
    touched: dict[tuple[Any, ...], AgendaItem] = {}
    for suggestion in suggestions:
        key = _key(suggestion.person_id, suggestion.subject_type, suggestion.subject_id)
        item = touched.get(key) or existing.get(key)
        if item is None:
            item = AgendaItem(
                meeting=meeting,
                order=order,
                kind=AgendaKind.CHILD if suggestion.person_id else AgendaKind.SUBJECT,
                person_id=suggestion.person_id,
                title="" if suggestion.person_id else suggestion.title,
                subject_type=suggestion.subject_type,
                subject_id=suggestion.subject_id,
                added_by=by,
                triggers=[],
            )
            order += 1
        reason = {"trigger": suggestion.trigger, "reason": suggestion.reason}
        if reason not in item.triggers:
            item.triggers = [*item.triggers, reason]
        touched[key] = item
    new = [i for i in touched.values() if i.pk is None]
    AgendaItem.objects.bulk_create(new)
    AgendaItem.objects.bulk_update(
        [i for i in touched.values() if i.pk is not None and i not in new],
        ["triggers"],
    )
    record(
        AuditAction.CHANGE,
        actor=by,
        target=meeting,
        detail={
            "agenda_from_triggers": sorted({s.trigger for s in suggestions}),
            "people": sorted(person_ids),
        },
    )
    return list(touched.values())


def _key(
    person_id: int | None, subject_type: str, subject_id: int | None
) -> tuple[Any, ...] | None:
    if person_id is not None:
        return ("person", person_id)
    if subject_type and subject_id is not None:
        return (subject_type, subject_id)
    return None


@transaction.atomic
def write_paper(*, by: User, item: AgendaItem, paper: str) -> AgendaItem:
    """The briefing for a child's item: written by someone who may change the
    child's record (usually the lead professional), shown only to attendees who
    may see the child."""
    meeting = item.meeting
    if item.person is None:
        _require_manager(by, meeting)
    else:
        _require_child(by, meeting, item.person)
    if not paper.strip():
        raise ValidationError({"paper": "Enter the briefing"})
    item.paper = paper.strip()
    item.save(update_fields=["paper"])
    record(
        AuditAction.CHANGE,
        actor=by,
        target=meeting,
        detail={"paper_for_item": item.pk, "person": item.person_id},
    )
    return item


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
    _require_manager(by, meeting)
    parts = {p: t.strip() for p, t in (parts or {}).items() if t and t.strip()}
    errors: dict[str, str] = {}
    if not heading.strip():
        errors["heading"] = "Enter a heading for the minute"
    if not text.strip() and not parts:
        errors["text"] = "Enter the minute, for everyone or for a child"
    if errors:
        raise ValidationError(errors)
    for person in parts:
        _require_child(by, meeting, person)
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
    person: Person,
    text: str,
    agreed_risk_level: str = "",
    actions: Iterable[ActionSpec] = (),
) -> Decision:
    _require_manager(by, meeting)
    _require_child(by, meeting, person)
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


def _current_plan(by: User, decision: Decision) -> Plan:
    """The child's current plan, made now if there is none: the decision is its
    first goal and the review follows the meeting's review date (12 weeks if none
    was set)."""
    plan = Plan.objects.filter(
        person=decision.person, status=PlanStatus.CURRENT
    ).first()
    if plan is not None:
        return plan
    meeting = decision.meeting
    today = timezone.localdate()
    review_on = meeting.review_on
    if review_on is None or review_on <= today:
        review_on = max(meeting.held_on, today) + DEFAULT_REVIEW
    return case_actions.create_plan(
        by=by,
        person=decision.person,
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
    _require_manager(by, meeting)
    _require_child(by, meeting, decision.person)
    plan = _current_plan(by, decision)
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


@transaction.atomic
def close_meeting(
    *, by: User, meeting: Meeting, expected_version: int, general_minutes: str = ""
) -> Meeting:
    """Mark the meeting as held, with the minutes that are about no child."""
    _require_manager(by, meeting)
    locked = lock_version(Meeting, meeting.pk, expected_version)
    if locked.status == MeetingStatus.CANCELLED:
        raise ValidationError("This meeting was cancelled")
    if locked.held_on > timezone.localdate():
        raise ValidationError({"general_minutes": "The meeting has not happened yet"})
    locked.status = MeetingStatus.HELD
    locked.general_minutes = general_minutes.strip()
    locked.save(update_fields=["status", "general_minutes", "version"])
    record(AuditAction.CHANGE, actor=by, target=locked, detail={"status": "held"})
    return locked
