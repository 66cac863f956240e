"""The referral state machine and the NRM deadlines, without the database."""

import datetime as dt
import itertools

import pytest

from svduty.services.states import (
    TRANSITIONS,
    ReferralStatus,
    can_move,
    recovery_ends_on,
    rg_due_on,
    transition_sql,
    waiting_days,
)

S = ReferralStatus
ALLOWED = {
    (S.REFERRED, S.ACCEPTED),
    (S.REFERRED, S.DECLINED),
    (S.REFERRED, S.WITHDRAWN),
    (S.ACCEPTED, S.STARTED),
    (S.ACCEPTED, S.WITHDRAWN),
    (S.STARTED, S.ENDED),
}


@pytest.mark.parametrize("old,new", list(itertools.product(S, S)))
def test_every_pair_of_states(old, new):
    assert can_move(old, new) == ((old, new) in ALLOWED)


def test_every_state_has_its_row_and_the_sql_names_every_allowed_pair():
    assert set(TRANSITIONS) == set(S)
    sql = transition_sql()
    for old, new in ALLOWED:
        assert f"('{old.value}', '{new.value}')" in sql
    assert sql.count("('") == len(ALLOWED)


def test_rg_due_five_working_days_after_referral():
    # Monday 5 January 2026 -> Monday 12 January (the weekend does not count)
    assert rg_due_on(dt.date(2026, 1, 5)) == dt.date(2026, 1, 12)
    # Thursday 2 April 2026: Good Friday and Easter Monday are bank holidays
    assert rg_due_on(dt.date(2026, 4, 2)) == dt.date(2026, 4, 13)


def test_recovery_period_is_thirty_calendar_days():
    assert recovery_ends_on(dt.date(2026, 1, 31)) == dt.date(2026, 3, 2)


def test_waiting_days_until_start_or_today():
    referred = dt.date(2026, 1, 5)
    assert waiting_days(referred, dt.date(2026, 1, 19), dt.date(2026, 3, 1)) == 14
    assert waiting_days(referred, None, dt.date(2026, 1, 6)) == 1
