import datetime as dt

import pytest
from django.test import override_settings

from svduty.cases.workdays import add_working_days, is_working_day, working_days_between

D = dt.date


@pytest.mark.parametrize(
    "start, days, expected",
    [
        (D(2026, 11, 23), 1, D(2026, 11, 24)),  # Monday → Tuesday
        (D(2026, 11, 27), 1, D(2026, 11, 30)),  # Friday → Monday
        (D(2026, 11, 28), 1, D(2026, 11, 30)),  # Saturday → Monday
        (D(2026, 4, 2), 1, D(2026, 4, 7)),  # Thursday before Good Friday → Tuesday
        (D(2026, 12, 24), 1, D(2026, 12, 29)),  # Christmas, Boxing Day (observed)
        (D(2026, 5, 22), 1, D(2026, 5, 26)),  # Spring bank holiday Monday
        (D(2026, 11, 23), 0, D(2026, 11, 23)),
    ],
)
def test_add_working_days_skips_weekends_and_bank_holidays(start, days, expected):
    assert add_working_days(start, days) == expected


def test_45_working_days_over_christmas():
    # 1 Dec 2026 + 45 working days: 9 weekends and 3 bank holidays (25, 28 Dec, 1 Jan).
    due = add_working_days(D(2026, 12, 1), 45)
    assert due == D(2027, 2, 5)
    assert working_days_between(D(2026, 12, 1), due) == 45


def test_bank_holidays_are_not_working_days():
    assert not is_working_day(D(2026, 8, 31))  # Late summer bank holiday (England)
    assert is_working_day(D(2026, 3, 17))  # St Patrick's Day is not an England holiday
    assert not is_working_day(D(2026, 11, 29))  # Sunday


@override_settings(CASES_EXTRA_NON_WORKING_DAYS=["2026-11-24"])
def test_a_partnership_can_add_non_working_days():
    assert add_working_days(D(2026, 11, 23), 1) == D(2026, 11, 25)


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(D(2026, 11, 23), -1)
