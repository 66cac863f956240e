"""Plans: goals and actions, versioned so that every change is visible afterwards."""

from __future__ import annotations

import datetime as dt

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from svduty.core.guard import GuardedModel, GuardedQuerySet

from .base import ChildRecordQuerySet
from .people import Person


class PlanStatus(models.TextChoices):
    CURRENT = "current", "Current"
    ENDED = "ended", "Ended"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class Plan(GuardedModel):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="plans")
    title = models.CharField(max_length=200, default="Safety plan")
    status = models.CharField(
        max_length=10, choices=PlanStatus.choices, default=PlanStatus.CURRENT
    )
    review_on = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    end_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = ChildRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status=PlanStatus.CURRENT),
                name="one_current_plan_per_person",
            ),
            models.CheckConstraint(
                condition=Q(
                    status=PlanStatus.CURRENT,
                    ended_at__isnull=True,
                    ended_by__isnull=True,
                )
                | Q(
                    status=PlanStatus.ENDED,
                    ended_at__isnull=False,
                    ended_by__isnull=False,
                ),
                name="plan_end_recorded_together",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} for {self.person}"

    def review_overdue(self, today: dt.date | None = None) -> bool:
        return (
            self.status == PlanStatus.CURRENT
            and (today or timezone.localdate()) > self.review_on
        )


class Goal(GuardedModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    text = models.TextField(help_text="What will be different for the child.")
    order = models.PositiveIntegerField(default=0)
    achieved_at = models.DateTimeField(null=True, blank=True)

    objects = GuardedQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text


class PlanActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class PlanAction(GuardedModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    goal = models.ForeignKey(
        Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    text = models.TextField()
    owner_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="plan_actions",
        help_text="The named lead for this action.",
    )
    due_on = models.DateField()
    status = models.CharField(
        max_length=20,
        choices=PlanActionStatus.choices,
        default=PlanActionStatus.NOT_STARTED,
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = GuardedQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(
                fields=["owner", "due_on"],
                condition=Q(
                    status__in=[
                        PlanActionStatus.NOT_STARTED,
                        PlanActionStatus.IN_PROGRESS,
                    ]
                ),
                name="plan_action_open_by_owner",
            ),
            models.Index(
                fields=["owner_agency", "due_on"],
                condition=Q(
                    status__in=[
                        PlanActionStatus.NOT_STARTED,
                        PlanActionStatus.IN_PROGRESS,
                    ]
                ),
                name="plan_action_open_by_agency",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=PlanActionStatus.DONE, completed_at__isnull=False)
                | Q(~Q(status=PlanActionStatus.DONE), completed_at__isnull=True),
                name="plan_action_completion_recorded_together",
            )
        ]

    #: The statuses of an action still to be done (readers of plain rows use it).
    OPEN_STATUSES = frozenset(
        {PlanActionStatus.NOT_STARTED, PlanActionStatus.IN_PROGRESS}
    )

    def __str__(self) -> str:
        return self.text

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.is_open and (today or timezone.localdate()) > self.due_on


class PlanVersion(GuardedModel):
    """A snapshot of the whole plan after each change, with what changed and why."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    change_summary = models.CharField(max_length=500)
    reason = models.TextField(blank=True)
    risk_level = models.CharField(max_length=10, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = GuardedQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_once")
        ]

    def __str__(self) -> str:
        return f"Version {self.number} of {self.plan}"
