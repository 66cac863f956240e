"""Places and spaces of concern (contextual safeguarding): where children are harmed,
the children linked to them, what is known about them and what is done there."""

from __future__ import annotations

import datetime as dt
from typing import Self

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from svduty.accounts.models import Agency
from svduty.cases.models import Person, RiskLevel
from svduty.core.guard import GuardedModel
from svduty.core.policies import PolicyQuerySet
from svduty.core.types import AnyUser
from svduty.partnership.models import LocalArea, Partnership

from .base import ContextAssessment, ContextQuerySet
from .choices import InterventionKind, PlaceKind, PlaceLinkRole, PlaceStatus, ReportKind


class PlaceQuerySet(ContextQuerySet):
    pass


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class Place(GuardedModel):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="places"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=PlaceKind.choices)
    description = models.TextField(blank=True)
    area = models.ForeignKey(
        LocalArea,
        verbose_name="Local authority area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # A point in WGS84; none for online platforms (and for a place whose exact spot
    # is not known yet).
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    # How far around the point the place reaches: the default radius for counting
    # police.uk incidents "at" the place.
    radius_m = models.PositiveIntegerField(
        "Radius in metres",
        default=300,
        help_text="How far around the point to count incidents, from 50 to 2,000 "
        "metres. A park or estate needs more than a shop.",
    )
    status = models.CharField(
        max_length=20, choices=PlaceStatus.choices, default=PlaceStatus.OF_CONCERN
    )
    closed_on = models.DateField(null=True, blank=True)
    # Denormalised from the latest assessment (kept by actions) for the list and map.
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    lead_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Optimistic locking: several agencies keep a place's details.
    version = models.PositiveIntegerField(default=1)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["partnership", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="place_point_complete_and_valid",
            ),
            models.CheckConstraint(
                condition=~Q(kind=PlaceKind.ONLINE) | Q(latitude__isnull=True),
                name="online_place_has_no_point",
            ),
            models.CheckConstraint(
                condition=Q(status=PlaceStatus.OF_CONCERN, closed_on__isnull=True)
                | Q(status=PlaceStatus.CLOSED, closed_on__isnull=False),
                name="place_closed_on_with_status",
            ),
            models.CheckConstraint(
                condition=Q(radius_m__gte=50, radius_m__lte=2000),
                name="place_radius_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class PlaceRecordQuerySet(PolicyQuerySet):
    """Records about a place are visible exactly when the place is."""

    def visible_to(self, user: AnyUser) -> Self:
        return self.filter(place__in=Place.objects.visible_to(user))


class PlaceChildQuerySet(PolicyQuerySet):
    def visible_to(self, user: AnyUser) -> Self:
        """Links a user may see name both a place they see and a child whose full
        record they may read; the rest are only counted."""
        return self.filter(
            place__in=Place.objects.visible_to(user),
            person__in=Person.objects.visible_to(user),
        )

    def readable_to(self, user: AnyUser, now: dt.datetime | None = None) -> Self:
        """These links, limited as `visible_to` limits them, with the case-access
        policy asked once of these links' own children (`readable_among`; `now`
        for its time limits, a stand-in when compiled once): `visible_to` has
        PostgreSQL build every person the user may read (for a manager, every
        child on their agency's case teams, 180 ms of database time for one
        place's page) to keep 30 of them."""
        from svduty.cases.policies import readable_among

        return self.filter(
            place__in=Place.objects.visible_to(user),
            person__in=readable_among(user, self.values("person_id"), now),
        )

    def current(self):
        return self.filter(ended_on__isnull=True)


@pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent()
)
class PlaceChild(GuardedModel):
    """A child linked to a place of concern."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="children")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, choices=PlaceLinkRole.choices)
    note = models.CharField(max_length=500, blank=True)
    linked_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(default=timezone.now)

    objects = PlaceChildQuerySet.as_manager()

    class Meta:
        ordering = ["-linked_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["place", "person"],
                condition=Q(ended_on__isnull=True),
                name="place_child_linked_once",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("linked_on")),
                name="place_child_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} at {self.place}"


@pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent()
)
class PlaceReport(GuardedModel):
    """An incident or an intelligence summary about a place (not about a child: a
    summary names no child; children are linked separately)."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    occurred_on = models.DateField()
    summary = models.TextField()
    source_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = PlaceRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["place", "occurred_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on:%-d %B %Y}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class PlaceAssessment(ContextAssessment):
    place = models.ForeignKey(
        Place, on_delete=models.CASCADE, related_name="assessments"
    )

    objects = PlaceRecordQuerySet.as_manager()

    class Meta(ContextAssessment.Meta):
        pass


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class PlaceIntervention(GuardedModel):
    """Something done at a place to make it safer, with its dates (the before/after
    comparison splits time at `started_on`)."""

    place = models.ForeignKey(
        Place, on_delete=models.CASCADE, related_name="interventions"
    )
    kind = models.CharField(max_length=30, choices=InterventionKind.choices)
    description = models.TextField(blank=True)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    lead_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = PlaceRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="place_intervention_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.started_on:%-d %B %Y}"
