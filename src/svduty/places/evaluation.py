"""Before and after: police.uk incidents around a place, from the analytic snapshot.

The snapshot's street-level table holds data.police.uk's own anonymised map points
(already public). We count the records within a radius of the place, month by month,
with DuckDB over the Parquet file, and compare two periods of equal length either
side of the month an intervention began.

The rules, in plain words (they are shown on the page too):

- police.uk data comes by month, so periods are whole months;
- the month the intervention began is left out when it began after the 1st, because
  it is partly before and partly after;
- "before" is the N months up to the start, "after" the N months from it; when the
  snapshot does not hold N months on both sides, both periods shrink to what it
  holds, so they stay equal;
- a record counts when its map point is no further than the radius from the place
  (great-circle distance; a point exactly on the radius counts).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG), as the haversine uses
RADIUS_CHOICES = (100, 200, 300, 500, 1000)
MONTH_CHOICES = (3, 6, 12)
DEFAULT_MONTHS = 6
SMALL_NUMBERS = 10  # below this many in a period, say that chance dominates


class CrimeSet(StrEnum):
    """Which police.uk crime types to count."""

    ALL = "all"
    VIOLENCE = "violence"
    ASB = "asb"

    @property
    def label(self) -> str:
        return CRIME_SET_LABELS[self]

    @property
    def crime_types(self) -> tuple[str, ...] | None:
        return CRIME_SET_TYPES[self]


CRIME_SET_LABELS: dict[CrimeSet, str] = {
    CrimeSet.ALL: "All crime and anti-social behaviour",
    CrimeSet.VIOLENCE: "Violence, robbery and weapons",
    CrimeSet.ASB: "Anti-social behaviour",
}
CRIME_SET_TYPES: dict[CrimeSet, tuple[str, ...] | None] = {
    CrimeSet.ALL: None,
    CrimeSet.VIOLENCE: (
        "Violence and sexual offences",
        "Robbery",
        "Possession of weapons",
    ),
    CrimeSet.ASB: ("Anti-social behaviour",),
}

CAVEAT = (
    "Places are usually chosen for action because incidents there were unusually "
    "high. Figures that are unusually high tend to fall back towards their usual "
    "level on their own, even when nothing is done: this is called regression to "
    "the mean. So a fall after the intervention does not, by itself, show that the "
    "intervention worked. Other things change too: police patrols and recording, "
    "the seasons, events nearby. Compare with similar places that had no "
    "intervention, and with longer periods, before drawing conclusions."
)


class SnapshotWithoutPoints(RuntimeError):
    """The snapshot was built before street-level records kept their map points."""


# --- Calendar months ---------------------------------------------------------------


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def months_from(first: dt.date, last: dt.date) -> list[dt.date]:
    months, month = [], month_start(first)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


# --- Distance ------------------------------------------------------------------------


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine), as the SQL below computes it."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    h = (
        math.sin(dphi / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def _box(latitude: float, longitude: float, radius_m: float) -> tuple[float, ...]:
    """A latitude/longitude box holding the circle (a cheap first filter that
    Parquet row-group statistics can use), a little larger to be safe."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M) * 1.01
    dlon = dlat / max(math.cos(math.radians(latitude)), 1e-6)
    return latitude - dlat, latitude + dlat, longitude - dlon, longitude + dlon


def distance_sql(lat: str, lon: str, *, table: str = "") -> str:
    """The haversine of `distance_m` in DuckDB SQL, from (lat, lon) (parameters or
    columns) to each record's map point (`table.latitude`, `table.longitude`)."""
    point_lat, point_lon = f"{table}latitude", f"{table}longitude"
    return (
        f"2 * {EARTH_RADIUS_M} * asin(least(1, sqrt("
        f"power(sin(radians({point_lat} - {lat}) / 2), 2) + "
        f"cos(radians({lat})) * cos(radians({point_lat})) * "
        f"power(sin(radians({point_lon} - {lon}) / 2), 2))))"
    )


# --- Reading the snapshot ------------------------------------------------------------


def _street_file(folder: Path) -> str:
    return str(Path(folder) / "police_street.parquet")


