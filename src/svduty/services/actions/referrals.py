"""Referring a child to a service and following the referral to its outcome.

Every step checks the state machine (`services.states.TRANSITIONS`) under a row lock;
the database trigger refuses the same moves if anything skips this code."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.cases.actions.common import chronology_entry
from svduty.cases.models import EventCategory, Screening

from ..models import Consent, EndReason, Outcome, ServiceReferral
from ..states import OPEN, ReferralStatus, can_move
from .common import agency_of, not_in_future, require_edit, require_order

if TYPE_CHECKING:
    from svduty.accounts.models import User
    from svduty.cases.models import Person

    from ..models import Service

S = ReferralStatus


def latest_score(person: Person, on: dt.date) -> int | None:
    """The child's screening score on a day (the latest screening up to it)."""
    score: int | None = (
        Screening.objects.filter(person=person, screened_on__lte=on)
        .order_by("-screened_on", "-id")
        .values_list("score", flat=True)
        .first()
    )
    return score


def _lock(referral: ServiceReferral, by: User) -> ServiceReferral:
    locked = (
        ServiceReferral.objects.select_for_update()
        .select_related("service", "person")
        .get(pk=referral.pk)
    )
    require_edit(by, locked.person)
    return locked


def _move(referral: ServiceReferral, new: ReferralStatus) -> None:
    if not can_move(referral.status, new):
        raise ValidationError(
            f"This referral is {referral.get_status_display().lower()}: "
            f"it cannot be {new.label.lower()} now"
        )
    referral.status = new


def _entry(by: User, referral: ServiceReferral, summary: str, day: dt.date) -> None:
    chronology_entry(
        by=by,
        person=referral.person,
        category=EventCategory.REFERRAL,
        summary=summary,
        source=referral,
        occurred_at=timezone.make_aware(dt.datetime.combine(day, dt.time(12))),
    )


@transaction.atomic
def refer_to_service(
    *,
    by: User,
    person: Person,
    service: Service,
    referred_on: dt.date,
    reason: str,
    consent: str,
    consent_recorded_on: dt.date | None = None,
    lawful_basis: str = "",
    risk_before: int | None = None,
) -> ServiceReferral:
    require_edit(by, person)
    errors: dict[str, str] = {}
    if service.partnership_id != person.partnership_id:
        errors["service"] = "Select a service in the child's partnership"
    elif not service.is_active:
        errors["service"] = "This service is not taking referrals"
    if not reason.strip():
        errors["reason"] = "Enter why the child needs this service"
    if consent not in Consent.values:
        errors["consent"] = "Select whether the child or a carer agreed"
    elif consent == Consent.LAWFUL_BASIS and not lawful_basis.strip():
        errors["lawful_basis"] = "Enter the lawful basis for referring without consent"
    consent_recorded_on = consent_recorded_on or referred_on
    if consent_recorded_on > referred_on:
        errors["consent_recorded_on"] = (
            "Consent must be recorded on or before the referral date"
        )
    if errors:
        raise ValidationError(errors)
    not_in_future(referred_on, "referred_on", "The referral date")
    if ServiceReferral.objects.filter(
        service=service, person=person, status__in=OPEN
    ).exists():
        raise ValidationError(
            {"service": "The child already has an open referral to this service"}
        )
    referral = ServiceReferral.objects.create(
        service=service,
        person=person,
        referred_on=referred_on,
        referred_by=by,
        referring_agency=agency_of(by),
        reason=reason.strip(),
        consent=consent,
        consent_recorded_on=consent_recorded_on,
        lawful_basis=lawful_basis.strip(),
        risk_before=risk_before
        if risk_before is not None
        else latest_score(person, referred_on),
    )
    _entry(
        by, referral, f"Referred to {service.name} ({service.provider})", referred_on
    )
    record(
        AuditAction.CREATE,
        actor=by,
        target=referral,
        detail={"service": service.pk, "person": person.pk},
    )
    return referral


@transaction.atomic
def decide_referral(
    *,
    by: User,
    referral: ServiceReferral,
    accepted: bool,
    decided_on: dt.date,
    decline_reason: str = "",
) -> ServiceReferral:
    referral = _lock(referral, by)
    _move(referral, S.ACCEPTED if accepted else S.DECLINED)
    not_in_future(decided_on, "decided_on", "The decision date")
    require_order(
        decided_on,
        referral.referred_on,
        "decided_on",
        "The decision must be on or after the referral date",
    )
    if not accepted and not decline_reason.strip():
        raise ValidationError({"decline_reason": "Enter why the service said no"})
    referral.decided_on = decided_on
    referral.decline_reason = "" if accepted else decline_reason.strip()
    referral.updated_at = timezone.now()
    referral.save(
        update_fields=["status", "decided_on", "decline_reason", "updated_at"]
    )
    if not accepted:
        _entry(by, referral, f"Not accepted by {referral.service.name}", decided_on)
    record(
        AuditAction.CHANGE,
        actor=by,
        target=referral,
        detail={"status": referral.status},
    )
    return referral


