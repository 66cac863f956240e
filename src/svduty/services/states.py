"""The rules of a referral to a service, in one place (architecture, convention 3).

A referral moves only along TRANSITIONS. The actions check it (with words a person can
act on) and a database trigger built from the same table refuses anything else, so
no code path (a bug, the admin shell, an import) can skip a step.

Also here: the deadlines that the law or practice sets on these records.
- NRM (reference C.3): the reasonable grounds decision is due within 5 working days
  of the referral "where possible"; the conclusive grounds decision is made no
  earlier than the end of the recovery period, 30 calendar days after the reasonable
  grounds decision.
- Return home interview (reference C.4): offered within 72 hours of the child's
  return (the deadline is on the cases app's MissingEpisode.interview_due_at).
"""

from __future__ import annotations

import datetime as dt

from django.db import models

from svduty.cases.workdays import add_working_days


class ReferralStatus(models.TextChoices):
    REFERRED = "referred", "Waiting for a decision"
    ACCEPTED = "accepted", "Accepted, waiting to start"
    DECLINED = "declined", "Not accepted by the service"
    WITHDRAWN = "withdrawn", "Withdrawn"
    STARTED = "started", "Receiving the service"
    ENDED = "ended", "Ended"


S = ReferralStatus

TRANSITIONS: dict[ReferralStatus, frozenset[ReferralStatus]] = {
    S.REFERRED: frozenset({S.ACCEPTED, S.DECLINED, S.WITHDRAWN}),
    S.ACCEPTED: frozenset({S.STARTED, S.WITHDRAWN}),
    S.STARTED: frozenset({S.ENDED}),
    S.DECLINED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.ENDED: frozenset(),
}

#: On a service's waiting list: referred and not yet started.
WAITING = frozenset({S.REFERRED, S.ACCEPTED})
#: Still open (waiting or receiving the service).
OPEN = frozenset({S.REFERRED, S.ACCEPTED, S.STARTED})


def can_move(current: str, new: str) -> bool:
    return ReferralStatus(new) in TRANSITIONS[ReferralStatus(current)]


def transition_sql() -> str:
    """The allowed pairs as a SQL condition on OLD.status and NEW.status."""
    pairs = sorted(
        f"('{old.value}', '{new.value}')"
        for old, targets in TRANSITIONS.items()
        for new in targets
    )
    return "(OLD.status, NEW.status) IN (" + ", ".join(pairs) + ")"


RG_WORKING_DAYS = 5
RECOVERY_PERIOD_DAYS = 30


def rg_due_on(referred_on: dt.date) -> dt.date:
    """Reasonable grounds decision due: 5 working days (England) after referral."""
    return add_working_days(referred_on, RG_WORKING_DAYS)


def recovery_ends_on(rg_decided_on: dt.date) -> dt.date:
    """The earliest day for the conclusive grounds decision."""
    return rg_decided_on + dt.timedelta(days=RECOVERY_PERIOD_DAYS)


def waiting_days(
    referred_on: dt.date, started_on: dt.date | None, today: dt.date
) -> int:
    """Days from referral to start (or to today while still waiting)."""
    return ((started_on or today) - referred_on).days
