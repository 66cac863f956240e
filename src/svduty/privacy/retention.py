"""The retention schedule: how long each type of record is kept (issue 14, point 10;
DPA 2018 s.39 and UK GDPR storage limitation; ASVS 14.2.7).

The privacy app sits below the apps that hold personal data, so it never imports them:
each app registers a `RetentionRule` for its record types in its `AppConfig.ready()`.
The daily job (`svduty apply_retention`, or the self-rescheduling background task)
asks every rule for the records that are due and erases them one by one, writing an
erasure log entry that names the record's type and id, never its content.

Periods are configurable without a code change: `SVDUTY_RETENTION_PERIODS` takes
`key=period` pairs, a period being a number followed by `y`, `m` (months) or `d`, for
example `cases.person=7y,sharing.upload=60d`. Unknown keys stop start-up (a typo must
not silently keep data for ever).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils import timezone


class Method(StrEnum):
    ERASE = "erase"
    DELETE_FILE = "delete_file"

    @property
    def label(self) -> str:
        return {
            Method.ERASE: "Deleted, with everything that belongs to it and its "
            "change history",
            Method.DELETE_FILE: "The stored file and copied rows deleted; the "
            "record that an import happened is kept",
        }[self]


@dataclass(frozen=True)
class Period:
    months: int = 0
    days: int = 0

    @classmethod
    def parse(cls, text: str) -> Period:
        match = re.fullmatch(r"\s*(\d{1,4})\s*([ymd])\s*", text)
        if not match:
            raise ImproperlyConfigured(
                f"A retention period must be a number followed by y, m or d "
                f"(for example 6y, 18m or 30d), not {text!r}."
            )
        number, unit = int(match[1]), match[2]
        if unit == "y":
            return cls(months=12 * number)
        if unit == "m":
            return cls(months=number)
        return cls(days=number)

    def __str__(self) -> str:
        if self.months and self.months % 12 == 0 and not self.days:
            years = self.months // 12
            return f"{years} year{'s' if years != 1 else ''}"
        parts = []
        if self.months:
            parts.append(f"{self.months} month{'s' if self.months != 1 else ''}")
        if self.days or not parts:
            parts.append(f"{self.days} day{'s' if self.days != 1 else ''}")
        return " and ".join(parts)

    def before(self, today: dt.date) -> dt.datetime:
        """The instant before which a clock started makes a record due `today`.

        A record whose clock started at any time on day D has been kept for the whole
        period by the end of day D plus the period, so the first run on the day after
        erases it: the boundary is midnight (UK time) at the start of `today` minus
        the period. (The audit trail's database floor compares the exact instant, so
        erasing a day later than the period never meets its refusal.)
        """
        day = today - relativedelta(months=self.months, days=self.days)
        return dt.datetime.combine(
            day, dt.time.min, tzinfo=timezone.get_current_timezone()
        )


@dataclass(frozen=True)
class RetentionRule:
    #: Stable key, used in configuration and in the erasure log ("cases.person").
    key: str
    #: What is kept, in plain words ("Children's records and the people around them").
    label: str
    default: Period
    #: When the clock starts ("the last change to the record").
    starts: str
    method: Method
    #: Where the default comes from, so a DPO can check it.
    source: str
    #: Records whose clock started before the given instant.
    due: Callable[[dt.datetime], Iterable[models.Model]]
    #: Erases one record (in the caller's transaction). None: delete the record with
    #: everything that refers to it and its change history (`privacy.erasure`).
    erase: Callable[[models.Model], dict[str, int] | None] | None = None
    #: Rows erased together in one statement and one erasure log entry (the audit
    #: trail's own events: thousands a day, each without dependants). `due` must
    #: then return a QuerySet.
    bulk: bool = False

    @property
    def period(self) -> Period:
        return configured_periods().get(self.key, self.default)

    @property
    def configured(self) -> bool:
        return self.key in configured_periods()


_RULES: dict[str, RetentionRule] = {}


def register_retention_rule(rule: RetentionRule) -> None:
    existing = _RULES.get(rule.key)
    if existing is not None and existing != rule:
        raise ImproperlyConfigured(f"Two retention rules have the key {rule.key!r}.")
    _RULES[rule.key] = rule


def retention_rules() -> list[RetentionRule]:
    return sorted(_RULES.values(), key=lambda rule: rule.key)


def get_rule(key: str) -> RetentionRule:
    return _RULES[key]


def configured_periods() -> dict[str, Period]:
    text: Any = getattr(settings, "RETENTION_PERIODS", "") or ""
    periods: dict[str, Period] = {}
    for item in str(text).split(","):
        if not item.strip():
            continue
        key, sep, value = item.partition("=")
        if not sep:
            raise ImproperlyConfigured(
                f"SVDUTY_RETENTION_PERIODS: {item!r} is not key=period."
            )
        periods[key.strip()] = Period.parse(value)
    return periods


def unknown_configured_keys() -> list[str]:
    return sorted(set(configured_periods()) - set(_RULES))
