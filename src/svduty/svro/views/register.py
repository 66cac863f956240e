"""The register: the force's orders, a holder's page, and the forms that record a
person considered, an application, its decision and an order."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from svduty.accounts.requests import signed_in_user
from svduty.cases.policies import prime_user
from svduty.core.authorisation import Permission
from svduty.core.policies import get_visible_or_404, has_permission, requires
from svduty.core.types import AnyUser

from .. import actions
from ..alerts import expiring
from ..forms import ApplicationForm, DecisionForm, HolderForm, OrderForm
from ..models import (
    Application,
    ApplicationStatus,
    Holder,
    Necessity,
    NotifiableEvent,
    Notification,
    Order,
)
from .common import (
    audit_viewed,
    day_text,
    my_forces,
    save_form,
    url_maker,
    visible_holder,
    visible_links,
    visible_order,
)

PAGE_SIZE = 50
ALERTS_SHOWN = 20
SEARCHES_SHOWN = 20
FOUND_SHOWN = 50


def holder_url(holder: Holder) -> str:
    return reverse("svro:holder", args=[holder.pk])


def overlaps(orders: list[Order], today: dt.date) -> list[tuple[Order, Order]]:
    """Pairs of the holder's current or future orders whose periods overlap: a
    warning, never a block (A.10: the legal interaction is not confirmed)."""
    live = [
        o
        for o in orders
        if o.discharged_on is None and (o.expires_on is None or o.expires_on >= today)
    ]
    pairs = []
    for index, first in enumerate(live):
        for second in live[index + 1 :]:
            start1 = first.takes_effect_on or first.made_on
            start2 = second.takes_effect_on or second.made_on
            end1 = first.expires_on or dt.date.max
            end2 = second.expires_on or dt.date.max
            if start1 <= end2 and start2 <= end1:
                pairs.append((first, second))
    return pairs


def find_holders(user: AnyUser, query: str) -> list[Holder]:
    """People on the register of the user's forces whose name (any name they have
    used) contains the words typed, or whose force reference is the one typed."""
    words = query.split()
    if not words:
        return []
    by_name = Q()
    for word in words:
        by_name &= Q(names__name__icontains=word)
    matches = (
        Holder.objects.visible_to(user)
        .filter(by_name | Q(reference__iexact=query.strip()))
        .values("pk")
    )
    return list(
        Holder.objects.filter(pk__in=matches)
        .annotate(order_count=Count("orders"))
        .order_by("current_name", "id")[:FOUND_SHOWN]
    )


@requires(Permission.MANAGE_SVRO)
def register(request: HttpRequest) -> HttpResponse:
    """Every order of the user's forces, current first; or the people found by
    name or reference."""
    today = timezone.localdate()
    query = request.GET.get("q", "").strip()[:200]
    if query:
        found = find_holders(request.user, query)
        audit_viewed(request, None, "register search", found=[h.pk for h in found])
        return render(
            request,
            "svro/register_found.html",
            {"query": query, "found": found, "limit": FOUND_SHOWN},
        )
    show = request.GET.get("show", "current")
    # The page shows plain values (no model instances): it is the register's most
    # used page and its cost was in building 150 models and rendering them.
    orders = Order.objects.visible_to(request.user)
    if show == "current":
        orders = orders.filter(discharged_on__isnull=True).exclude(expires_on__lt=today)
    else:
        show = "all"
    values = orders.order_by("expires_on", "id").values_list(
        "id",
        "holder_id",
        "holder__current_name",
        "order_type__name",
        "takes_effect_on",
        "expires_on",
        "discharged_on",
    )
    paginator: Paginator[tuple[Any, ...]] = Paginator(values, PAGE_SIZE)
    # Counted without the joins the page's values need (the order type's name).
    paginator.__dict__["count"] = orders.count()
    page = paginator.get_page(request.GET.get("page"))
    order_url, holder_url_of = url_maker("svro:order"), url_maker("svro:holder")
    rows = [
        {
            "name": name,
            "holder_url": holder_url_of(holder_id),
            "order_url": order_url(pk),
            "type": type_name,
            "from": f"Discharged {day_text(discharged)}"
            if discharged
            else day_text(start) or "On release (date not known)",
            "last_day": day_text(last) or "Not known yet",
        }
        for pk, holder_id, name, type_name, start, last, discharged in page
    ]
    overdue = list(
        Notification.objects.visible_to(request.user)
        .overdue_on(today)
        .order_by("due_on", "id")
        .values("order_id", "event", "due_on", "order__holder__current_name")[
            :ALERTS_SHOWN
        ]
    )
    events = dict(NotifiableEvent.choices)
    for notification in overdue:
        notification["url"] = order_url(notification["order_id"])
        notification["event"] = events[notification["event"]].lower()
        notification["due"] = day_text(notification["due_on"])
    ending = list(
        expiring(Order.objects.visible_to(request.user), today)
        .order_by("expires_on", "id")
        .values("id", "holder__current_name", "order_type__name", "expires_on")[
            :ALERTS_SHOWN
        ]
    )
    for order in ending:
        order["url"] = order_url(order["id"])
        order["last_day"] = day_text(order["expires_on"])
    audit_viewed(
        request,
        None,
        "register",
        orders=[pk for pk, *_ in page],
        overdue=[n["order_id"] for n in overdue],
        expiring=[o["id"] for o in ending],
    )
    return render(
        request,
        "svro/register.html",
        {
            "page": page,
            "rows": rows,
            "show": show,
            "today": today,
            "overdue": overdue,
            "ending": ending,
            "alert_days": settings.SVRO_EXPIRY_ALERT_DAYS,
        },
    )


@requires(Permission.MANAGE_SVRO)
def holder_new(request: HttpRequest) -> HttpResponse:
    form = HolderForm(request.POST or None, forces=my_forces(request.user))
    return save_form(
        request,
        form,
        lambda data: actions.create_holder(by=signed_in_user(request), **data),
        success="Person added",
        next_url=holder_url,
        context={"title": "Add a person to the register"},
    )


@requires(Permission.MANAGE_SVRO)
def holder_detail(request: HttpRequest, pk: int) -> HttpResponse:
    holder = visible_holder(request, pk)
    today = timezone.localdate()
    orders = list(
        holder.orders.select_related("order_type").order_by("-made_on", "-id")
    )
    applications = list(
        holder.applications.select_related("order_type").order_by(
            "-considered_on", "-id"
        )
    )
    names = list(holder.names.all())
    addresses = list(holder.addresses.all())
    custody = list(holder.custody_periods.all())
    # Links to shared person records only for those who may read such records, and
    # only the links whose person they may see (cases' policy).
    can_link = has_permission(request.user, Permission.VIEW_CASES)
    if can_link:
        prime_user(request.user)
    links = visible_links(request.user, holder) if can_link else []
    audit_viewed(request, holder, "holder", people=[link.person_id for link in links])
    return render(
        request,
        "svro/holder.html",
        {
            "holder": holder,
            "names": names,
            "addresses": addresses,
            "custody": custody,
            "can_link": can_link,
            "person_links": links,
            "reoffences": list(holder.reoffences.all()),
            "orders": orders,
            "overlaps": overlaps(orders, today),
            "applications": applications,
            "pending": ApplicationStatus.PENDING,
            "today": today,
        },
    )


@requires(Permission.MANAGE_SVRO)
def application_new(request: HttpRequest, pk: int) -> HttpResponse:
    holder = visible_holder(request, pk)
    form = ApplicationForm(request.POST or None)
    return save_form(
        request,
        form,
        lambda data: actions.record_application(
            by=signed_in_user(request), holder=holder, **data
        ),
        success="Consideration recorded",
        next_url=lambda _: holder_url(holder),
        context={"title": "Record a person considered for an order", "holder": holder},
    )


@requires(Permission.MANAGE_SVRO)
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_visible_or_404(
        Application.objects.select_related("holder"), request.user, pk=pk
    )
    form = DecisionForm(request.POST or None)
    return save_form(
        request,
        form,
        lambda data: actions.decide_application(
            by=signed_in_user(request), application=application, **data
        ),
        success="Decision recorded",
        next_url=lambda _: holder_url(application.holder),
        context={
            "title": "Record the court's decision",
            "holder": application.holder,
        },
    )


@requires(Permission.MANAGE_SVRO)
def order_new(request: HttpRequest, pk: int) -> HttpResponse:
    holder = visible_holder(request, pk)
    form = OrderForm(request.POST or None, holder=holder)
    return save_form(
        request,
        form,
        lambda data: actions.make_order(
            by=signed_in_user(request), holder=holder, **data
        ),
        success="Order recorded",
        next_url=lambda order: reverse("svro:order", args=[order.pk]),
        context={"title": "Record an order", "holder": holder},
    )


@requires(Permission.MANAGE_SVRO)
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = visible_order(request, pk)
    today = timezone.localdate()
    versions = list(order.versions.select_related("recorded_by").order_by("-number"))
    notifications = list(order.notifications.order_by("-event_on", "-id"))
    searches = list(order.searches.order_by("-searched_at", "-id")[:SEARCHES_SHOWN])
    for notification in notifications:
        notification.status = notification.status_on(today)  # type: ignore[attr-defined]
    audit_viewed(request, order, "order", holder=order.holder_id)
    return render(
        request,
        "svro/order.html",
        {
            "order": order,
            "holder": order.holder,
            "versions": versions,
            "notifications": notifications,
            "breaches": list(order.breaches.all()),
            "searches": searches,
            "search_count": order.searches.count(),
            "in_force": order.in_force_on(timezone.localdate()),
            "necessity": [dict(Necessity.choices)[n] for n in order.necessity],
        },
    )
