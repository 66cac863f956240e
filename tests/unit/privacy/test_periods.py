import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured

from svduty.privacy.retention import Period, configured_periods


def test_periods_parse_and_read():
    assert Period.parse("6y") == Period(months=72)
    assert Period.parse("18m") == Period(months=18)
    assert Period.parse(" 30d ") == Period(days=30)
    assert str(Period(months=72)) == "6 years"
    assert str(Period(months=1)) == "1 month"
    assert str(Period(days=30)) == "30 days"
    for bad in ("", "6", "six years", "6w", "-1y", "1.5y"):
        with pytest.raises(ImproperlyConfigured):
            Period.parse(bad)


def test_boundary_is_the_start_of_the_day_a_period_ago():
    before = Period(months=12).before(dt.date(2026, 3, 1))
    assert before.date() == dt.date(2025, 3, 1)
    assert (before.hour, before.minute) == (0, 0)
    # Leap day: a year after 29 February is 28 February.
    assert Period(months=12).before(dt.date(2025, 2, 28)).date() == dt.date(2024, 2, 28)


def test_configuration(settings):
    settings.RETENTION_PERIODS = "cases.person=7y, audit.security_events=2y"
    assert configured_periods() == {
        "cases.person": Period(months=84),
        "audit.security_events": Period(months=24),
    }
    settings.RETENTION_PERIODS = "cases.person"
    with pytest.raises(ImproperlyConfigured):
        configured_periods()