@lru_cache(maxsize=32)
def _data_months(path: str) -> tuple[dt.date | None, dt.date | None, bool]:
    """First and last month of street-level data, and whether points are held.
    A snapshot's files never change once written, so this is asked once per file."""
    names = set(pq.read_schema(path).names)
    has_points = {"longitude", "latitude"} <= names
    con = duckdb.connect()
    try:
        row = con.execute(
            "SELECT min(month), max(month) FROM read_parquet(?)", [path]
        ).fetchone()
        assert row is not None  # an aggregate without GROUP BY gives one row
        low, high = row
    finally:
        con.close()
    return low, high, has_points


def has_points(folder: Path) -> bool:
    return _data_months(_street_file(folder))[2]


def data_months(folder: Path) -> tuple[dt.date | None, dt.date | None]:
    low, high, _points = _data_months(_street_file(folder))
    return low, high


def monthly_counts(
    folder: Path,
    *,
    latitude: float,
    longitude: float,
    radius_m: float,
    first: dt.date,
    last: dt.date,
    crime_types: Sequence[str] | None = None,
) -> dict[dt.date, int]:
    """Street-level records within `radius_m` of the point, per month from `first`
    to `last` (months with none are 0)."""
    path = _street_file(folder)
    if not _data_months(path)[2]:
        raise SnapshotWithoutPoints(
            "This analytic snapshot was built before police.uk records kept their "
            "map points. Rebuild the snapshot to compare incidents around places."
        )
    south, north, west, east = _box(latitude, longitude, radius_m)
    distance = distance_sql("?", "?")
    # `distance` is SQL text made from constants by distance_sql; values are "?".
    sql = (
        "SELECT month, count(*) FROM read_parquet(?) "  # noqa: S608
        "WHERE month BETWEEN ? AND ? "
        "AND latitude BETWEEN ? AND ? AND longitude BETWEEN ? AND ? "
        f"AND {distance} <= ? "
    )
    params: list = [path, first, last, south, north, west, east]
    params += [latitude, latitude, longitude, radius_m]
    if crime_types:
        sql += "AND list_contains(?, crime_type) "
        params.append(list(crime_types))
    sql += "GROUP BY month"
    con = duckdb.connect()
    try:
        rows = con.execute(sql, params).fetchall()
    finally:
        con.close()
    counts = dict.fromkeys(months_from(first, last), 0)
    for month, count in rows:
        counts[month] = int(count)
    return counts


# --- The comparison ------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    first: dt.date
    last: dt.date
    months: int
    count: int

    @property
    def rate(self) -> float:
        """Incidents per month."""
        return self.count / self.months if self.months else 0.0


@dataclass(frozen=True)
class Comparison:
    """The result of a before/after comparison, or the reason there is none."""

    requested_months: int
    before: Period | None = None
    after: Period | None = None
    series: tuple[tuple[dt.date, int, str], ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)
    unavailable: str = ""
    p_value: float | None = None

    @property
    def possible(self) -> bool:
        return self.before is not None and self.after is not None

    @property
    def change(self) -> int | None:
        if self.before is None or self.after is None:
            return None
        return self.after.count - self.before.count

    @property
    def percent_change(self) -> float | None:
        """None when there were no incidents before (no percentage of nothing)."""
        if self.before is None or self.after is None or self.before.count == 0:
            return None
        return 100.0 * (self.after.count - self.before.count) / self.before.count

    @property
    def direction(self) -> str:
        change = self.change
        if change is None:
            return ""
        if change < 0:
            return "fell"
        return "rose" if change > 0 else "did not change"

    @property
    def chance_words(self) -> str:
        """Whether a change this size is likely by chance alone, in plain words."""
        if self.p_value is None or self.change == 0:
            return ""
        if self.p_value < 0.05:
            return (
                "A change this size would be unusual by chance alone (fewer than 1 "
                "time in 20 if nothing had changed)."
            )
        return (
            "A change this size could easily happen by chance alone, even if "
            "nothing had changed."
        )


