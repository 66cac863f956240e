"""The scrutiny dashboard's figures on a fixture with known answers, including
suppression that cannot be undone from the totals (issue 10 point 6)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from svduty.audit.models import AuditEvent
from svduty.core.authorisation import Role
from svduty.svro import actions
from svduty.svro.models import ResidentPopulation
from svduty.svro.scrutiny import Filters, dashboard, rate_ratio
from tests.factories.svro import force, make_holder, make_order, svro_type

pytestmark = pytest.mark.django_db
UK = ZoneInfo("Europe/London")
PERIOD = Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 1))


@pytest.fixture
def world(make_user):
    """6 White holders with orders, 6 Black holders with orders, 2 Asian people
    considered only. White holders searched 10 times in all (1 knife, 1 arrest);
    Black holders 20 times (no finds)."""
    officer = make_user(Role.SVRO_OFFICER, agency=force())
    orders = {"W1": [], "B2": []}
    for ethnicity in orders:
        for index in range(6):
            holder = make_holder(
                officer, name=f"{ethnicity}-{index}", ethnicity=ethnicity
            )
            orders[ethnicity].append(make_order(officer, holder))
    for index in range(2):
        actions.record_application(
            by=officer,
            holder=make_holder(officer, name=f"A-{index}", ethnicity="A4"),
            order_type=svro_type(),
            considered_on=dt.date(2026, 1, 6),
        )
    number = 0

    def search(order, **fields):
        nonlocal number
        number += 1
        at = dt.datetime(2026, 3, 1, 12, 0, tzinfo=UK) + dt.timedelta(hours=number)
        values = {
            "reference": f"S{number}",
            "force_area": "cleveland",
            "officer_identifier": "PC 1",
            "searched_at": at,
            "location": "Middlesbrough",
            "latitude": 54.5762,
            "longitude": -1.2348,
            "identity_method": "pnc",
            "self_ethnicity": order.holder.ethnicity,
            "officer_ethnicity": "white",
            "sex": "male",
            "age": 25,
            "outcome": "nfa",
        } | fields
        actions.record_search(by=officer, order=order, **values)

    search(
        orders["W1"][0],
        items_found=["knife"],
        seized=True,
        outcome="arrest",
        arrest_offence="Possession of a bladed article",
        outcome_linked=True,
    )
    for _ in range(9):
        search(orders["W1"][1])
    for order in orders["B2"][:4]:
        for _ in range(5):
            search(order)
    ResidentPopulation.objects.create(
        force_area="cleveland", ethnic_group="white", population=10000, source="Test"
    )
    ResidentPopulation.objects.create(
        force_area="cleveland", ethnic_group="black", population=1000, source="Test"
    )
    return officer


def rows(table):
    return {row[0]: row[1:] for row in table.rows}


def test_funnel_with_suppression(world):
    funnel = rows(dashboard(PERIOD).table("funnel"))
    # Considered, Applications, Granted, In force
    assert funnel["White"][1:] == funnel["Black"][1:] == ["6", "6", "6"]
    # 2 Asian people considered: primary; the All row's total would give it away
    # only if it were the one hidden cell in its column: a second cell is hidden
    assert funnel["Asian"][0] == "fewer than 5"
    assert funnel["All"][0] == "14"
    assert sorted([funnel["White"][0], funnel["Black"][0]]) == ["6", "[c]"]


def test_search_outcomes_and_repeat(world):
    result = dashboard(PERIOD)
    outcomes = rows(result.table("outcomes"))
    assert outcomes["White"][0] == "10" and outcomes["Black"][0] == "20"
    assert outcomes["White"][1] == "fewer than 5"  # one knife found
    repeat = rows(result.table("repeat"))
    assert repeat["Not searched"] == ["6"]  # 4 White holders and 2 Black
    assert repeat["Once"] == ["fewer than 5"]
    # 4 Black holders and 1 White (9 times): hidden so that "Once" cannot be worked
    # out from the published total
    assert repeat["5 to 9 times"] == ["[c]"]
    assert repeat["All order holders"] == ["12"]


def test_relative_rates(world):
    table = rows(dashboard(PERIOD).table("disproportionality"))
    # per holder: Black 20/6, White 10/6 -> 2.00; per resident: 20/1000 vs 10/10000
    assert table["Black"][2].startswith("2.00 (")
    assert table["Black"][4].startswith("20.00 (")
    assert table["White"][2] == "Reference"
    ratio, low, high = rate_ratio(20, 6, 10, 6)
    assert round(ratio, 2) == 2.0 and low < 2 < high


def test_map_counts_in_squares(world):
    features = dashboard(PERIOD).map_features
    assert [f["properties"]["value"] for f in features] == [30]


def test_page_and_export(world, make_user, client_for):
    analyst = make_user(Role.ANALYST)
    client = client_for(analyst)
    page = client.get(reverse("svro:scrutiny") + "?by=sex&months=24&force=zz")
    assert page.status_code == 200
    assert "Searches and what they found" in page.text
    assert "W1-0" not in page.text  # no names
    response = client.get(reverse("svro:scrutiny_export"))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="export", actor_id=analyst.pk).exists()
    assert client.get(reverse("svro:register")).status_code == 403


def test_figures_by_area(make_user):
    """By local authority area: the funnel by where the person lives, searches by
    where they happened, areas by name and "not recorded" last, suppressed, and the
    chart draws only the counts the table shows."""
    from svduty.partnership.models import LocalArea

    middlesbrough = LocalArea.objects.create(ons_code="E06000002", name="Middlesbrough")
    hartlepool = LocalArea.objects.create(ons_code="E06000001", name="Hartlepool")
    officer = make_user(Role.SVRO_OFFICER, agency=force())
    orders = [
        make_order(
            officer, make_holder(officer, name=f"M-{i}", local_area=middlesbrough)
        )
        for i in range(6)
    ]
    for index in range(2):
        actions.record_application(
            by=officer,
            holder=make_holder(officer, name=f"H-{index}", local_area=hartlepool),
            order_type=svro_type(),
            considered_on=dt.date(2026, 1, 6),
        )
    places = [middlesbrough] * 7 + [hartlepool] * 2 + [None]
    for number, area in enumerate(places):
        actions.record_search(
            by=officer,
            order=orders[number % 6],
            reference=f"A{number}",
            force_area="cleveland",
            local_area=area,
            officer_identifier="PC 1",
            searched_at=dt.datetime(2026, 3, 1, 12, tzinfo=UK)
            + dt.timedelta(hours=number),
            location="Teesside",
            identity_method="pnc",
            self_ethnicity="W1",
            officer_ethnicity="white",
            sex="male",
            outcome="nfa",
        )
    result = dashboard(Filters(PERIOD.start, PERIOD.end, by="area"))
    outcomes = result.table("outcomes")
    assert outcomes.head[0] == "Local authority area"
    assert [row[0] for row in outcomes.rows] == [
        "Hartlepool",
        "Middlesbrough",
        "Area not recorded",
        "All",
    ]
    searches = {row[0]: row[1] for row in outcomes.rows}
    assert searches == {
        "Hartlepool": "fewer than 5",
        "Middlesbrough": "7",
        "Area not recorded": "fewer than 5",
        "All": "10",
    }
    assert outcomes.spec["data"]["values"] == [
        {"group": "Middlesbrough", "searches": 7}
    ]
    funnel = rows(result.table("funnel"))
    # Considered: Hartlepool 2 (hidden), so Middlesbrough's 6 is hidden too: the
    # total (8) would give Hartlepool's away.
    assert funnel["Hartlepool"][0] == "fewer than 5"
    assert funnel["Middlesbrough"][0] == "[c]"
    assert funnel["Middlesbrough"][3] == "6"  # in force
    assert funnel["All"][0] == "8"
