"""Peer groups: children assessed together because the harm they face comes from,
or happens within, their group (Contextual Safeguarding peer assessments).

A group's details name or describe every member, so a user sees a group only when
they may read the full record of every child who has ever been in it; the rest of
the partnership sees nothing of it (not even on a member's own record)."""

from __future__ import annotations

from typing import Self

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from svduty.accounts.models import Agency
from svduty.cases.models import Person, RiskLevel
from svduty.core.guard import GuardedModel
from svduty.core.policies import PolicyQuerySet
from svduty.core.types import AnyUser
from svduty.partnership.models import Partnership

from .base import ContextAssessment, ContextQuerySet
from .choices import GroupStatus, MembershipRole, PlanStatus


class PeerGroupQuerySet(ContextQuerySet):
    def visible_to(self, user: AnyUser) -> Self:
        hidden_member = PeerGroupMember.objects.filter(group=OuterRef("pk")).exclude(
            person__in=Person.objects.visible_to(user)
        )
        return self.in_scope(user).filter(~Exists(hidden_member))


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class PeerGroup(GuardedModel):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="peer_groups"
    )
    name = models.CharField(
        max_length=200,
        help_text="A working name that does not identify any child, for example "
        "'Group 3 (Stockton town centre)'.",
    )
    description = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=GroupStatus.choices, default=GroupStatus.OPEN
    )
    closed_on = models.DateField(null=True, blank=True)
    # Denormalised from the latest group assessment (kept by actions).
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    risk_level_on = models.DateField(null=True, blank=True)
    lead_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    objects = PeerGroupQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=GroupStatus.OPEN, closed_on__isnull=True)
                | Q(status=GroupStatus.CLOSED, closed_on__isnull=False),
                name="peer_group_closed_on_with_status",
            ),
            models.CheckConstraint(
                condition=Q(risk_level="") | Q(risk_level_on__isnull=False),
                name="peer_group_risk_level_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class GroupRecordQuerySet(PolicyQuerySet):
    """Records about a group are visible exactly when the group is."""

    def visible_to(self, user: AnyUser) -> Self:
        return self.filter(group__in=PeerGroup.objects.visible_to(user))


class MembershipQuerySet(GroupRecordQuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(started_on__lte=on).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=on)
        )


@pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent()
)
class PeerGroupMember(GuardedModel):
    """One period of a child's membership of a group (a child who leaves and comes
    back has two rows)."""

    group = models.ForeignKey(
        PeerGroup, on_delete=models.CASCADE, related_name="memberships"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(
        max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["started_on", "id"]
        indexes = [models.Index(fields=["person", "group"])]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "person"],
                condition=Q(ended_on__isnull=True),
                name="peer_group_member_open_once",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="peer_group_member_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.group}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class PeerGroupAssessment(ContextAssessment):
    group = models.ForeignKey(
        PeerGroup, on_delete=models.CASCADE, related_name="assessments"
    )

    objects = GroupRecordQuerySet.as_manager()

    class Meta(ContextAssessment.Meta):
        pass


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class PeerGroupPlan(GuardedModel):
    """The group's shared plan: one current plan; a new one replaces it."""

    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="plans")
    status = models.CharField(
        max_length=10, choices=PlanStatus.choices, default=PlanStatus.CURRENT
    )
    agreed_on = models.DateField()
    review_on = models.DateField()
    objectives = models.TextField("What the plan is for")
    actions = models.TextField("Who will do what, by when")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = GroupRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-agreed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group"],
                condition=Q(status=PlanStatus.CURRENT),
                name="one_current_plan_per_peer_group",
            ),
            models.CheckConstraint(
                condition=Q(review_on__gte=F("agreed_on")),
                name="peer_group_plan_review_after_agreed",
            ),
        ]

    def __str__(self) -> str:
        return f"Plan agreed {self.agreed_on:%-d %B %Y}"
