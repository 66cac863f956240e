"""The child's places and peer groups, shown on the child's record (cases loads it
with htmx through its panel registry; without JavaScript it is a page of its own).

A peer group appears only when the user may read every member's record (the group's
own policy), so a child's page never reveals a group to someone who could not open
it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.cases.models import Person
from svduty.cases.policies import prime_user
from svduty.core.authorisation import Permission
from svduty.core.policies import get_visible_or_404, requires

from ..models import PeerGroupMember, Place, PlaceChild


@requires(Permission.VIEW_PLACES)
def person_panel(request: HttpRequest, pk: int) -> HttpResponse:
    prime_user(request.user)
    person = get_visible_or_404(Person, request.user, pk=pk)
    links = list(
        PlaceChild.objects.filter(
            person=person,
            ended_on__isnull=True,
            place__in=Place.objects.visible_to(request.user),
        )
        .select_related("place")
        .order_by("place__name")
    )
    memberships = list(
        PeerGroupMember.objects.visible_to(request.user)
        .filter(person=person)
        .select_related("group")
        .order_by("ended_on", "-started_on")
    )
    record(
        AuditAction.VIEW,
        actor=request.user,
        target=person,
        detail={
            "page": "places and peer groups",
            "places": [link.place_id for link in links],
            "peer_groups": sorted({m.group_id for m in memberships}),
        },
    )
    template = (
        "places/_person_panel.html"
        if getattr(request, "htmx", False)
        else "places/person_panel.html"
    )
    return render(
        request,
        template,
        {"person": person, "links": links, "memberships": memberships},
    )
