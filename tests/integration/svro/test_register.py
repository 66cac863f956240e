"""The register's actions, the database's backstops and the pages (issue 10, points
1 and 2)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, ProgrammingError, transaction
from django.urls import reverse

from svduty.audit.models import AuditEvent
from svduty.core.authorisation import Role
from svduty.svro import actions
from svduty.svro.models import Holder, Order, OrderType, OrderVersion
from tests.factories.svro import (
    CONVICTED,
    MADE,
    force,
    granted_application,
    make_holder,
    make_order,
    svro_type,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_user):
    return make_user(Role.SVRO_OFFICER, agency=force())


@pytest.fixture
def other_officer(make_user):
    return make_user(Role.SVRO_OFFICER, agency=force("Durham Constabulary"))


def born_years_before(day: dt.date, years: int, days: int = 0) -> dt.date:
    return day.replace(year=day.year - years) + dt.timedelta(days=days)


def test_order_made_on_granted_application(officer):
    order = make_order(officer)
    assert order.takes_effect_on == order.made_on
    assert order.expires_on == dt.date(2027, 2, 1)
    version = order.versions.get()
    assert (version.number, version.event, version.expires_on) == (
        1,
        "made",
        order.expires_on,
    )
    assert AuditEvent.objects.filter(action="create", target_id=str(order.pk)).exists()


@pytest.mark.parametrize(("days", "ok"), [(1, False), (0, True)])
def test_subject_must_be_18_on_the_conviction_date(officer, days, ok):
    # days=1: born a day after 18 years before conviction, so 17 on that day
    holder = make_holder(officer, date_of_birth=born_years_before(CONVICTED, 18, days))
    if ok:
        assert granted_application(officer, holder).status == "granted"
    else:
        with pytest.raises(ValidationError, match="was 17 on the conviction date"):
            granted_application(officer, holder)


def test_offence_before_first_appointed_day_refused(officer):
    holder = make_holder(officer)
    first = svro_type().first_appointed_day
    with pytest.raises(ValidationError, match="first appointed day"):
        granted_application(officer, holder, offence_date=first - dt.timedelta(days=1))
    assert granted_application(officer, holder, offence_date=first)


def test_absolute_discharge_and_missing_sentence_refused(officer):
    holder = make_holder(officer)
    with pytest.raises(ValidationError, match="absolute discharge"):
        granted_application(officer, holder, absolute_discharge=True)
    with pytest.raises(ValidationError, match="sentence"):
        granted_application(officer, holder, sentence="")


def test_svro_needs_a_granted_application(officer):
    holder = make_holder(officer)
    with pytest.raises(ValidationError, match="granted application"):
        actions.make_order(
            by=officer,
            holder=holder,
            order_type=svro_type(),
            issuing_area="cleveland",
            issuing_court="Teesside Crown Court",
            made_on=dt.date(2026, 2, 2),
            period_months=12,
        )


@pytest.mark.parametrize(
    ("months", "ok"), [(5, False), (6, True), (24, True), (25, False)]
)
def test_period_bounds_in_the_action(officer, months, ok):
    if ok:
        assert make_order(officer, period_months=months).period_months == months
    else:
        with pytest.raises(ValidationError, match="between 6 and 24 months"):
            make_order(officer, period_months=months)


def test_pilot_type_refuses_orders_outside_pilot(officer):
    order_type = svro_type()
    holder = make_holder(officer)
    application = granted_application(officer, holder)
    OrderType.objects.filter(pk=order_type.pk).update(
        lifecycle="pilot_ended",
        issuing_from=dt.date(2023, 4, 19),
        issuing_until=dt.date(2025, 4, 18),
    )
    with pytest.raises(ValidationError, match="could not be made after"):
        make_order(officer, holder, application=application)


def test_order_deferred_to_release_with_unknown_date(officer):
    order = make_order(officer, on_release=True)
    assert order.takes_effect_on is None and order.expires_on is None
    assert not order.in_force_on(dt.date(2026, 3, 1))


def test_database_refuses_what_the_action_refuses(officer):
    order = make_order(officer)
    for change in (
        {"period_months": 25},
        {"period_months": 5},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Order.objects.filter(pk=order.pk).update(**change)
    # the holder was 17 on the conviction date (checked again when a fact the order
    # was made on is corrected, here the day it was made)
    with pytest.raises(IntegrityError), transaction.atomic():
        Holder.objects.filter(pk=order.holder_id).update(
            date_of_birth=born_years_before(CONVICTED, 18, 1)
        )
        Order.objects.filter(pk=order.pk).update(made_on=order.made_on)
        Order.objects.filter(pk=order.pk).update(made_on=MADE + dt.timedelta(days=1))
    with pytest.raises(IntegrityError), transaction.atomic():
        order.application.__class__.objects.filter(pk=order.application_id).update(
            absolute_discharge=True
        )
        Order.objects.filter(pk=order.pk).update(made_on=MADE + dt.timedelta(days=1))
    with pytest.raises(ProgrammingError), transaction.atomic():
        OrderVersion.objects.filter(order=order).update(period_months=13)


def test_other_force_cannot_act_or_see(officer, other_officer, client_for):
    order = make_order(officer)
    with pytest.raises(PermissionDenied):
        actions.add_name(
            by=other_officer, holder=order.holder, name="X", used_from=dt.date.today()
        )
    client = client_for(other_officer)
    assert client.get(reverse("svro:order", args=[order.pk])).status_code == 404
    assert client.get(reverse("svro:holder", args=[order.holder_id])).status_code == 404
    assert order.holder.current_name not in client.get(reverse("svro:register")).text


def test_names_kept_in_history(officer):
    holder = make_holder(officer, name="First Name")
    actions.add_name(
        by=officer, holder=holder, name="Second Name", used_from=dt.date.today()
    )
    holder.refresh_from_db()
    assert holder.current_name == "Second Name"
    assert [n.name for n in holder.names.all()][-1] == "First Name"


def test_pages_record_a_person_application_and_order(officer, client_for):
    client = client_for(officer)
    response = client.post(
        reverse("svro:holder_new"),
        {
            "managing_force": officer.memberships.get().agency_id,
            "name": "Sam Page",
            "date_of_birth_day": "1",
            "date_of_birth_month": "6",
            "date_of_birth_year": "1999",
            "sex": "female",
            "ethnicity": "B2",
        },
    )
    assert response.status_code == 302, re.findall(
        r"error-message\">(.*?)</p", response.text, re.S
    )
    holder = Holder.objects.get(current_name="Sam Page")
    svro = svro_type()
    response = client.post(
        reverse("svro:application_new", args=[holder.pk]),
        {
            "order_type": svro.pk,
            "considered_on_day": "5",
            "considered_on_month": "1",
            "considered_on_year": "2026",
            "status": "pending",
            "offence": "Possession of a bladed article",
            "offence_date_day": "1",
            "offence_date_month": "12",
            "offence_date_year": "2025",
            "conviction_date_day": "12",
            "conviction_date_month": "1",
            "conviction_date_year": "2026",
            "sentence": "Community order",
            "court": "Teesside Magistrates' Court",
            "hearing_date_day": "2",
            "hearing_date_month": "2",
            "hearing_date_year": "2026",
        },
    )
    assert response.status_code == 302, response.content
    application = holder.applications.get()
    response = client.post(
        reverse("svro:application_decide", args=[application.pk]),
        {
            "status": "granted",
            "decided_on_day": "2",
            "decided_on_month": "2",
            "decided_on_year": "2026",
        },
    )
    assert response.status_code == 302, response.content
    order_data = {
        "order_type": svro.pk,
        "application": application.pk,
        "issuing_area": "cleveland",
        "issuing_court": "Teesside Magistrates' Court",
        "made_on_day": "2",
        "made_on_month": "2",
        "made_on_year": "2026",
        "period_months": "25",
        "weapon_condition": "own_possession",
        "necessity": ["a"],
        "explanation_given": "on",
    }
    response = client.post(reverse("svro:order_new", args=[holder.pk]), order_data)
    assert response.status_code == 200
    assert "between 6 and 24 months" in response.text
    assert "<title>Error:" in response.text
    response = client.post(
        reverse("svro:order_new", args=[holder.pk]),
        order_data | {"period_months": "18"},
    )
    assert response.status_code == 302, response.content
    order = holder.orders.get()
    page = client.get(reverse("svro:order", args=[order.pk]))
    assert "1 August 2027" in page.text
    assert AuditEvent.objects.filter(
        action="view", target_id=str(order.pk), detail__page="order"
    ).exists()
    assert "Sam Page" in client.get(reverse("svro:register")).text


def test_overlapping_orders_warned(officer, client_for):
    order = make_order(officer)
    kcpo = OrderType.objects.get(code="kcpo")
    actions.make_order(
        by=officer,
        holder=order.holder,
        order_type=kcpo,
        issuing_area="cleveland",
        issuing_court="Teesside Magistrates' Court",
        made_on=dt.date(2026, 3, 1),
        period_months=12,
    )
    page = client_for(officer).get(reverse("svro:holder", args=[order.holder_id]))
    assert "Orders overlap" in page.text


def test_bad_input_never_500(officer, client_for):
    client = client_for(officer)
    holder = make_holder(officer)
    assert (
        client.post(
            reverse("svro:order_new", args=[holder.pk]),
            {"period_months": "x", "order_type": "999"},
        ).status_code
        == 200
    )
    assert client.get(reverse("svro:register") + "?page=zz&show=<b>").status_code == 200


def test_find_a_person_by_any_name_or_reference_in_scope(
    officer, other_officer, client_for
):
    jordan = make_holder(officer, name="Jordan Example", reference="26/1X")
    actions.add_name(
        by=officer, holder=jordan, name="Jay Smith", used_from=dt.date(2026, 3, 1)
    )
    make_holder(officer, name="Sam Other")
    elsewhere = make_holder(other_officer, name="Jordan Elsewhere")
    client = client_for(officer)
    url = reverse("svro:register")

    def found(query):
        response = client.get(url, {"q": query})
        assert response.status_code == 200
        return {h.pk for h in response.context["found"]}

    assert found("jordan") == {jordan.pk}  # never the other force's Jordan
    assert found("SMITH jay") == {jordan.pk}  # a later name, words in any order
    assert found("26/1x") == {jordan.pk}
    assert found("nobody") == set()
    assert elsewhere.pk not in found("Elsewhere")
    event = AuditEvent.objects.filter(detail__page="register search").latest("id")
    assert event.detail["found"] == []
    assert client.get(url, {"q": "x" * 5000}).status_code == 200


def test_orders_page_lists_orders_alerts_and_links(officer, other_officer, client_for):
    """The orders page (built from plain values, not models): each order with its
    holder's and its own link and dates, the overdue notification and the order
    ending soon, and nothing of another force's."""
    import time_machine

    order = make_order(officer, period_months=12)  # made 2 Feb 2026, ends 1 Feb 2027
    make_order(
        other_officer, holder=make_holder(other_officer, name="Elsewhere Person")
    )
    with time_machine.travel(dt.datetime(2026, 12, 6, 12, tzinfo=dt.UTC), tick=False):
        page = client_for(officer).get(reverse("svro:register")).text
    holder_url = reverse("svro:holder", args=[order.holder_id])
    order_url = reverse("svro:order", args=[order.pk])
    name = order.holder.current_name
    assert f'<a class="govuk-link" href="{holder_url}">{name}</a>' in page
    assert f'href="{order_url}">Serious violence reduction order' in page
    assert "2 Feb 2026" in page and "1 Feb 2027" in page
    assert "1 order</caption>" in page
    # Overdue (due 4 Feb, not notified) and ending within 90 days, each linking
    # to the order.
    assert (
        f'<a class="govuk-link" href="{order_url}">{name}</a>: initial notification '
        "(names and home address), due 4 Feb 2026"
    ) in page
    assert (
        f"{name}</a>: Serious violence reduction order (SVRO), last day 1 Feb 2027"
        in (page)
    )
    assert "Elsewhere Person" not in page


