"""Notification deadlines at their boundaries: 3 days including the event day,
weekends counted, custody pausing the clock."""

import datetime as dt

from svduty.svro.rules import notification_due

D = dt.date


def test_three_days_beginning_with_the_event_day():
    assert notification_due(D(2026, 3, 2), 3) == D(2026, 3, 4)  # Monday -> Wednesday


def test_due_over_a_weekend():
    # Friday 6 March 2026: Friday, Saturday, Sunday
    assert notification_due(D(2026, 3, 6), 3) == D(2026, 3, 8)


def test_custody_pauses_the_clock():
    # taken in on the second day, released two days later: those two days don't count
    custody = [(D(2026, 3, 3), D(2026, 3, 5))]
    assert notification_due(D(2026, 3, 2), 3, custody) == D(2026, 3, 6)


def test_custody_before_the_event_changes_nothing():
    assert notification_due(D(2026, 3, 2), 3, [(D(2026, 1, 1), D(2026, 2, 1))]) == D(
        2026, 3, 4
    )


def test_custody_with_no_release_pauses_without_end():
    assert notification_due(D(2026, 3, 2), 3, [(D(2026, 3, 3), None)]) is None
