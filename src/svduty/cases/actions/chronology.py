"""Events from every agency, and missing episodes with their return home interview."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.cases.models import (
    Event,
    EventCategory,
    MissingEpisode,
    Person,
    Significance,
)

from .common import chronology_entry, refresh_summary, require_edit, setting

if TYPE_CHECKING:
    from svduty.accounts.models import User


# Categories recorded by the work itself (referral, screening…): not entered by hand.
GENERATED = {
    EventCategory.REFERRAL,
    EventCategory.SCREENING,
    EventCategory.ASSESSMENT,
    EventCategory.PLAN,
}


def interview_due(returned_at: dt.datetime) -> dt.datetime:
    return returned_at + dt.timedelta(hours=setting("CASES_RETURN_INTERVIEW_HOURS", 72))


@transaction.atomic
def record_event(
    *,
    by: User,
    person: Person,
    category: str,
    occurred_at: dt.datetime,
    summary: str,
    detail: str = "",
    significance: str = Significance.MEDIUM,
    source_reference: str = "",
    decision: str = "",
    decision_on: dt.date | None = None,
    returned_at: dt.datetime | None = None,
    missing_from: str = "",
) -> Event:
    require_edit(by, person)
    errors = {}
    if category not in EventCategory.values or category in GENERATED:
        errors["category"] = "Select what happened"
    if not summary.strip():
        errors["summary"] = "Enter a short summary of what happened"
    if occurred_at is None:
        errors["occurred_at"] = "Enter when it happened"
    elif occurred_at > timezone.now() + dt.timedelta(minutes=5):
        errors["occurred_at"] = "The date must be today or in the past"
    if decision.strip() and decision_on is None:
        errors["decision_on"] = "Enter the date of the decision"
    if (
        returned_at is not None
        and occurred_at is not None
        and returned_at < occurred_at
    ):
        errors["returned_at"] = "The return must be after the child went missing"
    if errors:
        raise ValidationError(errors)
    event = chronology_entry(
        by=by,
        person=person,
        category=category,
        summary=summary.strip(),
        detail=detail.strip(),
        significance=significance,
        source_reference=source_reference.strip(),
        decision=decision.strip(),
        decision_on=decision_on if decision.strip() else None,
        occurred_at=occurred_at,
    )
    if category == EventCategory.MISSING_HOME:
        MissingEpisode.objects.create(
            event=event,
            person=person,
            missing_from=missing_from.strip(),
            police_reference=source_reference.strip(),
            started_at=occurred_at,
            returned_at=returned_at,
            interview_due_at=interview_due(returned_at) if returned_at else None,
        )
        Person.objects.select_for_update().get(pk=person.pk)
        refresh_summary(person)
    record(
        AuditAction.CREATE,
        actor=by,
        target=event,
        detail={"person": person.pk, "category": category},
    )
    return event


@transaction.atomic
def record_return(
    *,
    by: User,
    episode: MissingEpisode,
    returned_at: dt.datetime,
    found_at_location: str = "",
) -> MissingEpisode:
    require_edit(by, episode.person)
    episode = MissingEpisode.objects.select_for_update().get(pk=episode.pk)
    if episode.returned_at is not None:
        raise ValidationError("The return has already been recorded")
    if returned_at < episode.started_at:
        raise ValidationError(
            {"returned_at": "The return must be after the child went missing"}
        )
    episode.returned_at = returned_at
    episode.found_at_location = found_at_location.strip()
    episode.interview_due_at = interview_due(returned_at)
    episode.save(update_fields=["returned_at", "found_at_location", "interview_due_at"])
    refresh_summary(episode.person)
    record(AuditAction.CHANGE, actor=by, target=episode, detail={"returned": True})
    return episode


@transaction.atomic
def record_return_interview(
    *,
    by: User,
    episode: MissingEpisode,
    completed_at: dt.datetime | None = None,
    summary: str = "",
    not_held_reason: str = "",
) -> MissingEpisode:
    """The return home interview, or why it was not held (which must be recorded)."""
    require_edit(by, episode.person)
    episode = MissingEpisode.objects.select_for_update().get(pk=episode.pk)
    if episode.returned_at is None:
        raise ValidationError("Record the child's return first")
    if episode.interview_completed_at or episode.interview_not_held_reason:
        raise ValidationError("The return home interview has already been recorded")
    if not_held_reason.strip():
        episode.interview_not_held_reason = not_held_reason.strip()
    else:
        if not summary.strip():
            raise ValidationError(
                {"summary": "Enter what the child said, or why no interview was held"}
            )
        episode.interview_completed_at = completed_at or timezone.now()
        episode.interviewer = by
        episode.interview_summary = summary.strip()
    episode.save(
        update_fields=[
            "interview_completed_at",
            "interviewer",
            "interview_summary",
            "interview_not_held_reason",
        ]
    )
    late = (
        episode.interview_completed_at is not None
        and episode.interview_completed_at > episode.interview_due_at  # type: ignore[operator]
    )
    chronology_entry(
        by=by,
        person=episode.person,
        category=EventCategory.CONTACT,
        summary="Return home interview held"
        + (" (later than 72 hours)" if late else "")
        if episode.interview_completed_at
        else "Return home interview not held",
        detail=episode.interview_summary or episode.interview_not_held_reason,
        occurred_at=episode.interview_completed_at or timezone.now(),
    )
    refresh_summary(episode.person)
    record(AuditAction.CHANGE, actor=by, target=episode, detail={"late": late})
    return episode
