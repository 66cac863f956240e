"""Notifications (issue 10 point 3): the initial one expected when the order takes
effect, overdue alerts, custody pausing the clock, history never overwritten."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import ProgrammingError, transaction
from django.urls import reverse

from svduty.core.authorisation import Role
from svduty.svro import actions
from svduty.svro.alerts import send_daily_alerts
from svduty.svro.models import HolderAddress, Notification
from tests.factories.svro import force, make_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_user):
    return make_user(Role.SVRO_OFFICER, agency=force(), email="pc@example.org")


def test_initial_notification_expected_from_the_day_it_takes_effect(officer):
    order = make_order(officer)  # made and in effect Monday 2 February 2026
    initial = order.notifications.get()
    assert (initial.event, initial.due_on) == ("initial", dt.date(2026, 2, 4))
    assert initial.status_on(dt.date(2026, 2, 4)) == "due"
    assert initial.status_on(dt.date(2026, 2, 5)) == "overdue"
    assert Notification.objects.overdue_on(dt.date(2026, 2, 5)).count() == 1


def test_recording_attendance_keeps_the_address(officer, client_for):
    order = make_order(officer)
    initial = order.notifications.get()
    response = client_for(officer).post(
        reverse("svro:notification_record", args=[initial.pk]),
        {
            "notified_on_day": "5",
            "notified_on_month": "2",
            "notified_on_year": "2026",
            "station": "Middlesbrough police station",
            "received_by": "PC 1234",
            "address": "1 Example Street, Middlesbrough",
            "advice_given": "on",
        },
    )
    assert response.status_code == 302, response.text[:3000]
    initial.refresh_from_db()
    assert initial.status_on(dt.date(2026, 3, 1)) == "late"
    address = HolderAddress.objects.get(holder=order.holder)
    assert address.kind == "home"
    with pytest.raises(ProgrammingError), transaction.atomic():
        HolderAddress.objects.filter(pk=address.pk).update(address="changed")


def test_new_name_needs_the_name_and_adds_to_history(officer):
    order = make_order(officer)
    with pytest.raises(ValidationError, match="name being used"):
        actions.record_notification(
            by=officer,
            order=order,
            event="new_name",
            event_on=dt.date(2026, 3, 6),
            notified_on=None,
        )
    actions.record_notification(
        by=officer,
        order=order,
        event="new_name",
        event_on=dt.date(2026, 3, 6),
        notified_on=dt.date(2026, 3, 8),
        station="Hartlepool",
        received_by="PC 1",
        new_name="J. Other",
    )
    order.holder.refresh_from_db()
    assert order.holder.current_name == "J. Other"
    assert order.holder.names.count() == 2


def test_custody_pauses_pending_deadlines(officer):
    order = make_order(officer)
    initial = order.notifications.get()
    period = actions.record_custody(
        by=officer, holder=order.holder, started_on=dt.date(2026, 2, 3)
    )
    initial.refresh_from_db()
    assert initial.due_on is None
    actions.end_custody(by=officer, period=period, ended_on=dt.date(2026, 2, 10))
    initial.refresh_from_db()
    assert initial.due_on == dt.date(2026, 2, 11)  # 2 Feb, then 10 and 11 Feb


def test_order_on_release_starts_with_its_notification_on_release(officer):
    order = make_order(officer, on_release=True)
    assert not order.notifications.exists()
    period = actions.record_custody(
        by=officer, holder=order.holder, started_on=dt.date(2026, 1, 12)
    )
    actions.end_custody(by=officer, period=period, ended_on=dt.date(2026, 4, 1))
    order.refresh_from_db()
    assert order.takes_effect_on == dt.date(2026, 4, 1)
    assert order.expires_on == dt.date(2027, 3, 31)
    assert order.notifications.get().due_on == dt.date(2026, 4, 3)


def test_daily_alert_counts_only(officer):
    make_order(officer)
    assert send_daily_alerts(dt.date(2026, 2, 10)) == 1
    body = mail.outbox[0].body
    assert "Notifications overdue: 1" in body and "Jordan" not in body


def test_pages_answer(officer, client_for):
    order = make_order(officer)
    client = client_for(officer)
    assert "Overdue" in client.get(reverse("svro:order", args=[order.pk])).text
    assert (
        client.get(reverse("svro:notification_new", args=[order.pk])).status_code == 200
    )
    assert (
        client.get(reverse("svro:custody_new", args=[order.holder_id])).status_code
        == 200
    )


def test_officer_home_shows_overdue_and_expiring(officer, client_for, settings):
    settings.SVRO_EXPIRY_ALERT_DAYS = 400
    make_order(officer)  # its initial notification is long overdue
    page = client_for(officer).get(reverse("svro:register")).text
    overdue = page.split("Notifications overdue")[1].split("Orders ending")[0]
    assert "Jordan Example" in overdue
    assert "last day 1 Feb 2027" in page


def test_home_page_counts_what_needs_the_officer(
    officer, client_for, settings, make_user
):
    """The officer's home page carries the register's two alerts as counts; an order
    in another force counts for nobody here."""
    settings.SVRO_EXPIRY_ALERT_DAYS = 400
    make_order(officer)  # overdue initial notification, ends within 400 days
    outsider = make_user(Role.SVRO_OFFICER, agency=force("Durham Constabulary"))
    make_order(outsider)
    page = client_for(officer).get(reverse("core:home")).text
    panel = page.split("Serious Violence Reduction Orders</h3>")[1].split("<h3")[0]
    assert "1 notification overdue" in panel
    assert "1 order ending in the next 400 days" in panel
    assert 'href="/svro/"' in panel

    settings.SVRO_EXPIRY_ALERT_DAYS = 0
    quiet = make_user(Role.SVRO_OFFICER, agency=force("Northumbria Police"))
    page = client_for(quiet).get(reverse("core:home")).text
    assert "No notification is overdue and no order ends soon." in page


def test_new_home_address_moves_the_person_to_its_area(officer):
    """The area where the person lives (scrutiny by area) follows a notified new
    home address; other events leave it, and the addresses stay in the history."""
    from svduty.partnership.models import LocalArea

    hartlepool = LocalArea.objects.create(ons_code="E06000001", name="Hartlepool")
    stockton = LocalArea.objects.create(ons_code="E06000004", name="Stockton-on-Tees")
    order = make_order(officer)
    event = {
        "by": officer,
        "order": order,
        "event_on": dt.date(2026, 3, 2),
        "notified_on": dt.date(2026, 3, 3),
        "station": "Hartlepool",
        "received_by": "PC 5",
    }
    actions.record_notification(
        **event,
        event="new_home",
        address="1 Sea View, Hartlepool",
        local_area=hartlepool,
    )
    order.holder.refresh_from_db()
    assert order.holder.local_area == hartlepool
    actions.record_notification(
        **event, event="other_premises", address="2 Mill Lane", local_area=stockton
    )
    order.holder.refresh_from_db()
    assert order.holder.local_area == hartlepool  # staying elsewhere is not moving
    assert HolderAddress.objects.filter(holder=order.holder).count() == 2
