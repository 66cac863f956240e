"""Partnerships and the local government areas they cover.

A partnership (for example a community safety partnership, or a violence reduction unit
for a force area) covers one or more local government areas; agencies are its members,
each with its statutory role under the Serious Violence Duty. A user's partnerships are
those their agencies belong to: that is the scope of everything partnership-level.
"""

from __future__ import annotations

from django.db import models

from svduty.accounts.models import Agency
from svduty.accounts.roles import Permission
from svduty.core.policies import PolicyQuerySet


class LocalArea(models.Model):
    """A local government area (ONS code, e.g. E06000001 Hartlepool)."""

    ons_code = models.CharField("ONS code", max_length=9, unique=True)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.ons_code})"


class PartnershipQuerySet(PolicyQuerySet):
    def visible_to(self, user):
        from svduty.core.policies import has_permission

        if not has_permission(user, Permission.VIEW_PARTNERSHIP):
            return self.none()
        if has_permission(user, Permission.VIEW_AUDIT):
            return self.all()
        return self.filter(members__agency__in=user.agency_ids()).distinct()


class Partnership(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200, unique=True)
    areas = models.ManyToManyField(LocalArea, related_name="partnerships", blank=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StatutoryRole(models.TextChoices):
    SPECIFIED = "specified", "Specified authority"
    RELEVANT = "relevant", "Relevant authority (educational, prison or youth custody)"
    LOCAL_POLICING_BODY = "local_policing_body", "Local policing body"
    INVITED = "invited", "Invited participant"
    VOLUNTARY = "voluntary", "Voluntary or community partner"


class PartnershipMember(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="members"
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="partnership_memberships"
    )
    statutory_role = models.CharField(max_length=30, choices=StatutoryRole.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "agency"], name="agency_once_per_partnership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} in {self.partnership}"
