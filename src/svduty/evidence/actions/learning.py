"""Workforce, community engagement and learning records (issue 12 points 5 and 6).

Partnership records (no child is named in them): a partnership lead or team manager
(MANAGE_EVIDENCE) who works in the partnership records them; every change is audited
in the same transaction. A new record of any type is recorded by `record_new`, which
checks the rules its type declares in `svduty.evidence.records`."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from svduty.accounts.models import Agency, User
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.evidence import records
from svduty.evidence.models import (
    EngagementActivity,
    OversightDecision,
    PracticeReview,
    PractitionerRole,
    Recommendation,
    TrainingAttendance,
    TrainingSession,
)
from svduty.evidence.records import (
    AtLeast,
    Choice,
    MonthStart,
    NotBefore,
    Ours,
    Past,
    RecordKind,
    Rule,
    Several,
    Text,
    UpTo,
)
from svduty.partnership.models import Partnership

from .assessment import require_manage


def _not_future(day: dt.date, field: str, what: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: f"{what} must be today or in the past"})


def _required(value: str, field: str, message: str) -> str:
    if not value.strip():
        raise ValidationError({field: message})
    return value.strip()


def _check(rule: Rule, values: dict[str, Any], partnership: Partnership) -> None:
    """Refuse a value that breaks the rule, or put the value in its stored form."""
    name = rule.field
    value: Any = values.get(name)
    refused = False
    match rule:
        case Past():
            _not_future(value, name, rule.what)
        case MonthStart():
            values[name] = value.replace(day=1)
        case Text(message=""):
            values[name] = (value or "").strip()
        case Text():
            values[name] = _required(value or "", name, rule.message)
        case Several():
            values[name] = list(value or ())
            refused = len(values[name]) < rule.least
        case Choice():
            refused = value not in rule.choices.values
        case AtLeast():
            refused = value < rule.least
        case UpTo():
            refused = not 0 <= value <= values[rule.limit]
        case NotBefore():
            refused = value is not None and value < values[rule.other]
        case Ours():
            refused = value is not None and value.partnership_id != partnership.pk
    if refused and not isinstance(rule, Past | MonthStart):
        raise ValidationError({name: rule.message})


def _audited(value: Any) -> Any:
    if isinstance(value, list):
        return sorted(item.pk for item in value)
    return value


@transaction.atomic
def record_new(
    record_type: RecordKind, /, *, by: User, partnership: Partnership, **values: Any
) -> Any:
    """Record a new record of the partnership of one type (`records.KINDS`), after
    the checks its type declares; a type with `unique` fields replaces the record
    with the same values of them. Returns the record."""
    require_manage(by, partnership.pk)
    values = dict(values)
    for rule in record_type.rules:
        _check(rule, values, partnership)
    many = {name: values.pop(name) for name in record_type.many}
    manager = record_type.model._default_manager
    if record_type.unique:
        keys = {name: values.pop(name) for name in record_type.unique if name in values}
        row, created = manager.update_or_create(
            partnership=partnership,
            **keys,
            defaults={**values, "recorded_by": by, "recorded_at": timezone.now()},
        )
    else:
        row = manager.create(partnership=partnership, recorded_by=by, **values)
        created = True
    for name, chosen in many.items():
        getattr(row, name).set(chosen)
    detail = {
        name: _audited(many.get(name, values.get(name))) for name in record_type.audit
    }
    record(
        AuditAction.CREATE if created else AuditAction.CHANGE,
        actor=by,
        target=row,
        detail=detail,
    )
    return row


record_training_session = partial(record_new, records.TRAINING)
record_supervision = partial(record_new, records.SUPERVISION)
record_engagement = partial(record_new, records.ENGAGEMENT)
record_review = partial(record_new, records.REVIEWS)
record_learning_event = partial(record_new, records.LEARNING_EVENTS)
record_oversight_decision = partial(record_new, records.OVERSIGHT)


@transaction.atomic
def record_attendance(
    *,
    by: User,
    session: TrainingSession,
    agency: Agency,
    role: str,
    attended: int,
) -> TrainingAttendance:
    """Set how many of an agency's practitioners in one role attended (recording
    the same agency and role again replaces the number)."""
    require_manage(by, session.partnership_id)
    if role not in PractitionerRole.values:
        raise ValidationError({"role": "Choose the practitioners' role"})
    if attended < 1:
        raise ValidationError({"attended": "Enter how many attended, 1 or more"})
    row, created = TrainingAttendance.objects.update_or_create(
        session=session, agency=agency, role=role, defaults={"attended": attended}
    )
    record(
        AuditAction.CREATE if created else AuditAction.CHANGE,
        actor=by,
        target=row,
        detail={"session": session.pk, "attended": attended},
    )
    return row


@transaction.atomic
def record_engagement_change(
    *, by: User, activity: EngagementActivity, changed: str
) -> EngagementActivity:
    """Record later what changed because of what was heard."""
    activity = EngagementActivity.objects.select_for_update().get(pk=activity.pk)
    require_manage(by, activity.partnership_id)
    activity.changed = _required(changed, "changed", "Enter what changed")
    activity.save()
    record(AuditAction.CHANGE, actor=by, target=activity, detail={"changed": True})
    return activity


@transaction.atomic
def add_recommendation(
    *,
    by: User,
    review: PracticeReview,
    text: str,
    due_on: dt.date,
    agency: Agency | None = None,
) -> Recommendation:
    require_manage(by, review.partnership_id)
    if due_on < review.started_on:
        raise ValidationError({"due_on": "The due date must be after the review began"})
    rec = Recommendation.objects.create(
        review=review,
        text=_required(text, "text", "Enter the recommendation"),
        due_on=due_on,
        agency=agency,
    )
    record(AuditAction.CREATE, actor=by, target=rec, detail={"review": review.pk})
    return rec


@transaction.atomic
def complete_recommendation(
    *, by: User, recommendation: Recommendation, completed_on: dt.date, note: str
) -> Recommendation:
    rec = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    require_manage(by, rec.review.partnership_id)
    if rec.completed_on is not None:
        raise ValidationError("This recommendation is already completed")
    _not_future(completed_on, "completed_on", "The completion date")
    rec.completed_on = completed_on
    rec.completion_note = _required(note, "note", "Say what was done")
    rec.save()
    record(
        AuditAction.CHANGE,
        actor=by,
        target=rec,
        detail={"completed_on": completed_on.isoformat()},
    )
    return rec


@transaction.atomic
def record_follow_up(
    *, by: User, decision: OversightDecision, followed_up_on: dt.date
) -> OversightDecision:
    row = OversightDecision.objects.select_for_update().get(pk=decision.pk)
    require_manage(by, row.partnership_id)
    if row.followed_up_on is not None:
        raise ValidationError("The follow-up is already recorded")
    _not_future(followed_up_on, "followed_up_on", "The follow-up date")
    if followed_up_on < row.decided_on:
        raise ValidationError(
            {"followed_up_on": "The follow-up cannot be before the decision"}
        )
    row.followed_up_on = followed_up_on
    row.save()
    record(
        AuditAction.CHANGE,
        actor=by,
        target=row,
        detail={"followed_up_on": followed_up_on.isoformat()},
    )
    return row