def _narrow_type(officer, **changes):
    """The officer changes the SVRO's configuration after orders were made."""
    order_type = svro_type()
    values = {
        "lifecycle": order_type.lifecycle,
        "issuing_from": order_type.issuing_from,
        "issuing_until": order_type.issuing_until,
        "issuing_areas": order_type.issuing_areas,
        "min_months": order_type.min_months,
        "max_months": order_type.max_months,
        "minimum_age": order_type.minimum_age,
        "first_appointed_day": order_type.first_appointed_day,
        "notification_days": order_type.notification_days,
        "active": order_type.active,
    } | changes
    return actions.change_order_type(by=officer, order_type=order_type, **values)


def _discharge(officer, order):
    return actions.record_order_event(
        by=officer,
        order=order,
        event="discharged",
        event_on=dt.date(2026, 6, 1),
        applicant="chief_officer",
        court="Teesside Magistrates' Court",
    )


def test_order_made_lawfully_stays_updatable_after_its_type_changes(officer):
    """An order made under the type's terms of the day is discharged, and takes
    effect on release, after the bounds narrow, the pilot moves elsewhere or ends
    and the first appointed day and minimum age move: the rule judges the making
    and changes of terms, not every later update."""
    long_order = make_order(officer, period_months=24)
    deferred = make_order(officer, period_months=24, on_release=True)
    custody = actions.record_custody(
        by=officer, holder=deferred.holder, started_on=dt.date(2026, 1, 20)
    )
    _narrow_type(
        officer,
        lifecycle="pilot",
        issuing_areas=["merseyside"],
        max_months=12,
        minimum_age=21,
        first_appointed_day=dt.date(2026, 1, 1),
    )
    assert _discharge(officer, long_order).discharged_on == dt.date(2026, 6, 1)
    actions.end_custody(by=officer, period=custody, ended_on=dt.date(2026, 3, 1))
    deferred.refresh_from_db()
    assert deferred.takes_effect_on == dt.date(2026, 3, 1)
    _narrow_type(officer, lifecycle="pilot_ended", issuing_until=dt.date(2026, 1, 1))
    assert _discharge(officer, deferred).discharged_on == dt.date(2026, 6, 1)


