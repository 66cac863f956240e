"""Variation, renewal, discharge and appeal make new versions; breaches refuse a
conditional discharge for obstruction (configurable); later convictions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from svduty.core.authorisation import Role
from svduty.svro import actions
from tests.factories.svro import force, make_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_user):
    return make_user(Role.SVRO_OFFICER, agency=force())


def event(officer, order, kind, **fields):
    values = {
        "event": kind,
        "event_on": dt.date(2026, 6, 1),
        "applicant": "chief_officer",
        "court": "Teesside Magistrates' Court",
    } | fields
    return actions.record_order_event(by=officer, order=order, **values)


def test_variation_and_renewal_recompute_expiry(officer):
    order = make_order(officer)  # 2 Feb 2026, 12 months -> 1 Feb 2027
    order = event(officer, order, "varied", period_months=18)
    assert (order.version, order.expires_on) == (2, dt.date(2027, 8, 1))
    with pytest.raises(ValidationError, match="between 6 and 24"):
        event(officer, order, "renewed", period_months=25)
    order = event(officer, order, "renewed", period_months=6)
    assert order.expires_on == dt.date(2028, 2, 1)
    assert [v.event for v in order.versions.order_by("number")] == [
        "made",
        "varied",
        "renewed",
    ]


def test_discharge_ends_the_order_and_the_search_power(officer):
    order = event(officer, make_order(officer), "discharged")
    assert order.discharged_on == dt.date(2026, 6, 1)
    assert order.in_force_on(dt.date(2026, 5, 31))
    assert not order.in_force_on(dt.date(2026, 6, 1))
    with pytest.raises(ValidationError, match="discharged"):
        event(officer, order, "varied", period_months=12)


def test_appeal_quashing(officer):
    order = event(
        officer, make_order(officer), "appealed", applicant="offender", quashed=True
    )
    assert order.discharged_on == dt.date(2026, 6, 1)


def test_no_conditional_discharge_for_obstruction(officer, settings):
    order = make_order(officer)
    values = {
        "by": officer,
        "order": order,
        "kind": "obstruction",
        "occurred_on": dt.date(2026, 3, 1),
        "reported_by": "PC 1",
        "investigation": "convicted",
        "charge": "Obstructing a search under s.342E",
        "sentence": "conditional_discharge",
    }
    with pytest.raises(ValidationError, match="conditional discharge"):
        actions.record_breach(**values)
    settings.SVRO_OBSTRUCTION_NO_CONDITIONAL_DISCHARGE = False
    assert actions.record_breach(**values).pk
    assert actions.record_breach(**(values | {"kind": "fail_to_notify"})).pk


def test_later_conviction_only_after_an_order(officer, client_for):
    order = make_order(officer)
    with pytest.raises(ValidationError, match="after an order"):
        actions.record_reoffence(
            by=officer,
            holder=order.holder,
            offence="Theft",
            offence_date=dt.date(2026, 1, 1),
            conviction_date=dt.date(2026, 3, 1),
        )
    response = client_for(officer).post(
        reverse("svro:reoffence_new", args=[order.holder_id]),
        {
            "offence": "Possession of a bladed article",
            "offence_date_day": "1",
            "offence_date_month": "4",
            "offence_date_year": "2026",
            "conviction_date_day": "1",
            "conviction_date_month": "6",
            "conviction_date_year": "2026",
            "weapon_related": "on",
        },
    )
    assert response.status_code == 302
    assert order.holder.reoffences.get().weapon_related
