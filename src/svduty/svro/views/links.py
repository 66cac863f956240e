"""An order holder's links to the shared person records in `cases`: the page on the
register that makes and removes them, and the panel on the person's record that
shows the orders they hold. Both show only what the user may see at both ends (the
holder's force, and the person's full record under the `cases` policy); both are
audited."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from svduty.accounts.requests import signed_in_user
from svduty.cases.models import Person
from svduty.cases.policies import prime_user
from svduty.core.authorisation import Permission
from svduty.core.formviews import form_action
from svduty.core.policies import get_visible_or_404, requires
from svduty.core.types import AnyUser

from .. import actions
from ..forms import PersonLinkForm
from ..models import Holder, Order, PersonLink
from .common import audit_viewed, visible_holder, visible_links
from .register import holder_url

CANDIDATES_SHOWN = 20


def candidates(user: AnyUser, holder: Holder) -> QuerySet[Person]:
    """Records the user may read that could be this holder: the same date of birth,
    or a record without a known date of birth under a surname the holder has used."""
    surnames = {
        name.split()[-1] for name in holder.names.values_list("name", flat=True) if name
    }
    by_surname = Q()
    for surname in surnames:
        by_surname |= Q(last_name__iexact=surname)
    undated = Q(date_of_birth__isnull=True) | Q(date_of_birth_estimated=True)
    return (
        Person.objects.visible_to(user)
        .filter(Q(date_of_birth=holder.date_of_birth) | (undated & by_surname))
        .exclude(pk__in=holder.person_links.values("person_id"))
        .select_related("partnership")
        .order_by("last_name", "first_name", "id")
    )


@requires(Permission.MANAGE_SVRO)
def person_links(request: HttpRequest, pk: int) -> HttpResponse:
    prime_user(request.user)
    holder = visible_holder(request, pk)
    # The first records that could be this person; the form accepts only those.
    shown = list(
        candidates(request.user, holder).values_list("pk", flat=True)[:CANDIDATES_SHOWN]
    )
    choices = (
        Person.objects.filter(pk__in=shown)
        .select_related("partnership")
        .order_by("last_name", "first_name", "id")
    )
    form = PersonLinkForm(request.POST or None, candidates=choices)
    if done := form_action(
        request,
        form,
        lambda data: actions.link_person(
            by=signed_in_user(request), holder=holder, person=data["person"]
        ),
    ):
        messages.success(request, f"Linked to {done.result.person.display_name}")
        return redirect(holder_url(holder))
    links = visible_links(request.user, holder)
    offered = list(choices)
    audit_viewed(
        request,
        holder,
        "person links",
        people=[link.person_id for link in links],
        offered=[person.pk for person in offered],
    )
    return render(
        request,
        "svro/person_links.html",
        {
            "holder": holder,
            "links": links,
            "form": form,
            "offered": offered,
            "limit": CANDIDATES_SHOWN,
        },
    )


@requires(Permission.MANAGE_SVRO)
def person_link_remove(request: HttpRequest, pk: int) -> HttpResponse:
    prime_user(request.user)
    link = get_visible_or_404(
        PersonLink.objects.select_related("holder", "person"), request.user, pk=pk
    )
    holder = link.holder
    if request.method == "POST":
        actions.unlink_person(by=signed_in_user(request), link=link)
        messages.success(request, "Link removed")
        return redirect(holder_url(holder))
    audit_viewed(request, holder, "remove person link", person=link.person_id)
    return render(
        request, "svro/person_link_remove.html", {"link": link, "holder": holder}
    )


@requires(Permission.MANAGE_SVRO)
def person_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """On the person's record in `cases`: the orders held by the register's people
    linked to them, in the user's forces."""
    prime_user(request.user)
    person = get_visible_or_404(Person, request.user, pk=pk)
    holders = list(
        Holder.objects.visible_to(request.user)
        .filter(person_links__person=person)
        .distinct()
        .order_by("current_name", "id")
    )
    orders = list(
        Order.objects.filter(holder__in=holders)
        .select_related("order_type")
        .order_by("holder_id", "-made_on", "-id")
    )
    for holder in holders:
        holder.held = [o for o in orders if o.holder_id == holder.pk]  # type: ignore[attr-defined]
    audit_viewed(
        request,
        person,
        "svro person panel",
        holders=[h.pk for h in holders],
        orders=[o.pk for o in orders],
    )
    template = (
        "svro/_person_panel.html"
        if getattr(request, "htmx", False)
        else "svro/person_panel.html"
    )
    return render(
        request,
        template,
        {"person": person, "holders": holders, "today": timezone.localdate()},
    )
