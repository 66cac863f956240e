"""The partnership's catalogue of services a child can be referred to."""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone

from svduty.cases.models import ReferralReason
from svduty.core.authorisation import Permission
from svduty.core.guard import GuardedModel
from svduty.core.policies import PolicyQuerySet, has_permission
from svduty.core.types import AnyUser

from .choices import ServiceType, YefImpact


def partnership_ids_of(user: AnyUser) -> set[int]:
    from svduty.cases.policies import user_partnership_ids

    return user_partnership_ids(user)


class ServiceQuerySet(PolicyQuerySet):
    """The catalogue holds no personal data: everyone in the partnership may read it."""

    def visible_to(self, user: AnyUser) -> Self:
        if not has_permission(user, Permission.VIEW_PARTNERSHIP):
            return self.none()
        return self.filter(partnership_id__in=partnership_ids_of(user))


class Service(GuardedModel):
    partnership = models.ForeignKey(
        "partnership.Partnership", on_delete=models.PROTECT, related_name="services"
    )
    name = models.CharField(max_length=200)
    provider = models.CharField(max_length=200)
    service_type = models.CharField(
        "Type of service", max_length=30, choices=ServiceType.choices
    )
    description = models.TextField(blank=True)
    min_age = models.PositiveSmallIntegerField("Youngest age", default=10)
    max_age = models.PositiveSmallIntegerField("Oldest age", default=17)
    needs = ArrayField(
        models.CharField(max_length=30, choices=ReferralReason.choices),
        default=list,
        blank=True,
        help_text="The needs the service is for; empty means any need.",
    )
    capacity = models.PositiveIntegerField(
        help_text="How many children the service can work with at once."
    )
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    # Youth Endowment Fund toolkit: the strategy the service follows, its estimated
    # impact on violence and the security of that evidence (1 to 5), with the page.
    yef_strategy = models.CharField(
        "Youth Endowment Fund toolkit strategy", max_length=200, blank=True
    )
    yef_impact = models.CharField(
        "Estimated impact", max_length=20, choices=YefImpact.choices, blank=True
    )
    yef_evidence_security = models.PositiveSmallIntegerField(
        "Evidence security (1 to 5)", null=True, blank=True
    )
    evidence_source = models.URLField("Source of the rating", blank=True)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["partnership", "name", "id"], name="service_catalogue")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "name", "provider"], name="service_unique_name"
            ),
            models.CheckConstraint(
                condition=Q(min_age__lte=models.F("max_age")),
                name="service_ages_in_order",
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1), name="service_capacity_positive"
            ),
            models.CheckConstraint(
                condition=Q(yef_evidence_security__isnull=True)
                | Q(yef_evidence_security__gte=1, yef_evidence_security__lte=5),
                name="service_evidence_security_range",
            ),
            models.CheckConstraint(
                condition=(Q(yef_impact="") & Q(yef_evidence_security__isnull=True))
                | (~Q(yef_impact="") & ~Q(evidence_source="")),
                name="service_rating_has_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.provider})"

    @property
    def is_therapeutic(self) -> bool:
        from .choices import THERAPEUTIC_TYPES

        return self.service_type in THERAPEUTIC_TYPES