@transaction.atomic
def start_service(
    *, by: User, referral: ServiceReferral, started_on: dt.date
) -> ServiceReferral:
    referral = _lock(referral, by)
    _move(referral, S.STARTED)
    not_in_future(started_on, "started_on", "The start date")
    require_order(
        started_on,
        referral.decided_on,
        "started_on",
        "The start must be on or after the date the service accepted the child",
    )
    referral.started_on = started_on
    referral.updated_at = timezone.now()
    referral.save(update_fields=["status", "started_on", "updated_at"])
    _entry(by, referral, f"Started {referral.service.name}", started_on)
    record(
        AuditAction.CHANGE,
        actor=by,
        target=referral,
        detail={"status": referral.status, "waited_days": referral.days_to_start},
    )
    return referral


@transaction.atomic
def record_attendance(
    *, by: User, referral: ServiceReferral, offered: int, attended: int
) -> ServiceReferral:
    """Sessions offered and attended so far (totals, not additions)."""
    referral = _lock(referral, by)
    if referral.status != S.STARTED:
        raise ValidationError("Attendance is recorded while the child has the service")
    if offered < 0 or attended < 0:
        raise ValidationError({"offered": "Enter 0 or more"})
    if attended > offered:
        raise ValidationError(
            {"attended": "Sessions attended cannot be more than sessions offered"}
        )
    referral.sessions_offered = offered
    referral.sessions_attended = attended
    referral.updated_at = timezone.now()
    referral.save(update_fields=["sessions_offered", "sessions_attended", "updated_at"])
    record(
        AuditAction.CHANGE,
        actor=by,
        target=referral,
        detail={"offered": offered, "attended": attended},
    )
    return referral


@transaction.atomic
def end_service(
    *,
    by: User,
    referral: ServiceReferral,
    ended_on: dt.date,
    end_reason: str,
    outcome: str,
    outcome_notes: str = "",
    risk_after: int | None = None,
) -> ServiceReferral:
    referral = _lock(referral, by)
    _move(referral, S.ENDED)
    errors: dict[str, str] = {}
    if end_reason not in EndReason.values:
        errors["end_reason"] = "Select why the service ended"
    if outcome not in Outcome.values:
        errors["outcome"] = "Select the outcome"
    if errors:
        raise ValidationError(errors)
    not_in_future(ended_on, "ended_on", "The end date")
    require_order(
        ended_on,
        referral.started_on,
        "ended_on",
        "The end must be on or after the start date",
    )
    referral.ended_on = ended_on
    referral.end_reason = end_reason
    referral.outcome = outcome
    referral.outcome_notes = outcome_notes.strip()
    referral.risk_after = (
        risk_after
        if risk_after is not None
        else latest_score(referral.person, ended_on)
    )
    referral.updated_at = timezone.now()
    referral.save(
        update_fields=[
            "status",
            "ended_on",
            "end_reason",
            "outcome",
            "outcome_notes",
            "risk_after",
            "updated_at",
        ]
    )
    _entry(
        by,
        referral,
        f"Ended {referral.service.name}: {referral.get_outcome_display().lower()}",
        ended_on,
    )
    record(
        AuditAction.CHANGE,
        actor=by,
        target=referral,
        detail={"status": referral.status, "outcome": outcome},
    )
    return referral


@transaction.atomic
def withdraw_referral(
    *,
    by: User,
    referral: ServiceReferral,
    withdrawn_on: dt.date,
    end_reason: str,
) -> ServiceReferral:
    referral = _lock(referral, by)
    _move(referral, S.WITHDRAWN)
    if end_reason not in EndReason.values:
        raise ValidationError({"end_reason": "Select why the referral was withdrawn"})
    not_in_future(withdrawn_on, "withdrawn_on", "The date")
    require_order(
        withdrawn_on,
        referral.referred_on,
        "withdrawn_on",
        "The date must be on or after the referral date",
    )
    referral.ended_on = withdrawn_on
    referral.end_reason = end_reason
    referral.updated_at = timezone.now()
    referral.save(update_fields=["status", "ended_on", "end_reason", "updated_at"])
    _entry(by, referral, f"Referral to {referral.service.name} withdrawn", withdrawn_on)
    record(
        AuditAction.CHANGE, actor=by, target=referral, detail={"status": "withdrawn"}
    )
    return referral
