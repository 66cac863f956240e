"""When a strategy review is due, and when it is overdue.

The rule (docs/strategy.md): the statutory guidance asks for review at least every 12
months. The review is **due** on the same calendar date 12 months after the reference
date, where the reference date is the latest completed review or, before any review,
the publication date. When that date does not exist (29 February in a year that is not
a leap year) it is due on the last day of the month, 28 February. The strategy is
**overdue** from the day after the due date: its last review is then *more than* 12
months old. Published or reviewed on 29 February 2024 → due 28 February 2025 → overdue
on 1 March 2025, not on 28 February 2025.
"""

from __future__ import annotations

import calendar
import datetime as dt

REVIEW_INTERVAL_MONTHS = 12


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day of the month `months` later, clamped to the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def review_due_on(reference: dt.date) -> dt.date:
    return add_months(reference, REVIEW_INTERVAL_MONTHS)


def is_review_overdue(reference: dt.date | None, today: dt.date) -> bool:
    """True when more than 12 months have passed since `reference` (None: never
    published, so nothing is overdue)."""
    return reference is not None and today > review_due_on(reference)