def periods_for(
    started_on: dt.date,
    *,
    months: int,
    data_first: dt.date | None,
    data_last: dt.date | None,
) -> tuple[tuple[dt.date, dt.date], tuple[dt.date, dt.date], int, str] | str:
    """The before and after periods (first and last months) and their length, or
    the reason there are none."""
    if data_first is None or data_last is None:
        return "The analytic snapshot holds no police.uk street-level data."
    start_month = month_start(started_on)
    after_first = start_month if started_on.day == 1 else add_months(start_month, 1)
    before_last = add_months(start_month, -1)
    held_before = (
        len(months_from(data_first, before_last)) if (data_first <= before_last) else 0
    )
    held_after = (
        len(months_from(after_first, data_last)) if (after_first <= data_last) else 0
    )
    if held_after == 0:
        return (
            "There is no police.uk data yet for any whole month after the "
            f"intervention began (the snapshot ends with {data_last:%B %Y})."
        )
    if held_before == 0:
        return (
            "There is no police.uk data for the months before the intervention "
            f"began (the snapshot starts with {data_first:%B %Y})."
        )
    length = min(months, held_before, held_after)
    note = ""
    if length < months:
        note = (
            f"The snapshot holds only {length} whole month"
            f"{'s' if length != 1 else ''} on one side of the start, so both "
            f"periods are {length} month{'s' if length != 1 else ''} long instead "
            f"of {months}, to stay equal."
        )
    before = (add_months(before_last, -(length - 1)), before_last)
    after = (after_first, add_months(after_first, length - 1))
    return before, after, length, note


def _p_value(before: int, after: int) -> float | None:
    """Two-sided exact test that both periods share one rate (equal lengths: the
    after count is binomial with p = 1/2 given the total)."""
    total = before + after
    if total == 0:
        return None
    from scipy.stats import binomtest

    return float(binomtest(after, total, 0.5).pvalue)


def compare(
    counts: Mapping[dt.date, int],
    *,
    started_on: dt.date,
    months: int,
    data_first: dt.date | None,
    data_last: dt.date | None,
) -> Comparison:
    """Compare monthly `counts` before and after `started_on` (pure: no I/O)."""
    found = periods_for(
        started_on, months=months, data_first=data_first, data_last=data_last
    )
    if isinstance(found, str):
        return Comparison(requested_months=months, unavailable=found)
    (b_first, b_last), (a_first, a_last), length, note = found
    before_months = months_from(b_first, b_last)
    after_months = months_from(a_first, a_last)
    before = Period(
        b_first, b_last, length, sum(counts.get(m, 0) for m in before_months)
    )
    after = Period(a_first, a_last, length, sum(counts.get(m, 0) for m in after_months))
    series = tuple(
        [(m, counts.get(m, 0), "Before") for m in before_months]
        + [(m, counts.get(m, 0), "After") for m in after_months]
    )
    notes = [note] if note else []
    if started_on.day != 1:
        notes.append(
            f"{month_start(started_on):%B %Y} is left out: the intervention began "
            "part-way through it."
        )
    if min(before.count, after.count) < SMALL_NUMBERS:
        notes.append(
            f"With fewer than {SMALL_NUMBERS} incidents in a period, a change of a "
            "few incidents may be chance."
        )
    return Comparison(
        requested_months=months,
        before=before,
        after=after,
        series=series,
        notes=tuple(notes),
        p_value=_p_value(before.count, after.count),
    )


def evaluate(
    folder: Path,
    *,
    latitude: float,
    longitude: float,
    radius_m: float,
    started_on: dt.date,
    months: int = DEFAULT_MONTHS,
    crimes: CrimeSet = CrimeSet.ALL,
) -> Comparison:
    """Count around the point in the snapshot at `folder` and compare."""
    data_first, data_last = data_months(folder)
    found = periods_for(
        started_on, months=months, data_first=data_first, data_last=data_last
    )
    if isinstance(found, str):
        return Comparison(requested_months=months, unavailable=found)
    (first, _), (_, last), _length, _note = found
    counts = monthly_counts(
        folder,
        latitude=latitude,
        longitude=longitude,
        radius_m=radius_m,
        first=first,
        last=last,
        crime_types=crimes.crime_types,
    )
    return compare(
        counts,
        started_on=started_on,
        months=months,
        data_first=data_first,
        data_last=data_last,
    )
