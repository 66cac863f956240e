"""Assessments with contributions from other agencies and manager sign-off."""

from __future__ import annotations

import datetime as dt
from typing import Self

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from svduty.core.guard import GuardedModel, GuardedQuerySet
from svduty.core.policies import PolicyQuerySet
from svduty.core.types import AnyUser

from .base import ChildRecordQuerySet
from .people import Person


class AssessmentType(GuardedModel):
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    timescale_working_days = models.PositiveIntegerField(
        default=45,
        help_text="Working days from the start to the due date (Working Together: "
        "45 for a child and family assessment).",
    )
    is_active = models.BooleanField(default=True)

    objects = GuardedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AssessmentStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Waiting for sign-off"
    SIGNED_OFF = "signed_off", "Signed off"


# Allowed transitions, in one place (convention 3).
ASSESSMENT_TRANSITIONS: dict[str, set[str]] = {
    AssessmentStatus.IN_PROGRESS: {AssessmentStatus.SUBMITTED},
    AssessmentStatus.SUBMITTED: {
        AssessmentStatus.IN_PROGRESS,
        AssessmentStatus.SIGNED_OFF,
    },
    AssessmentStatus.SIGNED_OFF: set(),
}


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class Assessment(GuardedModel):
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="assessments"
    )
    assessment_type = models.ForeignKey(
        AssessmentType, on_delete=models.PROTECT, related_name="+"
    )
    referral = models.ForeignKey(
        "cases.Referral",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessments",
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField()
    due_on = models.DateField()
    status = models.CharField(
        max_length=20,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.IN_PROGRESS,
    )
    extra_familial_harm = models.TextField(
        "Harm outside the family",
        blank=True,
        help_text="Risks from peers, school, neighbourhood and places the child goes.",
    )
    online_risk = models.TextField(blank=True)
    family_strengths = models.TextField("Family strengths", blank=True)
    family_risks = models.TextField("Risks within the family", blank=True)
    siblings_and_peers = models.TextField(
        "Siblings and peers considered",
        blank=True,
        help_text="Who else may be affected or involved.",
    )
    linked_people = models.ManyToManyField(Person, blank=True, related_name="+")
    child_views = models.TextField(
        "The child's views, in their words",
        blank=True,
        help_text="Write what the child said, as they said it.",
    )
    child_views_not_obtained_reason = models.TextField(blank=True)
    parent_views = models.TextField("Parents' or carers' views", blank=True)
    analysis = models.TextField(
        "Analysis and recommendation",
        blank=True,
        help_text="What the information means for the child, and what should happen.",
    )
    late_reason = models.TextField(
        blank=True, help_text="Why the assessment is finishing after its due date."
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    sign_off_note = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    objects = ChildRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [
            models.Index(fields=["person", "-started_on"]),
            models.Index(
                fields=["lead", "due_on"],
                condition=~Q(status=AssessmentStatus.SIGNED_OFF),
                name="assessment_open_by_lead",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status=AssessmentStatus.SIGNED_OFF,
                    signed_off_by__isnull=False,
                    signed_off_at__isnull=False,
                )
                | Q(
                    ~Q(status=AssessmentStatus.SIGNED_OFF),
                    signed_off_by__isnull=True,
                    signed_off_at__isnull=True,
                ),
                name="assessment_sign_off_recorded_together",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("started_on")),
                name="assessment_due_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_type} for {self.person}"

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return (
            self.status != AssessmentStatus.SIGNED_OFF
            and (today or timezone.localdate()) > self.due_on
        )

    @property
    def child_views_missing(self) -> bool:
        return not self.child_views.strip()


class ContributionStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    RECEIVED = "received", "Received"
    DECLINED = "declined", "Declined"


class ContributionQuerySet(PolicyQuerySet):
    def visible_to(self, user: AnyUser) -> Self:
        """The case team see all contributions; a practitioner in the agency asked
        sees the request made to their agency (and can answer it)."""
        from svduty.core.authorisation import Permission
        from svduty.core.policies import has_permission

        if not has_permission(user, Permission.VIEW_CASES):
            return self.none()
        return self.filter(
            Q(assessment__person__in=Person.objects.visible_to(user))
            | Q(agency_id__in=user.agency_ids())  # type: ignore[union-attr]
        )


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class Contribution(GuardedModel):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="contributions"
    )
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="contributions"
    )
    question = models.TextField(
        help_text="What you would like this agency to tell you about the child."
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    due_on = models.DateField()
    status = models.CharField(
        max_length=10,
        choices=ContributionStatus.choices,
        default=ContributionStatus.REQUESTED,
    )
    response = models.TextField(blank=True)
    declined_reason = models.TextField(blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    objects = ContributionQuerySet.as_manager()

    class Meta:
        ordering = ["requested_at", "id"]
        indexes = [
            models.Index(
                fields=["agency", "due_on"],
                condition=Q(status=ContributionStatus.REQUESTED),
                name="contribution_open_by_agency",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "agency"], name="one_contribution_per_agency"
            ),
            models.CheckConstraint(
                condition=Q(
                    status=ContributionStatus.REQUESTED,
                    responded_by__isnull=True,
                    responded_at__isnull=True,
                )
                | Q(
                    ~Q(status=ContributionStatus.REQUESTED),
                    responded_by__isnull=False,
                    responded_at__isnull=False,
                ),
                name="contribution_response_recorded_together",
            ),
            models.CheckConstraint(
                condition=~Q(status=ContributionStatus.RECEIVED) | ~Q(response=""),
                name="received_contribution_has_response",
            ),
            models.CheckConstraint(
                condition=~Q(status=ContributionStatus.DECLINED)
                | ~Q(declined_reason=""),
                name="declined_contribution_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Contribution from {self.agency} to {self.assessment}"

    @property
    def person(self) -> Person:
        return self.assessment.person
