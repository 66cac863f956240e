"""Helpers every cases action uses: permission checks, optimistic locking, the
chronology entry each change leaves, and the case-list summary on the person."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Min, Model
from django.utils import timezone

from svduty.cases.models import (
    Assessment,
    AssessmentStatus,
    Event,
    MissingEpisode,
    Person,
    Plan,
    PlanAction,
    PlanActionStatus,
    Screening,
)
from svduty.cases.models.plans import PlanStatus
from svduty.cases.policies import can_edit

if TYPE_CHECKING:
    from django.db import models

    from svduty.accounts.models import Agency, User

_M = TypeVar("_M", bound=Model)


STALE_MESSAGE = (
    "This record changed since you opened it. Someone else saved changes, so yours "
    "have not been saved. Check the latest version and make your changes again."
)


class StaleRecordError(ValidationError):
    """Optimistic locking: the version the user edited is no longer the latest."""

    def __init__(self) -> None:
        super().__init__(STALE_MESSAGE, code="stale")


def lock_version(model: type[_M], pk: int, expected_version: int | None) -> _M:
    """Lock the row and check it is the version the user opened (convention 2)."""
    obj: Any = cast(Any, model).objects.select_for_update().get(pk=pk)
    if expected_version is not None and obj.version != int(expected_version):
        raise StaleRecordError()
    obj.version += 1
    locked: _M = obj
    return locked


def require_edit(by: User, person: Person) -> None:
    if not can_edit(by, person):
        raise PermissionDenied("You cannot change this child's record.")


def primary_agency(user: User) -> Agency:
    membership = (
        user.memberships.select_related("agency").order_by("-is_primary", "id").first()
    )
    if membership is None:
        raise PermissionDenied("Your account is not linked to an agency.")
    return membership.agency


def chronology_entry(
    *,
    by: User,
    person: Person,
    category: str,
    summary: str,
    source: models.Model | None = None,
    **fields: Any,
) -> Event:
    """The merged chronology holds every agency's events and every step of the
    record's own work (referral, screening, assessment, plan), in one indexed table
    so the child's page pages through it without merging at read time."""
    event = Event.objects.create(
        person=person,
        occurred_at=fields.pop("occurred_at", None) or timezone.now(),
        category=category,
        summary=summary[:300],
        agency=fields.pop("agency", None) or primary_agency(by),
        recorded_by=by,
        source_type=(source._meta.model_name or "") if source is not None else "",
        source_id=source.pk if source is not None else None,
        **fields,
    )
    Person.objects.filter(pk=person.pk).update(
        last_event_at=event.occurred_at
        if person.last_event_at is None or event.occurred_at > person.last_event_at
        else person.last_event_at
    )
    return event


def refresh_summary(person: Person) -> None:
    """Recompute the denormalised case-list columns for one child."""
    dates = []
    dates.append(
        Assessment.objects.filter(person=person)
        .exclude(status=AssessmentStatus.SIGNED_OFF)
        .aggregate(d=Min("due_on"))["d"]
    )
    dates.append(
        PlanAction.objects.filter(
            plan__person=person,
            plan__status=PlanStatus.CURRENT,
            status__in=[PlanActionStatus.NOT_STARTED, PlanActionStatus.IN_PROGRESS],
        ).aggregate(d=Min("due_on"))["d"]
    )
    plan = Plan.objects.filter(person=person, status=PlanStatus.CURRENT).first()
    if plan:
        dates.append(plan.review_on)
    latest = (
        Screening.objects.filter(person=person).order_by("-screened_on", "-id").first()
    )
    if latest and latest.review_on:
        dates.append(latest.review_on)
    interview = MissingEpisode.objects.filter(
        person=person,
        interview_completed_at__isnull=True,
        interview_not_held_reason="",
        interview_due_at__isnull=False,
    ).aggregate(d=Min("interview_due_at"))["d"]
    if interview:
        dates.append(timezone.localdate(interview))
    dates = [d for d in dates if d is not None]
    Person.objects.filter(pk=person.pk).update(
        next_due_on=min(dates) if dates else None,
        has_current_plan=plan is not None,
        risk_level=latest.agreed_level if latest else "",
        risk_level_on=latest.screened_on if latest else None,
    )


def setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)
