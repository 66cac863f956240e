"""Parsers for single cell values, shared by every reader.

Each parser takes the raw cell (text from CSV, or a typed value from a workbook)
and returns the normalised value, or raises :class:`BadValue` with the GOV.UK-style
message to show. Readers turn ``BadValue`` into an ``ImportProblem`` for the row,
so the wording lives in one place.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

UK_TIME = ZoneInfo("Europe/London")

LSOA_CODE = re.compile(r"^[EW]01\d{6}$")
LAD_CODE = re.compile(r"^[EWSN]0\d{7}$")
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
TIME_PART = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$")
INTEGER = re.compile(r"^[+-]?\d+$")
NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


class BadValue(ValueError):
    """A cell value is wrong; ``message`` is what the user should read."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def month(value: Any, label: str = "Month") -> dt.date:
    """YYYY-MM as the first day of that month."""
    raw = text(value)
    if isinstance(value, dt.date | dt.datetime):
        return dt.date(value.year, value.month, 1)
    match = MONTH.match(raw)
    if match:
        year, number = int(match.group(1)), int(match.group(2))
        if 1 <= number <= 12 and 1900 <= year <= 2100:
            return dt.date(year, number, 1)
    if not raw:
        raise BadValue(f"Enter a {label.lower()}")
    raise BadValue(
        f"{label} must be a real month in the format YYYY-MM, for example 2022-01"
    )


def _date_from_text(raw: str) -> dt.date | None:
    for pattern, order in ((ISO_DATE, "ymd"), (UK_DATE, "dmy")):
        match = pattern.match(raw)
        if match:
            parts = [int(p) for p in match.groups()]
            year, mon, day = parts if order == "ymd" else parts[::-1]
            try:
                return dt.date(year, mon, day)
            except ValueError:
                return None
    return None


def date(value: Any, label: str, *, required: bool = True) -> dt.date | None:
    """A date written YYYY-MM-DD or DD/MM/YYYY (as Excel saves UK dates)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = text(value)
    if not raw:
        if required:
            raise BadValue(f"Enter the {label.lower()}")
        return None
    parsed = _date_from_text(raw)
    if parsed is None:
        raise BadValue(
            f"{label} must be a real date in the format YYYY-MM-DD, "
            "for example 2022-01-31"
        )
    return parsed


def datetime(value: Any, label: str, *, required: bool = True) -> dt.datetime | None:
    """A date and time; without a UTC offset it is taken as UK local time.

    Accepts ``YYYY-MM-DD HH:MM[:SS]``, the ISO 8601 ``T`` form with or without an
    offset (as data.police.uk publishes), and ``DD/MM/YYYY HH:MM``. The result is
    always timezone-aware.
    """
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=UK_TIME)
    raw = text(value)
    if not raw:
        if required:
            raise BadValue(f"Enter the {label.lower()}")
        return None
    problem = BadValue(
        f"{label} must be a real date and time in the format YYYY-MM-DD HH:MM, "
        "for example 2022-01-31 23:15"
    )
    if "T" in raw or "+" in raw or raw.endswith("Z"):
        try:
            parsed = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            raise problem from None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UK_TIME)
    date_part, _, time_part = raw.partition(" ")
    day = _date_from_text(date_part)
    clock = TIME_PART.match(time_part.strip())
    if day is None or clock is None:
        raise problem
    hour, minute = int(clock.group(1)), int(clock.group(2))
    second = int(clock.group(3) or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise problem
    return dt.datetime(
        day.year, day.month, day.day, hour, minute, second, tzinfo=UK_TIME
    )


def number(
    value: Any, label: str, low: float, high: float, *, required: bool = True
) -> float | None:
    if isinstance(value, bool):
        raise BadValue(f"{label} must be a number between {low:g} and {high:g}")
    if isinstance(value, int | float):
        result = float(value)
    else:
        raw = text(value)
        if not raw:
            if required:
                raise BadValue(f"Enter the {label.lower()}")
            return None
        if not NUMBER.match(raw):
            raise BadValue(f"{label} must be a number between {low:g} and {high:g}")
        result = float(raw)
    if not low <= result <= high:
        raise BadValue(f"{label} must be a number between {low:g} and {high:g}")
    return result


def whole_number(value: Any, label: str, low: int = 0, high: int | None = None) -> int:
    """A whole number (workbooks store them as floats such as 1296.0)."""
    if isinstance(value, float) and value.is_integer():
        result = int(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        result = value
    else:
        raw = text(value).replace(",", "")
        if not raw:
            raise BadValue(f"Enter the {label.lower()}")
        if not INTEGER.match(raw):
            raise BadValue(f"{label} must be a whole number")
        result = int(raw)
    if result < low or (high is not None and result > high):
        if high is None:
            raise BadValue(f"{label} must be {low:,} or more")
        raise BadValue(f"{label} must be a whole number from {low:,} to {high:,}")
    return result


def lsoa_code(value: Any, *, required: bool = True) -> str | None:
    raw = text(value).upper()
    if not raw:
        if required:
            raise BadValue("Enter an LSOA code")
        return None
    if not LSOA_CODE.match(raw):
        raise BadValue(
            "LSOA code must be E01 or W01 followed by 6 digits, for example E01011949"
        )
    return raw


def lad_code(value: Any, *, required: bool = True) -> str | None:
    raw = text(value).upper()
    if not raw:
        if required:
            raise BadValue("Enter a local authority district code")
        return None
    if not LAD_CODE.match(raw):
        raise BadValue(
            "Local authority district code must be a letter, 0 and 7 digits, "
            "for example E06000001"
        )
    return raw


TRUE_WORDS = {"y", "yes", "true", "1"}
FALSE_WORDS = {"n", "no", "false", "0"}


def yes_no(value: Any, label: str, *, required: bool = True) -> bool | None:
    """Y/N, yes/no, true/false or 1/0 in any case."""
    if isinstance(value, bool):
        return value
    raw = text(value).casefold()
    if raw in TRUE_WORDS:
        return True
    if raw in FALSE_WORDS:
        return False
    if not raw and not required:
        return None
    if not raw:
        raise BadValue(f"Enter Y or N for {label.lower()}")
    raise BadValue(f"{label} must be Y or N (or yes, no, true, false, 1, 0)")


def choice(
    value: Any,
    label: str,
    options: dict[str, str],
    *,
    required: bool = True,
    hint: str | None = None,
) -> str | None:
    """Match a value (ignoring case) against ``options`` (accepted -> stored)."""
    raw = text(value)
    if not raw:
        if required:
            raise BadValue(f"Enter the {label.lower()}")
        return None
    key = " ".join(raw.casefold().replace("_", " ").split())
    if key in options:
        return options[key]
    listed = hint or ", ".join(sorted(set(options.values())))
    raise BadValue(f"{label} must be one of: {listed}")
