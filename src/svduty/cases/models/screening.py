"""Configurable exploitation and serious-violence risk screening (reference C.2)."""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from svduty.cases.rules import ScoringRules
from svduty.core.guard import GuardedModel, GuardedQuerySet

from .base import ChildRecordQuerySet
from .choices import RiskLevel
from .people import Person


class ScreeningTool(GuardedModel):
    """A version of the screening form. A partnership changes the form by adding a
    new version, so that old screenings keep the questions they were answered with."""

    name = models.CharField(max_length=200)
    version = models.PositiveIntegerField(default=1)
    is_active = models.BooleanField(default=True)
    medium_from = models.PositiveIntegerField(
        default=3, help_text="A total score at or above this suggests medium risk."
    )
    high_from = models.PositiveIntegerField(
        default=8, help_text="A total score at or above this suggests high risk."
    )
    significant_means_high = models.BooleanField(
        default=True, help_text="Any significant indicator present suggests high risk."
    )
    floor_under_age = models.PositiveIntegerField(
        null=True,
        blank=True,
        default=13,
        help_text="Children younger than this with any indicator present cannot be "
        "rated below the floor level.",
    )
    floor_for_learning_disability = models.BooleanField(default=True)
    floor_level = models.CharField(
        max_length=10, choices=RiskLevel.choices, default=RiskLevel.MEDIUM
    )
    review_weeks = models.PositiveIntegerField(
        default=12, help_text="When the next screening is due, in weeks."
    )

    objects = GuardedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="tool_version"),
            models.CheckConstraint(
                condition=Q(high_from__gt=models.F("medium_from")),
                name="tool_thresholds_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"

    @property
    def rules(self) -> ScoringRules:
        return ScoringRules(
            medium_from=self.medium_from,
            high_from=self.high_from,
            significant_means_high=self.significant_means_high,
            floor_under_age=self.floor_under_age,
            floor_for_learning_disability=self.floor_for_learning_disability,
            floor_level=self.floor_level,
        )


class IndicatorGroup(GuardedModel):
    tool = models.ForeignKey(
        ScreeningTool, on_delete=models.CASCADE, related_name="groups"
    )
    name = models.CharField(max_length=200)
    order = models.PositiveIntegerField(default=0)

    objects = GuardedQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class Indicator(GuardedModel):
    group = models.ForeignKey(
        IndicatorGroup, on_delete=models.CASCADE, related_name="indicators"
    )
    text = models.CharField(max_length=300)
    hint = models.CharField(max_length=300, blank=True)
    weight = models.PositiveIntegerField(default=1)
    is_significant = models.BooleanField(default=False)
    order = models.PositiveIntegerField(default=0)

    objects = GuardedQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text


class Answer(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_KNOWN = "not_known", "Not known"


class When(models.TextChoices):
    CURRENT = "current", "Now or in the last 6 months"
    EARLIER = "earlier", "More than 6 months ago"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class Screening(GuardedModel):
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="screenings"
    )
    tool = models.ForeignKey(ScreeningTool, on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(
        "cases.Referral",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="screenings",
    )
    screened_on = models.DateField()
    score = models.PositiveIntegerField()
    suggested_level = models.CharField(max_length=10, choices=RiskLevel.choices)
    suggestion_reasons = models.JSONField(default=list)
    agreed_level = models.CharField(max_length=10, choices=RiskLevel.choices)
    override_reason = models.TextField(blank=True)
    danger_statement = models.TextField(
        blank=True, help_text="What we are worried will happen if nothing changes."
    )
    safety_goal = models.TextField(
        blank=True, help_text="What needs to be true for us to be less worried."
    )
    review_on = models.DateField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField(default=timezone.now)

    objects = ChildRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-screened_on", "-id"]
        indexes = [models.Index(fields=["person", "-screened_on", "-id"])]
        constraints = [
            # The practitioner's judgement may differ from the suggestion, but never
            # silently: the reason is required whenever they differ.
            models.CheckConstraint(
                condition=Q(agreed_level=models.F("suggested_level"))
                | ~Q(override_reason=""),
                name="screening_override_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"Screening of {self.person} on {self.screened_on:%d %b %Y}"

    @property
    def is_override(self) -> bool:
        return self.agreed_level != self.suggested_level


class ScreeningAnswer(GuardedModel):
    screening = models.ForeignKey(
        Screening, on_delete=models.CASCADE, related_name="answers"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(max_length=10, choices=Answer.choices)
    when = models.CharField(max_length=10, choices=When.choices, blank=True)
    evidence = models.TextField(blank=True)

    objects = GuardedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["screening", "indicator"], name="one_answer_per_indicator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.get_answer_display()}"
