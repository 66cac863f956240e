"""A child's referral to a service: consent, decision, waiting, start, attendance,
end and outcome, with the screening score before and after."""

from __future__ import annotations

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from svduty.cases.models.base import ChildRecordQuerySet
from svduty.core.guard import GuardedModel

from ..states import ReferralStatus, transition_sql
from .catalogue import Service
from .choices import Consent, EndReason, Outcome

S = ReferralStatus


def _status_is(status: ReferralStatus, **fields: object) -> Q:
    return Q(status=status, **fields)


REFERRAL_STATE_MACHINE = pgtrigger.Trigger(
    name="service_referral_transitions",
    when=pgtrigger.Before,
    operation=pgtrigger.Update,
    func="""
        IF OLD.status IS DISTINCT FROM NEW.status AND NOT {allowed} THEN
            RAISE EXCEPTION 'service referral % cannot move from % to %',
                OLD.id, OLD.status, NEW.status
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF OLD.person_id IS DISTINCT FROM NEW.person_id
           OR OLD.service_id IS DISTINCT FROM NEW.service_id
           OR OLD.referred_on IS DISTINCT FROM NEW.referred_on THEN
            RAISE EXCEPTION 'service referral % cannot change child, service or date',
                OLD.id USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    """.replace("{allowed}", transition_sql()),
)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class ServiceReferral(GuardedModel):
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="referrals"
    )
    person = models.ForeignKey(
        "cases.Person", on_delete=models.PROTECT, related_name="service_referrals"
    )
    status = models.CharField(
        max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.REFERRED
    )
    referred_on = models.DateField()
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    referring_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField("Why the child needs this service")
    consent = models.CharField(max_length=20, choices=Consent.choices)
    consent_recorded_on = models.DateField()
    lawful_basis = models.TextField(blank=True)
    risk_before = models.PositiveSmallIntegerField(
        "Screening score before", null=True, blank=True
    )
    decided_on = models.DateField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    started_on = models.DateField(null=True, blank=True)
    sessions_offered = models.PositiveSmallIntegerField(default=0)
    sessions_attended = models.PositiveSmallIntegerField(default=0)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_notes = models.TextField(blank=True)
    risk_after = models.PositiveSmallIntegerField(
        "Screening score after", null=True, blank=True
    )
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ChildRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-referred_on", "-id"]
        indexes = [
            # The waiting list: a service's referrals not yet started, oldest first.
            models.Index(
                fields=["service", "referred_on", "id"],
                condition=Q(
                    status__in=[ReferralStatus.REFERRED, ReferralStatus.ACCEPTED]
                ),
                name="service_waiting_list",
            ),
            models.Index(fields=["person", "-referred_on"], name="service_child"),
            models.Index(fields=["service", "status"], name="service_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    _status_is(
                        S.REFERRED,
                        decided_on__isnull=True,
                        started_on__isnull=True,
                        ended_on__isnull=True,
                    )
                    | _status_is(
                        S.ACCEPTED,
                        decided_on__isnull=False,
                        started_on__isnull=True,
                        ended_on__isnull=True,
                    )
                    | (
                        _status_is(
                            S.DECLINED,
                            decided_on__isnull=False,
                            started_on__isnull=True,
                            ended_on__isnull=True,
                        )
                        & ~Q(decline_reason="")
                    )
                    | (
                        _status_is(
                            S.WITHDRAWN, started_on__isnull=True, ended_on__isnull=False
                        )
                        & ~Q(end_reason="")
                    )
                    | _status_is(
                        S.STARTED,
                        decided_on__isnull=False,
                        started_on__isnull=False,
                        ended_on__isnull=True,
                    )
                    | (
                        _status_is(
                            S.ENDED,
                            decided_on__isnull=False,
                            started_on__isnull=False,
                            ended_on__isnull=False,
                        )
                        & ~Q(end_reason="")
                        & ~Q(outcome="")
                    )
                ),
                name="service_referral_fields_match_status",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True)
                | Q(decided_on__gte=F("referred_on")),
                name="service_referral_decided_after_referral",
            ),
            models.CheckConstraint(
                condition=Q(started_on__isnull=True)
                | Q(started_on__gte=F("decided_on")),
                name="service_referral_started_after_decision",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | (
                    Q(ended_on__gte=F("referred_on"))
                    & (Q(started_on__isnull=True) | Q(ended_on__gte=F("started_on")))
                ),
                name="service_referral_ended_after_start",
            ),
            models.CheckConstraint(
                condition=Q(sessions_attended__lte=F("sessions_offered")),
                name="service_referral_attended_at_most_offered",
            ),
            models.CheckConstraint(
                condition=~Q(consent=Consent.LAWFUL_BASIS) | ~Q(lawful_basis=""),
                name="service_referral_lawful_basis_without_consent",
            ),
            models.CheckConstraint(
                condition=Q(consent_recorded_on__lte=F("referred_on")),
                name="service_referral_consent_before_referral",
            ),
            # One open referral of a child to a service at a time.
            models.UniqueConstraint(
                fields=["service", "person"],
                condition=Q(
                    status__in=[
                        ReferralStatus.REFERRED,
                        ReferralStatus.ACCEPTED,
                        ReferralStatus.STARTED,
                    ]
                ),
                name="service_referral_one_open",
            ),
        ]
        triggers = [REFERRAL_STATE_MACHINE]

    def __str__(self) -> str:
        return f"Referral to {self.service.name}"

    @property
    def is_waiting(self) -> bool:
        return self.status in (S.REFERRED, S.ACCEPTED)

    def waiting_days(self, today=None) -> int:
        from ..states import waiting_days

        return waiting_days(
            self.referred_on, self.started_on, today or timezone.localdate()
        )

    @property
    def days_to_start(self) -> int | None:
        """Time to start (started_on - referred_on), read by the evidence helper."""
        if self.started_on is None:
            return None
        return (self.started_on - self.referred_on).days
