"""Searches under s.342E (issue 10 point 4): refused a minute before and after the
order, not in a public place only with a reason; the database holds the same rule."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from svduty.core.authorisation import Role
from svduty.svro import actions
from svduty.svro.models import Search
from tests.factories.svro import force, make_order
from tests.real_data import STOP_SEARCH, full

pytestmark = pytest.mark.django_db
UK = ZoneInfo("Europe/London")


@pytest.fixture
def officer(make_user):
    return make_user(Role.SVRO_OFFICER, agency=force())


def search(officer, order, at, **fields):
    values = {
        "reference": f"S-{at:%Y%m%d%H%M}",
        "force_area": "cleveland",
        "officer_identifier": "PC 4321",
        "searched_at": at,
        "location": "Linthorpe Road, Middlesbrough",
        "identity_method": "pnc",
        "self_ethnicity": "W1",
        "officer_ethnicity": "white",
        "sex": "male",
        "outcome": "nfa",
    } | fields
    return actions.record_search(by=officer, order=order, **values)


@pytest.mark.parametrize(
    ("at", "ok"),
    [
        (dt.datetime(2026, 2, 1, 23, 59, tzinfo=UK), False),  # a minute before
        (dt.datetime(2026, 2, 2, 0, 0, tzinfo=UK), True),  # its first minute
        (dt.datetime(2027, 2, 1, 23, 59, tzinfo=UK), False),  # future: refused too
    ],
)
def test_search_only_while_in_force(officer, at, ok):
    order = make_order(officer)  # in force 2 Feb 2026 to 1 Feb 2027
    if ok:
        assert search(officer, order, at).pk
    else:
        with pytest.raises(ValidationError):
            search(officer, order, at)


def test_search_after_the_last_day_refused_in_action_and_database(officer):
    order = make_order(officer, made_on=dt.date(2026, 2, 2), period_months=6)
    last_minute = dt.datetime(2026, 8, 1, 23, 59, tzinfo=UK)
    assert search(officer, order, last_minute).pk
    after = dt.datetime(2026, 8, 2, 0, 0, tzinfo=UK)
    with pytest.raises(ValidationError, match="not in force"):
        search(officer, order, after)
    existing = Search.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Search.objects.filter(pk=existing.pk).update(searched_at=after)
    with pytest.raises(IntegrityError), transaction.atomic():
        Search.objects.filter(pk=existing.pk).update(
            searched_at=dt.datetime(2026, 2, 1, 23, 59, tzinfo=UK)
        )


def test_not_public_needs_a_reason(officer):
    order = make_order(officer)
    at = dt.datetime(2026, 3, 6, 14, 30, tzinfo=UK)
    with pytest.raises(ValidationError, match="public place"):
        search(officer, order, at, public_place=False)
    assert search(officer, order, at, public_place=False, not_public_reason="Car park")


def test_arrest_needs_offence(officer):
    order = make_order(officer)
    at = dt.datetime(2026, 3, 6, 14, 30, tzinfo=UK)
    with pytest.raises(ValidationError, match="offence"):
        search(officer, order, at, outcome="arrest")


def test_search_form(officer, client_for):
    order = make_order(officer)
    client = client_for(officer)
    data = {
        "reference": "CL-1",
        "force_area": "durham",
        "officer_identifier": "PC 1",
        "searched_on_day": "6",
        "searched_on_month": "3",
        "searched_on_year": "2026",
        "searched_time": "14:30",
        "location": "High Street, Darlington",
        "public_place": "yes",
        "identity_method": "pnc",
        "gowisely": ["grounds", "legal_power"],
        "self_ethnicity": "B2",
        "officer_ethnicity": "black",
        "sex": "male",
        "items_found": ["knife"],
        "seized": "on",
        "outcome": "arrest",
        "arrest_offence": "Possession of a bladed article",
        "outcome_linked": "on",
    }
    response = client.post(reverse("svro:search_new", args=[order.pk]), data)
    assert response.status_code == 302, response.text[:200]
    found = Search.objects.get()
    assert found.force_area == "durham" and found.items_found == ["knife"]
    page = client.get(reverse("svro:order", args=[order.pk]))
    assert "High Street, Darlington" in page.text


def test_reads_the_real_police_uk_sample():
    from svduty.svro.police_uk import read_stop_search

    rows = list(read_stop_search(full(STOP_SEARCH)))
    assert len(rows) == 907
    assert sum(1 for r in rows if r.latitude is None) == 10
    assert sum(1 for r in rows if r.outcome == "arrest") == 98
    assert sum(1 for r in rows if r.self_ethnicity == "A4") == 96
