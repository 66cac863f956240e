"""Notifications and custody pages (issue 10 point 3)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from svduty.accounts.requests import signed_in_user
from svduty.core.authorisation import Permission
from svduty.core.policies import get_visible_or_404, requires

from .. import actions
from ..forms import CustodyForm, NotificationForm, ReleaseForm
from ..models import CustodyPeriod, Notification
from .common import save_form, visible_holder, visible_order


def _order_url(order_id: int) -> str:
    return reverse("svro:order", args=[order_id])


@requires(Permission.MANAGE_SVRO)
def notification_new(request: HttpRequest, pk: int) -> HttpResponse:
    order = visible_order(request, pk)
    form = NotificationForm(request.POST or None)
    return save_form(
        request,
        form,
        lambda data: actions.record_notification(
            by=signed_in_user(request), order=order, **data
        ),
        success="Notification recorded",
        next_url=lambda _: _order_url(order.pk),
        context={"title": "Record a notification", "holder": order.holder},
    )


@requires(Permission.MANAGE_SVRO)
def notification_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the attendance for an expected notification (the initial one)."""
    expected = get_visible_or_404(
        Notification.objects.select_related("order", "order__holder"),
        request.user,
        pk=pk,
    )
    order = expected.order
    form = NotificationForm(request.POST or None, expected=True)
    return save_form(
        request,
        form,
        lambda data: actions.record_notification(
            by=signed_in_user(request),
            order=order,
            notification=expected,
            event=expected.event,
            event_on=expected.event_on,
            **data,
        ),
        success="Notification recorded",
        next_url=lambda _: _order_url(order.pk),
        context={
            "title": f"Record the {expected.get_event_display().lower()}",
            "holder": order.holder,
        },
    )


@requires(Permission.MANAGE_SVRO)
def custody_new(request: HttpRequest, pk: int) -> HttpResponse:
    holder = visible_holder(request, pk)
    form = CustodyForm(request.POST or None)
    return save_form(
        request,
        form,
        lambda data: actions.record_custody(
            by=signed_in_user(request), holder=holder, **data
        ),
        success="Custody recorded",
        next_url=lambda _: reverse("svro:holder", args=[holder.pk]),
        context={
            "title": "Record time in custody",
            "holder": holder,
            "intro": "Time in custody pauses the notification deadlines. An order "
            "that takes effect on release starts on the release date.",
        },
    )


@requires(Permission.MANAGE_SVRO)
def custody_end(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_visible_or_404(
        CustodyPeriod.objects.select_related("holder"), request.user, pk=pk
    )
    form = ReleaseForm(request.POST or None)
    return save_form(
        request,
        form,
        lambda data: actions.end_custody(
            by=signed_in_user(request), period=period, **data
        ),
        success="Release recorded",
        next_url=lambda _: reverse("svro:holder", args=[period.holder_id]),
        context={"title": "Record the release from custody", "holder": period.holder},
    )
