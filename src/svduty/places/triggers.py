"""Agenda triggers for multi-agency meetings: places whose incidents are rising.

The meetings app registers `rising_places` with its agenda builder; places never
imports meetings (layers: meetings and places sit side by side).

What "rising" means, in plain words (the defaults; a meeting may pass its own
`RisingRule`):

- compare the latest 3 whole months of data with the 3 months before them;
- a place is rising when the latest 3 months have at least 5 more incidents than the
  3 before, and at least a quarter more (25%);
- for a place with a point, incidents are police.uk street-level records within the
  place's radius, from the partnership's analytic snapshot, and "the latest months"
  are the last months the snapshot holds before the meeting's month (police.uk is
  published a month or two behind);
- for a place without a point (an online platform), or when there is no snapshot,
  incidents are the incidents recorded on the place itself, and the latest months
  are the whole months before the meeting's month.

The minimum increase keeps small numbers (2 becoming 4) off the agenda: they change
that much by chance.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
from django.db.models import Count, Q

from svduty.analysis.snapshot import current_snapshot
from svduty.partnership.models import Partnership

from .evaluation import (
    EARTH_RADIUS_M,
    add_months,
    data_months,
    distance_sql,
    has_points,
    month_start,
)
from .models import Place, PlaceStatus, ReportKind


@dataclass(frozen=True)
class RisingRule:
    months: int = 3
    min_increase: int = 5
    min_ratio: float = 1.25

    def is_rising(self, recent: int, previous: int) -> bool:
        return (
            recent - previous >= self.min_increase
            and recent >= previous * self.min_ratio
        )


@dataclass(frozen=True)
class RisingPlace:
    place: Place
    recent: int
    previous: int
    recent_months: tuple[dt.date, dt.date]
    previous_months: tuple[dt.date, dt.date]
    source: str  # "police.uk" or "recorded"

    @property
    def summary(self) -> str:
        """One line for the agenda."""
        what = (
            f"police.uk incidents within {self.place.radius_m} metres"
            if self.source == "police.uk"
            else "incidents recorded"
        )
        return (
            f"{self.recent} {what} in {_span(self.recent_months)}, up from "
            f"{self.previous} in {_span(self.previous_months)}"
        )


def _span(months: tuple[dt.date, dt.date]) -> str:
    first, last = months
    return f"{first:%B %Y} to {last:%B %Y}" if first != last else f"{first:%B %Y}"


def _windows(last: dt.date, months: int) -> tuple[tuple[dt.date, dt.date], ...]:
    recent = (add_months(last, -(months - 1)), last)
    previous = (add_months(last, -(2 * months - 1)), add_months(last, -months))
    return recent, previous


def _street_counts(
    folder: Path, places: list[Place], recent, previous
) -> dict[int, tuple[int, int]]:
    """Recent and previous counts for every place in one DuckDB query."""
    points = pa.table(
        {
            "id": [p.pk for p in places],
            "lat": [p.latitude for p in places],
            "lon": [p.longitude for p in places],
            "r": [float(p.radius_m) for p in places],
        }
    )
    distance = distance_sql("p.lat", "p.lon", table="s.")
    # A box around each circle first (cheap), then the exact distance.
    degrees_per_metre = math.degrees(1 / EARTH_RADIUS_M) * 1.01
    # Only constants are interpolated (distance_sql's text and a float); values are ?.
    sql = f"""
        SELECT p.id,
               count(*) FILTER (WHERE s.month >= ?) AS recent,
               count(*) FILTER (WHERE s.month <= ?) AS previous
        FROM read_parquet(?) s
        JOIN places p
          ON s.latitude BETWEEN p.lat - p.r * {degrees_per_metre}
                            AND p.lat + p.r * {degrees_per_metre}
         AND s.longitude BETWEEN p.lon - p.r * {degrees_per_metre} / cos(radians(p.lat))
                             AND p.lon + p.r * {degrees_per_metre} / cos(radians(p.lat))
        WHERE s.month BETWEEN ? AND ?
          AND {distance} <= p.r
        GROUP BY p.id
    """  # noqa: S608
    con = duckdb.connect()
    try:
        con.register("places", points)
        rows = con.execute(
            sql,
            [
                recent[0],
                previous[1],
                str(Path(folder) / "police_street.parquet"),
                previous[0],
                recent[1],
            ],
        ).fetchall()
    finally:
        con.close()
    return {pk: (int(r), int(p)) for pk, r, p in rows}


def rising_places(
    partnership: Partnership,
    *,
    as_of: dt.date,
    rule: RisingRule | None = None,
) -> list[RisingPlace]:
    """Places of concern in `partnership` whose incidents rose (see the module's
    docstring for the rule), biggest rise first."""
    rule = rule or RisingRule()
    places = list(
        Place.objects.filter(partnership=partnership, status=PlaceStatus.OF_CONCERN)
    )
    found: list[RisingPlace] = []
    by_street: list[Place] = []
    snapshot = current_snapshot(partnership)
    data_last = None
    if snapshot is not None and has_points(snapshot.path):
        data_last = data_months(snapshot.path)[1]
    if data_last is not None:
        by_street = [p for p in places if p.has_point]
    if by_street and snapshot is not None and data_last is not None:
        last = min(data_last, add_months(month_start(as_of), -1))
        recent, previous = _windows(last, rule.months)
        counts = _street_counts(snapshot.path, by_street, recent, previous)
        for place in by_street:
            r, p = counts.get(place.pk, (0, 0))
            if rule.is_rising(r, p):
                found.append(RisingPlace(place, r, p, recent, previous, "police.uk"))
    counted = {p.pk for p in by_street}
    others = [p for p in places if p.pk not in counted]
    if others:
        last = add_months(month_start(as_of), -1)
        recent, previous = _windows(last, rule.months)
        recent_end = add_months(recent[1], 1) - dt.timedelta(days=1)
        incidents = Q(reports__kind=ReportKind.INCIDENT)
        rows = (
            Place.objects.filter(pk__in=[p.pk for p in others])
            .annotate(
                recent=Count(
                    "reports",
                    filter=incidents
                    & Q(reports__occurred_on__range=(recent[0], recent_end)),
                ),
                previous=Count(
                    "reports",
                    filter=incidents
                    & Q(reports__occurred_on__gte=previous[0])
                    & Q(reports__occurred_on__lt=recent[0]),
                ),
            )
            .values_list("pk", "recent", "previous")
        )
        by_pk = {p.pk: p for p in others}
        for pk, r, p in rows:
            if rule.is_rising(r, p):
                found.append(RisingPlace(by_pk[pk], r, p, recent, previous, "recorded"))
    found.sort(key=lambda item: (-(item.recent - item.previous), item.place.name))
    return found
