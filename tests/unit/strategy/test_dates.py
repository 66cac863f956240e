"""When a review is due and overdue: "more than 12 months" across month ends and leap
years. The rule: due on the same date 12 months later (the month's last day if that
date does not exist); overdue from the day after."""

import datetime as dt

import pytest
import time_machine

from svduty.strategy.dates import add_months, is_review_overdue, review_due_on
from svduty.strategy.models import StrategyVersion
from svduty.strategy.states import StrategyState

D = dt.date


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap February
        (D(2023, 1, 31), 1, D(2023, 2, 28)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2024, 2, 29), 48, D(2028, 2, 29)),
        (D(2024, 8, 31), 12, D(2025, 8, 31)),
        (D(2024, 3, 31), 11, D(2025, 2, 28)),
        (D(2024, 12, 15), 12, D(2025, 12, 15)),
        (D(2024, 12, 31), 2, D(2025, 2, 28)),
    ],
)
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("reference", "not_yet", "overdue"),
    [
        # Published or reviewed on 29 February 2024: due 28 February 2025.
        (D(2024, 2, 29), D(2025, 2, 28), D(2025, 3, 1)),
        # 28 February 2023: due 28 February 2024 (a leap year: 29th is overdue).
        (D(2023, 2, 28), D(2024, 2, 28), D(2024, 2, 29)),
        # 1 March 2023 → 1 March 2024, across the leap day.
        (D(2023, 3, 1), D(2024, 3, 1), D(2024, 3, 2)),
        # Month ends.
        (D(2024, 1, 31), D(2025, 1, 31), D(2025, 2, 1)),
        (D(2024, 4, 30), D(2025, 4, 30), D(2025, 5, 1)),
        (D(2024, 8, 31), D(2025, 8, 31), D(2025, 9, 1)),
        # Year end.
        (D(2023, 12, 31), D(2024, 12, 31), D(2025, 1, 1)),
    ],
)
def test_overdue_only_after_more_than_twelve_months(reference, not_yet, overdue):
    assert review_due_on(reference) == not_yet
    assert not is_review_overdue(reference, not_yet)
    assert not is_review_overdue(reference, not_yet - dt.timedelta(days=1))
    assert is_review_overdue(reference, overdue)


def test_never_published_is_never_overdue():
    assert not is_review_overdue(None, D(2030, 1, 1))


def _published(on, reviewed=None, state=StrategyState.PUBLISHED):
    return StrategyVersion(state=state, published_on=on, last_reviewed_on=reviewed)


@pytest.mark.parametrize(
    ("today", "overdue"),
    [("2025-02-28 23:59", False), ("2025-03-01 00:01", True)],
)
def test_version_overdue_with_time_travel_in_london(today, overdue):
    # Europe/London: the local date decides, not UTC.
    with time_machine.travel(dt.datetime.fromisoformat(today + "+00:00"), tick=False):
        assert _published(D(2024, 2, 29)).is_review_overdue() is overdue


def test_a_later_review_resets_the_clock():
    version = _published(D(2023, 1, 31), reviewed=D(2024, 2, 29))
    with time_machine.travel(dt.datetime(2025, 2, 28, 12, tzinfo=dt.UTC), tick=False):
        assert not version.is_review_overdue()
    with time_machine.travel(dt.datetime(2025, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        assert version.is_review_overdue()


def test_summer_time_midnight_uses_the_uk_date():
    # 31 August 2025 23:30 UTC is 1 September 00:30 in London: overdue already.
    version = _published(D(2024, 8, 31))
    with time_machine.travel(
        dt.datetime(2025, 8, 31, 23, 30, tzinfo=dt.UTC), tick=False
    ):
        assert version.is_review_overdue()
    with time_machine.travel(
        dt.datetime(2025, 8, 31, 22, 30, tzinfo=dt.UTC), tick=False
    ):
        assert not version.is_review_overdue()


def test_a_draft_is_never_overdue():
    draft = StrategyVersion(state=StrategyState.DRAFT, published_on=None)
    assert not draft.is_review_overdue(D(2040, 1, 1))
