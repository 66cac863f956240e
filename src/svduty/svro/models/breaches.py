"""Breaches (s.342G, issue 10 point 5) and later convictions (the s.166(3)(e)
reoffending item)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from svduty.core.guard import GuardedModel

from .choices import BreachKind, Investigation, Sentence
from .orders import Holder, HolderRecordQuerySet, Order, OrderRecordQuerySet


class Breach(GuardedModel):
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="breaches")
    kind = models.CharField(max_length=20, choices=BreachKind.choices)
    occurred_on = models.DateField()
    reported_by = models.CharField(max_length=200)
    investigation = models.CharField(
        max_length=12, choices=Investigation.choices, default=Investigation.SUSPECTED
    )
    charge = models.CharField(max_length=300, blank=True)
    sentence = models.CharField(max_length=24, choices=Sentence.choices, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = OrderRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(investigation=Investigation.CONVICTED) | Q(sentence=""),
                name="svro_sentence_only_on_conviction",
            ),
            models.CheckConstraint(
                condition=~Q(
                    investigation__in=[
                        Investigation.CHARGED,
                        Investigation.CONVICTED,
                        Investigation.ACQUITTED,
                    ]
                )
                | ~Q(charge=""),
                name="svro_charged_breach_has_charge",
            ),
        ]

    def __str__(self) -> str:
        return f"Breach {self.pk}"


class Reoffence(GuardedModel):
    """A conviction of an order holder for an offence committed after an order was
    made, for the initial assessment of reoffending (s.166(3)(e)): entered by hand or
    from a conviction feed."""

    holder = models.ForeignKey(
        Holder, on_delete=models.PROTECT, related_name="reoffences"
    )
    offence = models.CharField(max_length=300)
    offence_date = models.DateField()
    conviction_date = models.DateField()
    weapon_related = models.BooleanField(default=False)
    source = models.CharField(max_length=100, default="Entered by an officer")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = HolderRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-offence_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(offence_date__lte=models.F("conviction_date")),
                name="svro_reoffence_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"Reoffence {self.pk}"
