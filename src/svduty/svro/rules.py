"""The Act's rules as plain functions, so that each is tested at its boundary without
the database (issue 10, "Done when"). Actions call these; the database holds the same
rules as constraints and triggers (models.orders.ORDER_MEETS_ITS_TYPE)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable

from .models.choices import Lifecycle


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the last day of the month when it has fewer)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def expires_on(takes_effect_on: dt.date | None, period_months: int) -> dt.date | None:
    """The last day an order is in force: an order of 6 months taking effect on
    1 March is in force to 31 August. Unknown while the start date is."""
    if takes_effect_on is None:
        return None
    return add_months(takes_effect_on, period_months) - dt.timedelta(days=1)


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    """Completed years on `day` (a person born on 29 February is a year older on
    1 March in a common year)."""
    years = day.year - date_of_birth.year
    if (day.month, day.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def period_problem(
    period_months: int | None, min_months: int | None, max_months: int | None
) -> str | None:
    if period_months is None:
        return "Enter the period of the order in months"
    if (min_months is not None and period_months < min_months) or (
        max_months is not None and period_months > max_months
    ):
        low = min_months if min_months is not None else 1
        high = f"{max_months}" if max_months is not None else "any number of"
        return f"The period must be between {low} and {high} months"
    return None


def issuing_problem(
    *,
    lifecycle: str,
    issuing_from: dt.date | None,
    issuing_until: dt.date | None,
    issuing_areas: Iterable[str],
    area: str,
    made_on: dt.date,
    type_name: str,
) -> str | None:
    """Whether an order of this type could be made in this area on this day (A.1):
    in a pilot only in the pilot areas and dates; after the pilot, none made after
    its end; nationally, anywhere from the roll-out date."""
    if issuing_from is not None and made_on < issuing_from:
        return f"{type_name}s could not be made before {issuing_from:%-d %B %Y}"
    if lifecycle in (Lifecycle.PILOT, Lifecycle.PILOT_ENDED):
        if issuing_until is not None and made_on > issuing_until:
            return f"{type_name}s could not be made after {issuing_until:%-d %B %Y}"
        areas = list(issuing_areas)
        if areas and area not in areas:
            return f"{type_name}s could be made only in the pilot force areas"
    return None


def notification_due(
    event_on: dt.date,
    days: int,
    custody: Iterable[tuple[dt.date, dt.date | None]] = (),
) -> dt.date | None:
    """The last day to notify: `days` days beginning with the event day (3 days from
    a Friday ends on Sunday: calendar days, weekends included), not counting days in
    custody (from the day taken in up to, not including, the release day). None
    while custody has no end (the clock is paused)."""
    periods = list(custody)
    counted, day = 0, event_on
    while True:
        held = [p for p in periods if p[0] <= day and (p[1] is None or day < p[1])]
        if held:
            if any(end is None for _, end in held):
                return None
        else:
            counted += 1
            if counted == days:
                return day
        day += dt.timedelta(days=1)