@pytest.mark.parametrize(("months", "ok"), [(12, True), (13, False)])
def test_changed_terms_meet_the_type_of_the_day(officer, months, ok):
    """A variation or renewal is judged against the bounds configured when it is
    made, in the action and in the database (the renewal keeping its period too)."""
    order = make_order(officer, period_months=12)
    _narrow_type(officer, max_months=12)
    if ok:
        with transaction.atomic():
            Order.objects.filter(pk=order.pk).update(period_months=months)
        renewed = actions.record_order_event(
            by=officer,
            order=order,
            event="renewed",
            event_on=dt.date(2026, 6, 1),
            applicant="chief_officer",
            court="Teesside Magistrates' Court",
            period_months=months,
        )
        assert renewed.expires_on == dt.date(2028, 2, 1)
        return
    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.filter(pk=order.pk).update(period_months=months)
    with pytest.raises(ValidationError, match="between 6 and 12"):
        actions.record_order_event(
            by=officer,
            order=order,
            event="varied",
            event_on=dt.date(2026, 6, 1),
            applicant="chief_officer",
            court="Teesside Magistrates' Court",
            period_months=months,
        )
    _narrow_type(officer, min_months=13, max_months=24)
    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.filter(pk=order.pk).update(expires_on=dt.date(2028, 2, 1))


def test_database_refuses_orders_made_outside_the_pilot(officer):
    """The pilot's areas and dates, in the database as in the action: a made-on day
    or issuing area corrected to one the type did not allow is refused."""
    order = make_order(officer)
    _narrow_type(
        officer,
        lifecycle="pilot",
        issuing_areas=["cleveland", "merseyside"],
        issuing_from=dt.date(2025, 4, 19),
        issuing_until=dt.date(2026, 2, 2),
    )
    with transaction.atomic():
        Order.objects.filter(pk=order.pk).update(issuing_area="merseyside")
    for change in (
        {"issuing_area": "west-midlands"},
        {"made_on": dt.date(2026, 2, 3)},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Order.objects.filter(pk=order.pk).update(**change)
