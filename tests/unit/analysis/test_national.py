"""The national roll-up by force reads many snapshots' street files and counts each
force-month once, from the first file that holds it."""

from __future__ import annotations

import datetime as dt
import random

import pyarrow as pa
import pyarrow.parquet as pq

from svduty.analysis.national import rollup_by_force
from svduty.analysis.snapshot import conform, finish_folder

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


def _finished(folder, rows):
    """A whole snapshot folder (finish_folder writes its street_by_force summary)."""
    write(folder, rows)
    finish_folder(folder, source_batches=[])
    assert (folder / "street_by_force.parquet").exists()
    return folder


def _direct(folders, start, end):
    """Count every record in Python: each force-month from the first folder (by
    path) that has it."""
    chosen = {}
    records = []
    for folder in sorted(folders, key=lambda f: str(f / "police_street.parquet")):
        table = pq.read_table(folder / "police_street.parquet").to_pylist()
        months = {(r["falls_within"], r["month"]) for r in table}
        for key in months:
            chosen.setdefault(key, folder)
        records += [(r, folder) for r in table]
    totals: dict[str, dict[str, int]] = {}
    for r, folder in records:
        key = (r["falls_within"], r["month"])
        if chosen[key] == folder and start <= r["month"] <= end:
            force = totals.setdefault(r["falls_within"], {})
            force[r["crime_type"]] = force.get(r["crime_type"], 0) + 1
    return totals


def test_summaries_give_exactly_the_counts_of_every_record(tmp_path):
    rng = random.Random(15)
    forces = ["Cleveland Police", "Durham Constabulary", "Northumbria Police"]
    types = [VIOLENCE, ASB, "Robbery", "Drugs"]
    months = [dt.date(2023 + m // 12, m % 12 + 1, 1) for m in range(14)]
    folders = []
    for name in "abcd":
        rows = [
            (
                rng.choice(months),
                rng.choice(forces[:2] if name == "b" else forces),
                rng.choice(types),
            )
            for _ in range(rng.randint(200, 600))
        ]
        folders.append(_finished(tmp_path / name, rows))
    # A folder finished before the summaries existed is counted from its records.
    (folders[3] / "street_by_force.parquet").unlink()
    start, end = months[2], months[11]
    rollup = rollup_by_force(folders, start, end)
    expected = _direct(folders, start, end)
    assert {r.force: r.by_crime_type for r in rollup} == expected
    assert [r.records for r in rollup] == sorted(
        (sum(t.values()) for t in expected.values()), reverse=True
    )
    for folder in folders[:3]:
        (folder / "street_by_force.parquet").unlink()
    assert rollup_by_force(folders, start, end) == rollup
