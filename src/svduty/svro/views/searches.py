"""Recording a search under s.342E (issue 10 point 4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from svduty.accounts.requests import signed_in_user
from svduty.core.authorisation import Permission
from svduty.core.policies import requires

from .. import actions
from ..forms import SearchForm
from .common import save_form, visible_order


@requires(Permission.MANAGE_SVRO)
def search_new(request: HttpRequest, pk: int) -> HttpResponse:
    order = visible_order(request, pk)
    form = SearchForm(request.POST or None)

    def save(data: dict[str, Any]):
        moment = dt.datetime.combine(data.pop("searched_on"), data.pop("searched_time"))
        return actions.record_search(
            by=signed_in_user(request),
            order=order,
            searched_at=timezone.make_aware(moment),
            **data,
        )

    return save_form(
        request,
        form,
        save,
        success="Search recorded",
        next_url=lambda _: reverse("svro:order", args=[order.pk]),
        context={
            "title": "Record a search under the order",
            "holder": order.holder,
            "intro": "Sentencing Act 2020 s.342E: a constable may search the person "
            "for a bladed article or offensive weapon while the order is in force and "
            "they are in a public place. No suspicion is needed, but the search must "
            "not be based on prejudice.",
        },
    )
