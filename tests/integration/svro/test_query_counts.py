"""Queries per page do not grow with the data (issue 10, performance): the officer's
orders page, a holder's page, an order's page and the scrutiny dashboard."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from svduty.core.authorisation import Role
from svduty.svro import actions
from tests.factories.svro import force, make_holder, make_order

pytestmark = pytest.mark.django_db
UK = ZoneInfo("Europe/London")


def grow(officer, holder, searches: int) -> None:
    order = make_order(officer, holder)
    for number in range(searches):
        actions.record_search(
            by=officer,
            order=order,
            reference=f"Q{order.pk}-{number}",
            force_area="cleveland",
            officer_identifier="PC 1",
            searched_at=dt.datetime(2026, 3, 1, 10, tzinfo=UK)
            + dt.timedelta(hours=number),
            location="Middlesbrough",
            latitude=54.57 + number / 1000,
            longitude=-1.23,
            identity_method="pnc",
            self_ethnicity="W1",
            officer_ethnicity="white",
            sex="male",
            outcome="nfa",
        )


def counts(client, urls):
    result = []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        result.append(len(queries))
    return result


def test_queries_do_not_grow(make_user, client_for):
    officer = make_user(Role.SVRO_OFFICER, agency=force())
    holder = make_holder(officer)
    grow(officer, holder, 1)
    order = holder.orders.get()
    client = client_for(officer)
    urls = [
        reverse("svro:register"),
        reverse("svro:holder", args=[holder.pk]),
        reverse("svro:order", args=[order.pk]),
        reverse("svro:scrutiny"),
    ]
    counts(client, urls)  # warm caches (sessions, content types)
    before = counts(client, urls)
    for index in range(4):
        grow(officer, make_holder(officer, name=f"More {index}"), 6)
    actions.record_search(
        by=officer,
        order=order,
        reference="extra",
        force_area="cleveland",
        officer_identifier="PC 1",
        searched_at=dt.datetime(2026, 4, 1, 10, tzinfo=UK),
        location="Middlesbrough",
        identity_method="pnc",
        self_ethnicity="W1",
        officer_ethnicity="white",
        sex="male",
        outcome="nfa",
    )
    assert counts(client, urls) == before
