"""UK (England) working days: legal and practice deadlines in Working Together are in
working days, which exclude weekends and bank holidays.

Bank holidays come from the `holidays` package (England subdivision). A partnership can
add local non-working days (for example a one-off extra bank holiday announced after
the package was released) with the setting CASES_EXTRA_NON_WORKING_DAYS, a list of ISO
dates.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
from django.conf import settings
from django.utils import timezone


@lru_cache(maxsize=128)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def _extra_days() -> frozenset[dt.date]:
    extra = getattr(settings, "CASES_EXTRA_NON_WORKING_DAYS", ()) or ()
    return frozenset(
        dt.date.fromisoformat(d) if isinstance(d, str) else d for d in extra
    )


def is_working_day(day: dt.date) -> bool:
    return (
        day.weekday() < 5
        and day not in _bank_holidays(day.year)
        and day not in _extra_days()
    )


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (start itself does not count)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    while remaining:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 if end <= start)."""
    count = 0
    current = start
    while current < end:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count


def local_date(moment: dt.datetime | None = None) -> dt.date:
    return timezone.localdate(moment or timezone.now())
