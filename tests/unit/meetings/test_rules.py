"""Rules of the meetings app that need no database."""

import datetime as dt

from svduty.meetings import stats
from svduty.meetings.demo import _month_day
from svduty.meetings.triggers import Suggestion


def test_suggestion_choice_values_name_their_target():
    child = Suggestion(trigger="cases.new_missing", reason="x", person_id=4)
    place = Suggestion(
        trigger="places.rising",
        reason="y",
        title="Park",
        subject_type="places.place",
        subject_id=9,
    )
    assert child.choice_value == "cases.new_missing|person-4"
    assert place.choice_value == "places.rising|places.place-9"


def test_twelve_months_start_at_the_first_of_the_month_a_year_ago():
    assert stats._start(12, dt.date(2026, 12, 4)) == dt.date(2026, 1, 1)
    assert stats._start(3, dt.date(2026, 2, 10)) == dt.date(2025, 12, 1)


def test_rate_and_table_rows():
    row = stats.Row(
        month=dt.date(2026, 3, 1), agency="Police", total=4, good=3, counts=(2, 1, 1, 0)
    )
    assert row.rate == 75.0
    assert stats.table([row]) == [["March 2026", "Police", 4, 2, 1, 1, 0, 75.0]]
    empty = stats.Row(
        month=dt.date(2026, 3, 1), agency="Police", total=0, good=0, counts=(0, 0, 0)
    )
    assert empty.rate is None
    spec = stats.rate_chart([row, empty], title_y="Rate")
    assert spec["data"]["values"] == [
        {"month": "2026-03", "agency": "Police", "rate": 75.0}
    ]


def test_demo_panels_meet_on_the_second_tuesday():
    day = _month_day(dt.date(2026, 12, 4), 0)
    assert day == dt.date(2026, 12, 8)
    assert day.weekday() == 1
    assert _month_day(dt.date(2026, 1, 20), 2) == dt.date(2025, 11, 11)
