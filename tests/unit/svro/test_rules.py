"""The Act's rules at their boundaries (issue 10, "Done when")."""

import datetime as dt

import pytest

from svduty.svro import rules
from svduty.svro.models import Lifecycle

D = dt.date


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (D(2008, 3, 10), D(2026, 3, 9), 17),  # the day before the 18th birthday
        (D(2008, 3, 10), D(2026, 3, 10), 18),  # the birthday itself
        (D(2008, 2, 29), D(2026, 2, 28), 17),  # leap-day birth, common year
        (D(2008, 2, 29), D(2026, 3, 1), 18),
    ],
)
def test_age_on_the_conviction_date(born, on, age):
    assert rules.age_on(born, on) == age


@pytest.mark.parametrize(
    ("months", "problem"), [(5, True), (6, False), (24, False), (25, True)]
)
def test_svro_period_is_6_to_24_months(months, problem):
    assert (rules.period_problem(months, 6, 24) is not None) is problem


def test_period_bounds_come_from_configuration():
    assert rules.period_problem(30, 6, 36) is None
    assert rules.period_problem(3, None, None) is None
    assert (
        rules.period_problem(None, 6, 24) == "Enter the period of the order in months"
    )


@pytest.mark.parametrize(
    ("start", "months", "last"),
    [
        (D(2026, 3, 1), 6, D(2026, 8, 31)),
        (D(2026, 1, 31), 1, D(2026, 2, 27)),  # 28 Feb is the month's same day
        (D(2026, 2, 2), 24, D(2028, 2, 1)),
        (D(2026, 11, 15), 12, D(2027, 11, 14)),
    ],
)
def test_last_day_in_force(start, months, last):
    assert rules.expires_on(start, months) == last


def test_expiry_unknown_while_release_date_is():
    assert rules.expires_on(None, 12) is None


PILOT = {
    "lifecycle": Lifecycle.PILOT,
    "issuing_from": D(2023, 4, 19),
    "issuing_until": D(2025, 4, 18),
    "issuing_areas": ["merseyside", "sussex"],
    "type_name": "SVRO",
}


@pytest.mark.parametrize(
    ("area", "made_on", "ok"),
    [
        ("merseyside", D(2023, 4, 18), False),  # the day before the pilot
        ("merseyside", D(2023, 4, 19), True),
        ("merseyside", D(2025, 4, 18), True),  # its last day
        ("merseyside", D(2025, 4, 19), False),
        ("cleveland", D(2024, 1, 1), False),  # outside the pilot areas
    ],
)
def test_pilot_limits_issuing_to_its_areas_and_dates(area, made_on, ok):
    problem = rules.issuing_problem(area=area, made_on=made_on, **PILOT)
    assert (problem is None) is ok


def test_national_issues_anywhere_from_its_start():
    national = PILOT | {"lifecycle": Lifecycle.NATIONAL, "issuing_until": None}
    assert (
        rules.issuing_problem(area="cleveland", made_on=D(2026, 1, 1), **national)
        is None
    )
    assert rules.issuing_problem(area="cleveland", made_on=D(2023, 1, 1), **national)
