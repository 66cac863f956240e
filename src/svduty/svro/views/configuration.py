"""The order types (configuration rows: lifecycle, issuing areas and dates, period
bounds, ages, notification period) and the resident population behind the search
rates: shown to everyone who sees SVRO figures, changed by SVRO officers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from svduty.accounts.requests import signed_in_user
from svduty.core.authorisation import Permission
from svduty.core.policies import has_permission, requires

from .. import actions
from ..forms import OrderTypeForm, PopulationForm
from ..models import OrderType, ResidentPopulation
from .common import save_form


@requires(Permission.VIEW_SVRO_SCRUTINY)
def order_types(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "svro/order_types.html",
        {
            "types": OrderType.objects.order_by("name"),
            "population": ResidentPopulation.objects.order_by(
                "force_area", "ethnic_group"
            ),
            "can_change": has_permission(request.user, Permission.MANAGE_SVRO),
        },
    )


@requires(Permission.MANAGE_SVRO)
def order_type_edit(request: HttpRequest, pk: int) -> HttpResponse:
    order_type = get_object_or_404(OrderType, pk=pk)
    initial = {
        "lifecycle": order_type.lifecycle,
        "issuing_areas": order_type.issuing_areas,
        "issuing_from": order_type.issuing_from,
        "issuing_until": order_type.issuing_until,
        "min_months": order_type.min_months,
        "max_months": order_type.max_months,
        "minimum_age": order_type.minimum_age,
        "first_appointed_day": order_type.first_appointed_day,
        "notification_days": order_type.notification_days,
        "active": order_type.active,
    }
    form = OrderTypeForm(request.POST or None, initial=initial)
    return save_form(
        request,
        form,
        lambda data: actions.change_order_type(
            by=signed_in_user(request), order_type=order_type, **data
        ),
        success=f"{order_type.name} changed",
        next_url=lambda _: reverse("svro:order_types"),
        context={
            "title": f"Change {order_type.name}",
            "intro": "Orders already made keep their terms. The new values apply to "
            "orders recorded from now on, in every force. The change is recorded in "
            "the audit trail.",
            "back_url": reverse("svro:order_types"),
            "back_label": "Back to order types",
        },
    )


@requires(Permission.MANAGE_SVRO)
def population_edit(request: HttpRequest) -> HttpResponse:
    form = PopulationForm(request.POST or None)
    return save_form(
        request,
        form,
        lambda data: actions.set_population(by=signed_in_user(request), **data),
        success="Population figure saved",
        next_url=lambda _: reverse("svro:order_types") + "#population",
        context={
            "title": "Set a resident population figure",
            "intro": "Search rates against the population divide searches by the "
            "residents of each ethnic group. A figure for the same force area and "
            "group replaces the earlier one.",
            "back_url": reverse("svro:order_types"),
            "back_label": "Back to order types and population",
        },
    )
