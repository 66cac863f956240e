"""The national roll-up by force reads many snapshots' street files and counts each
force-month once, from the first file that holds it."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.parquet as pq

from svduty.analysis.national import rollup_by_force
from svduty.analysis.snapshot import conform

JAN, FEB, MAR = dt.date(2024, 1, 1), dt.date(2024, 2, 1), dt.date(2024, 3, 1)
VIOLENCE = "Violence and sexual offences"
ASB = "Anti-social behaviour"


def write(folder, rows):
    folder.mkdir()
    table = pa.table(
        {
            "month": pa.array([r[0] for r in rows], pa.date32()),
            "falls_within": [r[1] for r in rows],
            "crime_type": [r[2] for r in rows],
        }
    )
    pq.write_table(conform("police_street", table), folder / "police_street.parquet")
    return folder


def test_each_force_month_is_counted_once_across_snapshots(tmp_path):
    # Two partnerships of Cleveland imported the same January file; only one has
    # February. Durham is in a third snapshot.
    a = write(
        tmp_path / "a",
        [(JAN, "Cleveland Police", VIOLENCE)] * 3 + [(JAN, "Cleveland Police", ASB)],
    )
    b = write(
        tmp_path / "b",
        [(JAN, "Cleveland Police", VIOLENCE)] * 3
        + [(JAN, "Cleveland Police", ASB)]
        + [(FEB, "Cleveland Police", VIOLENCE)] * 2,
    )
    c = write(tmp_path / "c", [(FEB, "Durham Constabulary", ASB)] * 10)
    rollup = rollup_by_force([a, b, c], JAN, FEB)
    assert [(r.force, r.records, r.serious_violence, r.months) for r in rollup] == [
        ("Durham Constabulary", 10, 0, 1),
        ("Cleveland Police", 6, 5, 2),
    ]
    assert rollup[1].by_crime_type == {VIOLENCE: 5, ASB: 1}


def test_only_months_in_the_period_count(tmp_path):
    a = write(
        tmp_path / "a",
        [(JAN, "Cleveland Police", VIOLENCE), (MAR, "Cleveland Police", VIOLENCE)],
    )
    rollup = rollup_by_force([a / "police_street.parquet"], FEB, MAR)
    assert [(r.force, r.records, r.months) for r in rollup] == [
        ("Cleveland Police", 1, 1)
    ]


def test_no_snapshots_no_forces():
    assert rollup_by_force([], JAN, FEB) == []
