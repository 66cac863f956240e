"""Changes to peer groups: membership over time, group assessments and the shared
plan (architecture D6).

A user may change a group only when they may see it, that is, when they may read
the full record of every child who has been in it; adding a child needs the same
right over the child, so a group never holds a child its own editors cannot see.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from svduty.accounts.models import Agency
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.cases.models import Person, PersonKind, RiskLevel
from svduty.partnership.locking import bump, lock
from svduty.partnership.models import Partnership

from ..models import (
    GroupStatus,
    MembershipRole,
    PeerGroup,
    PeerGroupAssessment,
    PeerGroupMember,
    PeerGroupPlan,
    PlanStatus,
)
from .common import agency_of, in_order, not_in_future, require_manage, require_visible


def _require_group(by: Any, group: PeerGroup) -> None:
    require_manage(by, group.partnership_id)
    require_visible(by, group)


@transaction.atomic
def create_peer_group(
    *,
    by: Any,
    partnership: Partnership,
    name: str,
    description: str = "",
    lead_agency: Agency | None = None,
) -> PeerGroup:
    require_manage(by, partnership)
    if not name.strip():
        raise ValidationError({"name": "Enter a name for the group"})
    group = PeerGroup.objects.create(
        partnership=partnership,
        name=name.strip(),
        description=description.strip(),
        lead_agency=lead_agency,
        created_by=by,
    )
    record(AuditAction.CREATE, actor=by, target=group)
    return group


@transaction.atomic
def update_peer_group(
    *,
    by: Any,
    group: PeerGroup,
    expected_version: int | None,
    name: str,
    description: str,
    lead_agency: Agency | None,
) -> PeerGroup:
    _require_group(by, group)
    if not name.strip():
        raise ValidationError({"name": "Enter a name for the group"})
    locked = lock(group, expected_version)
    locked.name, locked.description = name.strip(), description.strip()
    locked.lead_agency = lead_agency
    bump(locked)
    locked.updated_at = timezone.now()
    locked.save()
    record(AuditAction.CHANGE, actor=by, target=locked)
    return locked


@transaction.atomic
def close_peer_group(*, by: Any, group: PeerGroup, closed_on: dt.date) -> PeerGroup:
    """Closing a group ends every open membership on the same day."""
    _require_group(by, group)
    not_in_future(closed_on, "closed_on", "The date")
    locked = lock(group)
    if locked.status == GroupStatus.CLOSED:
        raise ValidationError("This group is already closed")
    open_members = locked.memberships.filter(ended_on__isnull=True)
    if open_members.filter(started_on__gt=closed_on).exists():
        raise ValidationError(
            {"closed_on": "The date must be on or after every member's start date"}
        )
    open_members.update(ended_on=closed_on)
    locked.status, locked.closed_on = GroupStatus.CLOSED, closed_on
    bump(locked)
    locked.updated_at = timezone.now()
    locked.save()
    record(
        AuditAction.CHANGE,
        actor=by,
        target=locked,
        detail={"closed_on": closed_on.isoformat()},
    )
    return locked


@transaction.atomic
def add_member(
    *,
    by: Any,
    group: PeerGroup,
    person: Person,
    started_on: dt.date,
    role: MembershipRole | str = MembershipRole.MEMBER,
    note: str = "",
) -> PeerGroupMember:
    _require_group(by, group)
    if group.status == GroupStatus.CLOSED:
        raise ValidationError("Reopen the group before adding members")
    if not Person.objects.visible_to(by).filter(pk=person.pk).exists():
        raise PermissionDenied("You cannot see this child's record.")
    if person.partnership_id != group.partnership_id:
        raise ValidationError({"person": "Select a child in the group's partnership"})
    if person.kind != PersonKind.CHILD:
        raise ValidationError({"person": "Select a child or young person"})
    not_in_future(started_on, "started_on", "The start date")
    overlapping = PeerGroupMember.objects.filter(group=group, person=person).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=started_on)
    )
    if overlapping.exists():
        raise ValidationError(
            {"person": "This child is already a member of the group on that date"}
        )
    membership = PeerGroupMember.objects.create(
        group=group,
        person=person,
        role=MembershipRole(role),
        started_on=started_on,
        note=note.strip(),
        added_by=by,
    )
    record(
        AuditAction.CREATE,
        actor=by,
        target=membership,
        detail={"group_id": group.pk, "person_id": person.pk, "role": membership.role},
    )
    return membership


@transaction.atomic
def end_membership(
    *, by: Any, membership: PeerGroupMember, ended_on: dt.date
) -> PeerGroupMember:
    _require_group(by, membership.group)
    if membership.ended_on is not None:
        raise ValidationError("This membership has already ended")
    not_in_future(ended_on, "ended_on", "The end date")
    in_order(membership.started_on, ended_on, "ended_on", "The end date", "the start")
    membership.ended_on = ended_on
    membership.save(update_fields=["ended_on"])
    record(
        AuditAction.CHANGE,
        actor=by,
        target=membership,
        detail={"ended_on": ended_on.isoformat(), "person_id": membership.person_id},
    )
    return membership


@transaction.atomic
def record_group_assessment(
    *,
    by: Any,
    group: PeerGroup,
    assessed_on: dt.date,
    risk_level: RiskLevel | str,
    summary: str,
    **text: str,
) -> PeerGroupAssessment:
    """A group assessment; the latest one sets the group's risk level."""
    _require_group(by, group)
    if not summary.strip():
        raise ValidationError({"summary": "Enter what is happening in the group"})
    not_in_future(assessed_on, "assessed_on", "The date of the assessment")
    assessment = PeerGroupAssessment.objects.create(
        group=group,
        assessed_on=assessed_on,
        risk_level=RiskLevel(risk_level),
        summary=summary.strip(),
        agency=agency_of(by),
        recorded_by=by,
        **{name: value.strip() for name, value in text.items()},
    )
    latest = group.assessments.order_by("-assessed_on", "-id").first()
    if latest is not None and latest.pk == assessment.pk:
        PeerGroup.objects.filter(pk=group.pk).update(
            risk_level=assessment.risk_level, risk_level_on=assessed_on
        )
    record(
        AuditAction.CREATE,
        actor=by,
        target=assessment,
        detail={"group_id": group.pk, "risk_level": assessment.risk_level},
    )
    return assessment


@transaction.atomic
def agree_group_plan(
    *,
    by: Any,
    group: PeerGroup,
    agreed_on: dt.date,
    review_on: dt.date,
    objectives: str,
    actions: str,
) -> PeerGroupPlan:
    """The new shared plan replaces the current one (kept, marked replaced)."""
    _require_group(by, group)
    if not objectives.strip():
        raise ValidationError({"objectives": "Enter what the plan is for"})
    if not actions.strip():
        raise ValidationError({"actions": "Enter who will do what, by when"})
    not_in_future(agreed_on, "agreed_on", "The date agreed")
    in_order(agreed_on, review_on, "review_on", "The review date", "the date agreed")
    lock(group)  # one plan change at a time per group
    replaced = list(
        group.plans.filter(status=PlanStatus.CURRENT).values_list("pk", flat=True)
    )
    group.plans.filter(pk__in=replaced).update(status=PlanStatus.REPLACED)
    plan = PeerGroupPlan.objects.create(
        group=group,
        agreed_on=agreed_on,
        review_on=review_on,
        objectives=objectives.strip(),
        actions=actions.strip(),
        recorded_by=by,
    )
    record(
        AuditAction.CREATE,
        actor=by,
        target=plan,
        detail={"group_id": group.pk, "replaced": replaced},
    )
    return plan
