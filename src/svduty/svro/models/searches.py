"""Searches under s.342E (issue 10 point 4, reference A.6): recorded against the
order in force at that moment, in any force area."""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone

from svduty.core.guard import GuardedModel

from .choices import (
    EthnicGroup,
    Ethnicity,
    ForceArea,
    Gowisely,
    IdentityMethod,
    SearchOutcome,
    Sex,
    WeaponType,
)
from .orders import Order, OrderRecordQuerySet

# The power exists only while an order giving it is in force (s.342E): the moment of
# the search, in UK local time, falls on a day the order is in force.
SEARCH_UNDER_ORDER_IN_FORCE = pgtrigger.Trigger(
    name="svro_search_under_order_in_force",
    when=pgtrigger.Before,
    operation=pgtrigger.Insert | pgtrigger.Update,
    declare=[("day", "DATE")],
    func="""
        day := (NEW.searched_at AT TIME ZONE 'Europe/London')::date;
        IF NOT EXISTS (
            SELECT 1 FROM svro_order o JOIN svro_ordertype t ON t.id = o.order_type_id
            WHERE o.id = NEW.order_id AND t.gives_search_power
              AND o.takes_effect_on <= day AND o.expires_on >= day
              AND (o.discharged_on IS NULL OR o.discharged_on > day)
        ) THEN
            RAISE EXCEPTION 'no order giving the search power was in force at %',
                NEW.searched_at USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    """,
)


class Search(GuardedModel):
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="searches")
    reference = models.CharField(max_length=40)
    force_area = models.CharField(max_length=30, choices=ForceArea.choices)
    officer_identifier = models.CharField(max_length=40)
    searched_at = models.DateTimeField()
    detained_at = models.DateTimeField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    location = models.CharField(max_length=300)
    # The local authority area where the search happened (scrutiny by area).
    local_area = models.ForeignKey(
        "partnership.LocalArea",
        verbose_name="Local authority area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    public_place = models.BooleanField(default=True)
    not_public_reason = models.TextField(blank=True)
    identity_method = models.CharField(max_length=12, choices=IdentityMethod.choices)
    gowisely = ArrayField(
        models.CharField(max_length=12, choices=Gowisely.choices),
        default=list,
        blank=True,
    )
    self_ethnicity = models.CharField(max_length=2, choices=Ethnicity.choices)
    officer_ethnicity = models.CharField(max_length=12, choices=EthnicGroup.choices)
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    sex = models.CharField(max_length=12, choices=Sex.choices)
    force_used = models.BooleanField(default=False)
    force_type = models.CharField(max_length=200, blank=True)
    items_found = ArrayField(
        models.CharField(max_length=12, choices=WeaponType.choices),
        default=list,
        blank=True,
    )
    seized = models.BooleanField(default=False)
    outcome = models.CharField(max_length=8, choices=SearchOutcome.choices)
    arrest_offence = models.CharField(max_length=200, blank=True)
    outcome_linked = models.BooleanField(default=False)
    body_worn_video = models.BooleanField(default=False)
    receipt_reference = models.CharField(max_length=40, blank=True)
    copy_requested_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = OrderRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-searched_at", "-id"]
        indexes = [
            models.Index(fields=["order", "searched_at"]),
            models.Index(fields=["searched_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["force_area", "reference"], name="svro_search_reference_unique"
            ),
            models.CheckConstraint(
                condition=Q(public_place=True) | ~Q(not_public_reason=""),
                name="svro_search_not_public_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(outcome=SearchOutcome.ARREST) | ~Q(arrest_offence=""),
                name="svro_arrest_has_offence",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="svro_search_point_valid",
            ),
            models.CheckConstraint(
                condition=Q(age__isnull=True) | Q(age__gte=18, age__lte=120),
                name="svro_search_adult_age",
            ),
        ]
        triggers = [SEARCH_UNDER_ORDER_IN_FORCE]

    def __str__(self) -> str:
        return f"Search {self.reference}"
