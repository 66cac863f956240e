"""What place and peer-group records share: the partnership scope and the fields of a
context assessment (the neighbourhood and peer triangles of the Contextual Safeguarding
toolkit)."""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.utils import timezone

from svduty.accounts.models import Agency
from svduty.cases.models import RiskLevel
from svduty.core.authorisation import Permission
from svduty.core.guard import GuardedModel
from svduty.core.policies import PolicyQuerySet, has_permission
from svduty.core.types import AnyUser


def partnership_ids_of(user: AnyUser) -> set[int]:
    """The partnerships a user works in (their agencies'), cached for the request by
    the cases policy helpers."""
    from svduty.cases.policies import user_partnership_ids

    return user_partnership_ids(user)


class ContextQuerySet(PolicyQuerySet):
    """Places and peer groups belong to one partnership and are seen by its members
    who work with places (VIEW_PLACES)."""

    def in_scope(self, user: AnyUser) -> Self:
        if not has_permission(user, Permission.VIEW_PLACES):
            return self.none()
        return self.filter(partnership_id__in=partnership_ids_of(user))

    def visible_to(self, user: AnyUser) -> Self:
        return self.in_scope(user)


class ContextAssessment(GuardedModel):
    """An assessment of a context (a place or a peer group), not of a child."""

    assessed_on = models.DateField()
    risk_level = models.CharField(
        "Level of risk", max_length=10, choices=RiskLevel.choices
    )
    summary = models.TextField("What is happening")
    harm = models.TextField("Who is harmed and how", blank=True)
    protective_factors = models.TextField("What keeps children safe", blank=True)
    voices = models.TextField(
        "What children, families and the community told us", blank=True
    )
    recommendations = models.TextField("What should happen next", blank=True)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["-assessed_on", "-id"]
