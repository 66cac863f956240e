"""Making and deciding referrals (Working Together: a decision within 1 working day;
urgent referrals the same working day)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.cases.models import (
    CaseTeamMember,
    EventCategory,
    Person,
    Referral,
    ReferralOutcome,
    ReferralReason,
    Significance,
    TeamRole,
    Urgency,
)
from svduty.cases.policies import user_partnership_ids
from svduty.cases.workdays import add_working_days, is_working_day, local_date
from svduty.core.authorisation import Permission
from svduty.core.policies import has_permission

from .common import chronology_entry, primary_agency
from .people import _make_lead

if TYPE_CHECKING:
    from svduty.accounts.models import User


#: Working days from receipt to the decision, by urgency (0 = the same working day).
#: A partnership may set its own with CASES_REFERRAL_DECISION_WORKING_DAYS, a mapping
#: of urgency to days; unnamed urgencies keep these.
REFERRAL_DECISION_WORKING_DAYS: dict[str, int] = {
    Urgency.IMMEDIATE: 0,
    Urgency.URGENT: 0,
    Urgency.STANDARD: 1,
}


def decision_due_on(urgency: str, received_on: dt.date) -> dt.date:
    """The day the decision is due: urgent referrals the same working day (the next
    one when received on a weekend or bank holiday), standard ones after one."""
    days = {
        **REFERRAL_DECISION_WORKING_DAYS,
        **getattr(settings, "CASES_REFERRAL_DECISION_WORKING_DAYS", {}),
    }.get(urgency, REFERRAL_DECISION_WORKING_DAYS[Urgency.STANDARD])
    if days == 0:
        return (
            received_on
            if is_working_day(received_on)
            else add_working_days(received_on, 1)
        )
    return add_working_days(received_on, days)


@transaction.atomic
def make_referral(
    *,
    by: User,
    person: Person,
    reasons: list[str],
    urgency: str,
    what_is_known: str,
    action_taken: str = "",
    referrer_phone: str = "",
    child_aware: bool | None = None,
) -> Referral:
    if not has_permission(by, Permission.MAKE_REFERRAL):
        raise PermissionDenied("Your roles do not include making referrals.")
    if not Person.objects.searchable_by(by).filter(pk=person.pk).exists():
        raise PermissionDenied
    errors = {}
    if not reasons or any(r not in ReferralReason.values for r in reasons):
        errors["reasons"] = "Select at least one reason for the referral"
    if urgency not in Urgency.values:
        errors["urgency"] = "Select how urgent the referral is"
    if not what_is_known.strip():
        errors["what_is_known"] = "Enter what you know about the child's situation"
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    agency = primary_agency(by)
    referral = Referral.objects.create(
        person=person,
        partnership=person.partnership,
        referred_by=by,
        referrer_agency=agency,
        referrer_phone=referrer_phone.strip() or by.phone,
        received_at=now,
        reasons=list(dict.fromkeys(reasons)),
        urgency=urgency,
        what_is_known=what_is_known.strip(),
        action_taken=action_taken.strip(),
        child_aware=child_aware,
        decision_due_on=decision_due_on(urgency, local_date(now)),
    )
    # The referrer works with the child: they stay on the case team and see what
    # happens next.
    if not CaseTeamMember.objects.filter(
        person=person, user=by, ended_at__isnull=True
    ).exists():
        CaseTeamMember.objects.create(
            person=person, user=by, agency=agency, role=TeamRole.REFERRER, added_by=by
        )
    chronology_entry(
        by=by,
        person=person,
        category=EventCategory.REFERRAL,
        summary=f"Referral by {agency}: " + ", ".join(referral.reason_labels()),
        significance=Significance.HIGH
        if urgency == Urgency.IMMEDIATE
        else Significance.MEDIUM,
        source=referral,
        occurred_at=now,
    )
    record(
        AuditAction.CREATE,
        actor=by,
        target=referral,
        detail={"person": person.pk, "urgency": urgency, "reasons": referral.reasons},
    )
    return referral


@transaction.atomic
def decide_referral(
    *,
    by: User,
    referral: Referral,
    outcome: str,
    reason: str = "",
    lead_professional: User | None = None,
    late_reason: str = "",
) -> Referral:
    if not has_permission(by, Permission.TRIAGE_REFERRALS):
        raise PermissionDenied("Your roles do not include deciding referrals.")
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.partnership_id not in user_partnership_ids(by):
        raise PermissionDenied
    if referral.decided_at is not None:
        raise ValidationError("This referral has already been decided")
    errors = {}
    if outcome not in ReferralOutcome.values:
        errors["outcome"] = "Select what happens next"
    if outcome == ReferralOutcome.NO_FURTHER_ACTION and not reason.strip():
        errors["reason"] = "Enter why no further action is needed"
    if outcome in (ReferralOutcome.SCREENING, ReferralOutcome.ASSESSMENT):
        if lead_professional is None:
            errors["lead_professional"] = "Select the lead professional"
        elif not has_permission(lead_professional, Permission.EDIT_CASES):
            errors["lead_professional"] = (
                "Select a practitioner who works with children"
            )
        elif referral.partnership_id not in user_partnership_ids(lead_professional):
            errors["lead_professional"] = (
                "Select a practitioner who works in the child's partnership"
            )
    now = timezone.now()
    late = local_date(now) > referral.decision_due_on
    if late and not late_reason.strip():
        errors["late_reason"] = "Enter why the decision is later than 1 working day"
    if errors:
        raise ValidationError(errors)
    referral.outcome = outcome
    referral.outcome_reason = reason.strip()
    referral.decided_by = by
    referral.decided_at = now
    referral.late_decision_reason = late_reason.strip() if late else ""
    referral.save(
        update_fields=[
            "outcome",
            "outcome_reason",
            "decided_by",
            "decided_at",
            "late_decision_reason",
        ]
    )
    person = Person.objects.select_for_update().get(pk=referral.person_id)
    if lead_professional is not None and outcome in (
        ReferralOutcome.SCREENING,
        ReferralOutcome.ASSESSMENT,
    ):
        _make_lead(by=by, person=person, user=lead_professional)
    chronology_entry(
        by=by,
        person=person,
        category=EventCategory.REFERRAL,
        summary=f"Referral decided: {referral.get_outcome_display()}",
        detail=referral.outcome_reason,
        source=referral,
        occurred_at=now,
    )
    record(
        AuditAction.CHANGE,
        actor=by,
        target=referral,
        detail={
            "outcome": outcome,
            "late": late,
            "lead_professional": lead_professional.username
            if lead_professional
            else None,
        },
    )
    return referral
