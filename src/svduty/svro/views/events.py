"""Court decisions on an order, breaches and later convictions (issue 10 points 2
and 5)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from svduty.accounts.requests import signed_in_user
from svduty.core.authorisation import Permission
from svduty.core.policies import get_visible_or_404, requires

from .. import actions
from ..forms import BreachForm, OrderEventForm, ReoffenceForm
from ..models import Breach
from .common import save_form, visible_holder, visible_order


@requires(Permission.MANAGE_SVRO)
def order_event(request: HttpRequest, pk: int) -> HttpResponse:
    order = visible_order(request, pk)
    form = OrderEventForm(request.POST or None)
    return save_form(
        request,
        form,
        lambda data: actions.record_order_event(
            by=signed_in_user(request), order=order, **data
        ),
        success="Decision recorded: the order has a new version",
        next_url=lambda saved: reverse("svro:order", args=[saved.pk]),
        context={
            "title": "Record a court decision on the order",
            "holder": order.holder,
        },
    )


@requires(Permission.MANAGE_SVRO)
def breach_new(request: HttpRequest, pk: int) -> HttpResponse:
    order = visible_order(request, pk)
    form = BreachForm(request.POST or None)
    return save_form(
        request,
        form,
        lambda data: actions.record_breach(
            by=signed_in_user(request), order=order, **data
        ),
        success="Breach recorded",
        next_url=lambda _: reverse("svro:order", args=[order.pk]),
        context={
            "title": "Record a breach or suspected breach",
            "holder": order.holder,
        },
    )


@requires(Permission.MANAGE_SVRO)
def breach_update(request: HttpRequest, pk: int) -> HttpResponse:
    breach = get_visible_or_404(
        Breach.objects.select_related("order__holder"), request.user, pk=pk
    )
    form = BreachForm(
        request.POST or None,
        initial={
            "kind": breach.kind,
            "occurred_on": breach.occurred_on,
            "reported_by": breach.reported_by,
            "investigation": breach.investigation,
            "charge": breach.charge,
            "sentence": breach.sentence,
            "notes": breach.notes,
        },
    )
    for name in ("kind", "occurred_on", "reported_by"):
        del form.fields[name]

    def save(data: dict[str, Any]):
        return actions.update_breach(by=signed_in_user(request), breach=breach, **data)

    return save_form(
        request,
        form,
        save,
        success="Breach updated",
        next_url=lambda _: reverse("svro:order", args=[breach.order_id]),
        context={"title": "Update the breach", "holder": breach.order.holder},
    )


@requires(Permission.MANAGE_SVRO)
def reoffence_new(request: HttpRequest, pk: int) -> HttpResponse:
    holder = visible_holder(request, pk)
    form = ReoffenceForm(request.POST or None)
    return save_form(
        request,
        form,
        lambda data: actions.record_reoffence(
            by=signed_in_user(request), holder=holder, **data
        ),
        success="Conviction recorded",
        next_url=lambda _: reverse("svro:holder", args=[holder.pk]),
        context={
            "title": "Record a later conviction",
            "holder": holder,
            "intro": "For the initial assessment of reoffending (Police, Crime, "
            "Sentencing and Courts Act 2022 s.166(3)(e)): convictions for offences "
            "committed after an order was made.",
        },
    )
