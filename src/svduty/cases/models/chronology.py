"""Events from every agency, merged into the child's chronology."""

from __future__ import annotations

import datetime as dt

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from svduty.core.guard import GuardedModel

from .base import ChildRecordQuerySet
from .people import Person


class EventCategory(models.TextChoices):
    MISSING_HOME = "missing_home", "Missing from home or care"
    MISSING_EDUCATION = "missing_education", "Missing from education"
    EXCLUSION = "exclusion", "Exclusion from school"
    ED_ATTENDANCE = "ed_attendance", "Emergency department attendance with injury"
    ARREST = "arrest", "Arrest"
    CHARGE = "charge", "Charge"
    OUT_OF_COURT = "out_of_court", "Out-of-court disposal (caution or resolution)"
    DIVERSION = "diversion", "Diversion from prosecution to support"
    POLICE_CONTACT = "police_contact", "Police contact (stop and search, incident)"
    NRM = "nrm", "National Referral Mechanism referral"
    REFERRAL = "referral", "Referral"
    SCREENING = "screening", "Risk screening"
    ASSESSMENT = "assessment", "Assessment"
    PLAN = "plan", "Plan"
    MEETING = "meeting", "Meeting or strategy discussion"
    CONTACT = "contact", "Contact with the child or family"
    OTHER = "other", "Other"


class Significance(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class Event(GuardedModel):
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="chronology"
    )
    occurred_at = models.DateTimeField()
    category = models.CharField(max_length=30, choices=EventCategory.choices)
    significance = models.CharField(
        max_length=10, choices=Significance.choices, default=Significance.MEDIUM
    )
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    summary = models.CharField(max_length=300)
    detail = models.TextField(blank=True)
    source_reference = models.CharField(
        max_length=100,
        blank=True,
        help_text="The agency's own reference, for example a police incident number.",
    )
    # NRM: reasonable and conclusive grounds decisions (reference C.3).
    decision = models.CharField(max_length=200, blank=True)
    decision_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    # The record this event was generated from (a referral, screening…), if any.
    source_type = models.CharField(max_length=40, blank=True)
    source_id = models.BigIntegerField(null=True, blank=True)

    objects = ChildRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            # The chronology is read newest first, a page at a time (keyset).
            models.Index(fields=["person", "-occurred_at", "-id"], name="chronology"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="") | Q(decision_on__isnull=False),
                name="event_decision_has_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.summary}"


class MissingEpisodeQuerySet(ChildRecordQuerySet):
    pass


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class MissingEpisode(GuardedModel):
    """A missing-from-home episode and its return home interview (reference C.4)."""

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="missing_episode"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="missing_episodes"
    )
    missing_from = models.CharField(max_length=200, blank=True)
    police_reference = models.CharField(max_length=100, blank=True)
    started_at = models.DateTimeField()
    returned_at = models.DateTimeField(null=True, blank=True)
    found_at_location = models.CharField(max_length=200, blank=True)
    interview_due_at = models.DateTimeField(null=True, blank=True)
    interview_completed_at = models.DateTimeField(null=True, blank=True)
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    interview_summary = models.TextField(blank=True)
    interview_not_held_reason = models.TextField(blank=True)

    objects = MissingEpisodeQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(
                fields=["interview_due_at"],
                condition=Q(interview_completed_at__isnull=True)
                & Q(interview_not_held_reason=""),
                name="return_interview_open",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(returned_at__isnull=True)
                | Q(returned_at__gte=models.F("started_at")),
                name="missing_return_after_start",
            ),
            models.CheckConstraint(
                condition=Q(returned_at__isnull=True, interview_due_at__isnull=True)
                | Q(returned_at__isnull=False, interview_due_at__isnull=False),
                name="missing_interview_due_when_returned",
            ),
            models.CheckConstraint(
                condition=Q(
                    interview_completed_at__isnull=True, interviewer__isnull=True
                )
                | Q(interview_completed_at__isnull=False, interviewer__isnull=False),
                name="return_interview_recorded_together",
            ),
        ]

    def __str__(self) -> str:
        return f"Missing episode of {self.person} from {self.started_at:%d %b %Y}"

    def interview_overdue(self, now: dt.datetime | None = None) -> bool:
        return (
            self.interview_due_at is not None
            and self.interview_completed_at is None
            and not self.interview_not_held_reason
            and (now or timezone.now()) > self.interview_due_at
        )
