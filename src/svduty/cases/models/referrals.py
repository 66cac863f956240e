"""Referrals: a concern about a child from any agency, decided within a working day."""

from __future__ import annotations

import datetime as dt
from typing import Self

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone

from svduty.cases.workdays import local_date
from svduty.core.guard import GuardedModel
from svduty.core.policies import PolicyQuerySet
from svduty.core.types import AnyUser

from .people import Person


class ReferralReason(models.TextChoices):
    WEAPON_CARRYING = "weapon_carrying", "Carrying a weapon, or a weapon found"
    CRIMINAL_EXPLOITATION = "criminal_exploitation", "Criminal exploitation indicators"
    SEXUAL_EXPLOITATION = "sexual_exploitation", "Sexual exploitation indicators"
    MISSING = "missing", "Missing episodes"
    INJURY = "injury", "Injury presentation (for example at an emergency department)"
    EXCLUSION_ABSENCE = "exclusion_absence", "Exclusion or persistent absence"
    ONLINE_HARM = "online_harm", "Online harm"
    VIOLENCE_VICTIM = "violence_victim", "Victim of violence"
    VIOLENCE_PERPETRATOR = "violence_harm_to_others", "Harm to others"
    SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse or drug debt"
    FAMILY = "family", "Concerns at home (domestic abuse, neglect)"
    OTHER = "other", "Something else"


class Urgency(models.TextChoices):
    IMMEDIATE = "immediate", "Immediate: the child may be in danger now"
    URGENT = "urgent", "Urgent: decide today"
    STANDARD = "standard", "Standard: decide within 1 working day"


class ReferralOutcome(models.TextChoices):
    SCREENING = "screening", "Exploitation and violence risk screening"
    ASSESSMENT = "assessment", "Assessment"
    SIGNPOST = "signpost", "Signpost to another service"
    NO_FURTHER_ACTION = "nfa", "No further action"


class ReferralQuerySet(PolicyQuerySet):
    def visible_to(self, user: AnyUser) -> Self:
        """The referrer sees their own referral (and what happened to it); the case
        team see every referral about the child; decision makers see the
        referrals made to their partnerships."""
        from svduty.cases.policies import user_partnership_ids
        from svduty.core.authorisation import Permission
        from svduty.core.policies import has_permission

        if user is None or not user.is_authenticated:
            return self.none()
        q = Q(referred_by=user)
        if has_permission(user, Permission.VIEW_CASES):
            q |= Q(person__in=Person.objects.visible_to(user))
        if has_permission(user, Permission.TRIAGE_REFERRALS):
            q |= Q(partnership_id__in=user_partnership_ids(user))
        return self.filter(q)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class Referral(GuardedModel):
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="referrals"
    )
    partnership = models.ForeignKey(
        "partnership.Partnership", on_delete=models.PROTECT, related_name="+"
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    referrer_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    referrer_phone = models.CharField(max_length=40, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    reasons = ArrayField(
        models.CharField(max_length=30, choices=ReferralReason.choices)
    )
    urgency = models.CharField(max_length=10, choices=Urgency.choices)
    what_is_known = models.TextField()
    action_taken = models.TextField(blank=True)
    child_aware = models.BooleanField(
        null=True, help_text="Does the child know about the referral?"
    )
    decision_due_on = models.DateField()
    outcome = models.CharField(
        max_length=20, choices=ReferralOutcome.choices, blank=True
    )
    outcome_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    late_decision_reason = models.TextField(blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(
                fields=["partnership", "decision_due_on"],
                condition=Q(decided_at__isnull=True),
                name="referral_awaiting_decision",
            ),
            models.Index(fields=["person", "-received_at"]),
            models.Index(fields=["referred_by", "-received_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    outcome="", decided_at__isnull=True, decided_by__isnull=True
                )
                | Q(~Q(outcome=""), decided_at__isnull=False, decided_by__isnull=False),
                name="referral_decision_recorded_together",
            ),
            models.CheckConstraint(
                condition=~Q(outcome=ReferralOutcome.NO_FURTHER_ACTION)
                | ~Q(outcome_reason=""),
                name="referral_nfa_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(reasons__len__gt=0), name="referral_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"Referral of {self.person} on {local_date(self.received_at):%d %b %Y}"

    @property
    def is_decided(self) -> bool:
        return self.decided_at is not None

    def decided_late(self) -> bool:
        return self.decided_at is not None and (
            local_date(self.decided_at) > self.decision_due_on
        )

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return (
            self.decided_at is None and (today or local_date()) > self.decision_due_on
        )

    @property
    def timescale_breached(self) -> bool:
        return self.decided_late() or self.is_overdue()

    def reason_labels(self) -> list[str]:
        labels = dict(ReferralReason.choices)
        return [labels.get(r, r) for r in self.reasons]
