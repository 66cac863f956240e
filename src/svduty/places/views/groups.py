"""Peer groups: the list, a group's page (members over time, assessments, shared
plan) and the forms that change a group."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from svduty.cases.policies import prime_user
from svduty.core.authorisation import Permission
from svduty.core.policies import get_visible_or_404, has_permission, requires
from svduty.core.viewing import note_choices

from .. import actions
from ..forms import AssessmentForm, EndForm, GroupPlanForm, MemberForm, PeerGroupForm
from ..models import GroupStatus, PeerGroup, PeerGroupMember, PlanStatus
from .common import audit_children_shown, my_partnerships, save_form


def visible_group(request: HttpRequest, pk: int) -> PeerGroup:
    prime_user(request.user)
    return get_visible_or_404(
        PeerGroup.objects.select_related("partnership", "lead_agency"),
        request.user,
        pk=pk,
    )


def _group_url(group: PeerGroup) -> str:
    return reverse("places:group", args=[group.pk])


@requires(Permission.VIEW_PLACES)
def group_list(request: HttpRequest) -> HttpResponse:
    prime_user(request.user)
    today = timezone.localdate()
    groups = list(
        PeerGroup.objects.visible_to(request.user)
        .annotate(
            current_members=Count(
                "memberships",
                filter=Q(memberships__started_on__lte=today)
                & (
                    Q(memberships__ended_on__isnull=True)
                    | Q(memberships__ended_on__gte=today)
                ),
            )
        )
        .order_by("status", "name")
    )
    return render(
        request,
        "places/group_list.html",
        {
            "groups": groups,
            "may_manage": has_permission(request.user, Permission.MANAGE_PLACES),
        },
    )


@requires(Permission.VIEW_PLACES)
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = visible_group(request, pk)
    memberships = list(
        group.memberships.select_related("person").order_by(
            "ended_on", "person__last_name", "started_on", "id"
        )
    )
    today = timezone.localdate()
    current = [m for m in memberships if m.ended_on is None or m.ended_on >= today]
    past = [m for m in memberships if m not in current]
    plans = list(group.plans.select_related("recorded_by"))
    audit_children_shown(
        request, group, "peer group", list({m.person_id for m in memberships})
    )
    return render(
        request,
        "places/group_detail.html",
        {
            "group": group,
            "current": current,
            "past": past,
            "assessments": list(group.assessments.select_related("agency")[:3]),
            "plan": next((p for p in plans if p.status == PlanStatus.CURRENT), None),
            "old_plans": [p for p in plans if p.status != PlanStatus.CURRENT],
            "may_manage": has_permission(request.user, Permission.MANAGE_PLACES)
            and group.status == GroupStatus.OPEN,
        },
    )


@requires(Permission.MANAGE_PLACES)
def group_new(request: HttpRequest) -> HttpResponse:
    form = PeerGroupForm(
        request.POST or None, partnerships=my_partnerships(request.user)
    )
    return save_form(
        request,
        form,
        lambda data: actions.create_peer_group(
            by=request.user,
            partnership=data["partnership"],
            name=data["name"],
            description=data["description"],
            lead_agency=data["lead_agency"],
        ),
        success="Peer group recorded. Now add its members.",
        next_url=_group_url,
        context={"title": "Record a peer group"},
    )


@requires(Permission.MANAGE_PLACES)
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = visible_group(request, pk)
    form = PeerGroupForm(
        request.POST or None,
        partnerships=None,
        partnership=group.partnership,
        initial={
            "name": group.name,
            "description": group.description,
            "lead_agency": group.lead_agency,
            "version": group.version,
        },
    )
    return save_form(
        request,
        form,
        lambda data: actions.update_peer_group(
            by=request.user,
            group=group,
            expected_version=data["version"],
            name=data["name"],
            description=data["description"],
            lead_agency=data["lead_agency"],
        ),
        success="Peer group updated",
        next_url=_group_url,
        context={"title": f"Change {group.name}", "group": group},
    )


@requires(Permission.MANAGE_PLACES)
def group_close(request: HttpRequest, pk: int) -> HttpResponse:
    group = visible_group(request, pk)
    form = EndForm(request.POST or None)
    return save_form(
        request,
        form,
        lambda data: actions.close_peer_group(
            by=request.user, group=group, closed_on=data["ended_on"]
        ),
        success="Peer group closed; every membership ended on that date",
        next_url=_group_url,
        context={"title": f"Close {group.name}", "group": group},
    )


@requires(Permission.MANAGE_PLACES)
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    group = visible_group(request, pk)
    form = MemberForm(
        request.POST or None, user=request.user, partnership=group.partnership
    )
    note_choices(form, "person")
    return save_form(
        request,
        form,
        lambda data: actions.add_member(by=request.user, group=group, **data),
        success="Child added to the group",
        next_url=lambda _m: _group_url(group),
        context={
            "title": f"Add a child to {group.name}",
            "intro": "Everyone who can see this group must be able to read every "
            "member's record: after this, only they will see the group.",
            "group": group,
        },
    )


@requires(Permission.MANAGE_PLACES)
def member_end(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    group = visible_group(request, pk)
    membership = get_visible_or_404(
        PeerGroupMember.objects.filter(
            group=group, ended_on__isnull=True
        ).select_related("person", "group"),
        request.user,
        pk=member_pk,
    )
    form = EndForm(request.POST or None)
    return save_form(
        request,
        form,
        lambda data: actions.end_membership(
            by=request.user, membership=membership, **data
        ),
        success="Membership ended",
        next_url=lambda _m: _group_url(group),
        context={"title": f"{membership.person} leaves {group.name}", "group": group},
    )


@requires(Permission.MANAGE_PLACES)
def group_assessment_add(request: HttpRequest, pk: int) -> HttpResponse:
    group = visible_group(request, pk)
    form = AssessmentForm(request.POST or None)
    return save_form(
        request,
        form,
        lambda data: actions.record_group_assessment(
            by=request.user,
            group=group,
            assessed_on=data["assessed_on"],
            risk_level=data["risk_level"],
            summary=data["summary"],
            **form.text_fields(),
        ),
        success="Group assessment recorded",
        next_url=lambda _a: _group_url(group),
        context={
            "title": f"Assess {group.name}",
            "intro": "A peer assessment of the group as a whole: how the group "
            "behaves, who is harmed, and what keeps its members safe.",
            "group": group,
        },
    )


@requires(Permission.MANAGE_PLACES)
def group_plan_new(request: HttpRequest, pk: int) -> HttpResponse:
    group = visible_group(request, pk)
    form = GroupPlanForm(request.POST or None)
    return save_form(
        request,
        form,
        lambda data: actions.agree_group_plan(by=request.user, group=group, **data),
        success="Shared plan recorded",
        next_url=lambda _p: _group_url(group),
        context={
            "title": f"Shared plan for {group.name}",
            "intro": "A new plan replaces the current one, which is kept.",
            "group": group,
        },
    )
