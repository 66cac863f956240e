"""The before/after comparison on a snapshot whose counts are known by construction.

The fixture: street-level records from July 2021 to December 2022 around a park at
(54.5700, -1.2300). Within 200 m: 3 violent crimes a month before April 2022 and 1 a
month from April (plus one record at 199.9 m in May 2022); just outside, at
200.1 m, 5 records every month that must never count. A second place far away has
no records at all.
"""

from __future__ import annotations

import datetime as dt
import math

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from svduty.analysis.snapshot import write_tables
from svduty.places.evaluation import (
    EARTH_RADIUS_M,
    CrimeSet,
    SnapshotWithoutPoints,
    add_months,
    compare,
    distance_m,
    evaluate,
    monthly_counts,
    periods_for,
)

PARK = (54.5700, -1.2300)
EMPTY = (54.6900, -1.2100)  # Hartlepool: no records near it
VSO = "Violence and sexual offences"
ASB = "Anti-social behaviour"
FIRST, LAST = dt.date(2021, 7, 1), dt.date(2022, 12, 1)
START = dt.date(2022, 4, 1)


def north_of(point: tuple[float, float], metres: float) -> tuple[float, float]:
    """A point due north at `metres` (along a meridian the haversine is exact)."""
    return point[0] + math.degrees(metres / EARTH_RADIUS_M), point[1]


def _rows():
    month = FIRST
    while month <= LAST:
        inside = 3 if month < START else 1
        for i in range(inside):
            yield month, north_of(PARK, 20 + 10 * i), VSO
        for _ in range(5):
            yield month, north_of(PARK, 200.1), VSO
        month = add_months(month, 1)
    yield dt.date(2022, 5, 1), north_of(PARK, 199.9), ASB


@pytest.fixture
def folder(tmp_path):
    rows = list(_rows())
    table = pa.table(
        {
            "record_key": [f"k{i}" for i in range(len(rows))],
            "month": pa.array([r[0] for r in rows], pa.date32()),
            "falls_within": ["Cleveland Police"] * len(rows),
            "lsoa_code": ["E01000001"] * len(rows),
            "crime_type": [r[2] for r in rows],
            "last_outcome": [None] * len(rows),
            "latitude": [r[1][0] for r in rows],
            "longitude": [r[1][1] for r in rows],
        }
    )
    write_tables(tmp_path, {"police_street": table})
    return tmp_path


def test_boundary_points_are_where_the_fixture_says():
    assert distance_m(*PARK, *north_of(PARK, 199.9)) == pytest.approx(199.9, abs=1e-6)
    assert distance_m(*PARK, *north_of(PARK, 200.1)) == pytest.approx(200.1, abs=1e-6)


def test_counts_within_the_radius_only(folder):
    counts = monthly_counts(
        folder,
        latitude=PARK[0],
        longitude=PARK[1],
        radius_m=200,
        first=dt.date(2022, 3, 1),
        last=dt.date(2022, 6, 1),
    )
    assert counts == {
        dt.date(2022, 3, 1): 3,
        dt.date(2022, 4, 1): 1,
        dt.date(2022, 5, 1): 2,  # the record at 199.9 m counts
        dt.date(2022, 6, 1): 1,
    }
    wider = monthly_counts(
        folder,
        latitude=PARK[0],
        longitude=PARK[1],
        radius_m=201,
        first=dt.date(2022, 3, 1),
        last=dt.date(2022, 3, 1),
    )
    assert wider == {dt.date(2022, 3, 1): 8}  # now the five at 200.1 m count


def test_before_and_after_with_known_counts(folder):
    result = evaluate(
        folder,
        latitude=PARK[0],
        longitude=PARK[1],
        radius_m=200,
        started_on=START,
        months=6,
    )
    assert result.possible
    assert (result.before.first, result.before.last) == (
        dt.date(2021, 10, 1),
        dt.date(2022, 3, 1),
    )
    assert (result.after.first, result.after.last) == (
        dt.date(2022, 4, 1),
        dt.date(2022, 9, 1),
    )
    assert (result.before.count, result.after.count) == (18, 7)
    assert result.before.rate == 3.0
    assert result.after.rate == pytest.approx(7 / 6)
    assert result.change == -11
    assert result.percent_change == pytest.approx(-61.11, abs=0.01)
    assert result.direction == "fell"
    assert len(result.series) == 12
    assert result.p_value < 0.05
    assert "unusual by chance" in result.chance_words


def test_crime_types_filter(folder):
    result = evaluate(
        folder,
        latitude=PARK[0],
        longitude=PARK[1],
        radius_m=200,
        started_on=START,
        months=6,
        crimes=CrimeSet.VIOLENCE,
    )
    assert (result.before.count, result.after.count) == (18, 6)


def test_place_with_no_incidents(folder):
    result = evaluate(
        folder,
        latitude=EMPTY[0],
        longitude=EMPTY[1],
        radius_m=1000,
        started_on=START,
        months=6,
    )
    assert result.possible
    assert (result.before.count, result.after.count) == (0, 0)
    assert result.change == 0
    assert result.percent_change is None
    assert result.direction == "did not change"
    assert result.p_value is None
    assert result.chance_words == ""


def test_periods_shrink_to_stay_equal_and_skip_a_part_month():
    found = periods_for(
        dt.date(2022, 10, 15), months=6, data_first=FIRST, data_last=LAST
    )
    before, after, length, note = found
    # October is left out; after = November and December only, so both are 2 long.
    assert length == 2
    assert before == (dt.date(2022, 8, 1), dt.date(2022, 9, 1))
    assert after == (dt.date(2022, 11, 1), dt.date(2022, 12, 1))
    assert "2 months" in note


def test_no_comparison_without_data_after_or_before():
    late = periods_for(dt.date(2023, 1, 2), months=6, data_first=FIRST, data_last=LAST)
    assert isinstance(late, str) and "no police.uk data yet" in late
    early = periods_for(dt.date(2021, 7, 1), months=6, data_first=FIRST, data_last=LAST)
    assert isinstance(early, str) and "before the intervention" in early
    nothing = periods_for(START, months=6, data_first=None, data_last=None)
    assert isinstance(nothing, str)


def test_part_month_note_and_small_numbers():
    counts = {dt.date(2022, 1, 1): 2, dt.date(2022, 3, 1): 1}
    result = compare(
        counts,
        started_on=dt.date(2022, 2, 10),
        months=1,
        data_first=dt.date(2022, 1, 1),
        data_last=dt.date(2022, 3, 1),
    )
    assert (result.before.count, result.after.count) == (2, 1)
    assert any("February 2022 is left out" in note for note in result.notes)
    assert any("may be chance" in note for note in result.notes)
    assert "could easily happen by chance" in result.chance_words


def test_a_snapshot_without_points_says_to_rebuild(tmp_path):
    table = pa.table(
        {
            "month": pa.array([dt.date(2022, 1, 1)], pa.date32()),
            "crime_type": [VSO],
        }
    )
    pq.write_table(table, tmp_path / "police_street.parquet")
    with pytest.raises(SnapshotWithoutPoints):
        monthly_counts(
            tmp_path,
            latitude=PARK[0],
            longitude=PARK[1],
            radius_m=200,
            first=dt.date(2022, 1, 1),
            last=dt.date(2022, 1, 1),
        )
