"""Street-level crime rolled up by police force across many snapshots (issue 15).

A partnership's snapshot holds the data.police.uk files it imported: whole force
files, one per force and month. A regional or national view (every force in England
and Wales) reads the `police_street` Parquet files of many snapshots at once with
DuckDB, without going through PostgreSQL. Several partnerships of one force import
the same force files, so each (force, month) is counted from one file only: the
first, in path order, that holds it. The result says how many months each force
has, so a missing month shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from svduty.analysis.sna import DEFAULT_SV_TYPES


@dataclass(frozen=True)
class ForceRollup:
    force: str | None
    records: int
    serious_violence: int
    months: int
    by_crime_type: dict[str, int] = field(default_factory=dict)


def street_files(sources: Sequence[Path | str]) -> list[str]:
    """The `police_street.parquet` of each snapshot folder; files as given."""
    files = []
    for source in sources:
        path = Path(source)
        files.append(str(path / "police_street.parquet" if path.is_dir() else path))
    return sorted(set(files))


def rollup_by_force(
    sources: Sequence[Path | str],
    period_from: dt.date,
    period_to: dt.date,
    *,
    sv_types: Sequence[str] = DEFAULT_SV_TYPES,
    threads: int = 2,
) -> list[ForceRollup]:
    """Records by force and crime type for the months `period_from`..`period_to`
    (first days of months, both included), largest force first."""
    files = street_files(sources)
    if not files:
        return []
    con = duckdb.connect(config={"threads": threads})
    try:
        rows = con.execute(
            """
            WITH counts AS (
                SELECT falls_within, month, crime_type, filename, count(*) AS n
                FROM read_parquet($files, filename = true)
                WHERE month BETWEEN $start AND $end
                GROUP BY ALL
            ),
            chosen AS (
                SELECT falls_within, month, min(filename) AS filename
                FROM counts GROUP BY ALL
            )
            SELECT s.falls_within, s.month, s.crime_type, s.n
            FROM counts s
            JOIN chosen c
              ON s.falls_within IS NOT DISTINCT FROM c.falls_within
             AND s.month = c.month AND s.filename = c.filename
            """,
            {"files": files, "start": period_from, "end": period_to},
        ).fetchall()
    finally:
        con.close()
    serious = set(sv_types)
    by_force: dict[str | None, dict[str, int]] = {}
    months: dict[str | None, set[dt.date]] = {}
    for force, month, crime_type, n in rows:
        types = by_force.setdefault(force, {})
        types[crime_type] = types.get(crime_type, 0) + n
        months.setdefault(force, set()).add(month)
    result = [
        ForceRollup(
            force=force,
            records=sum(types.values()),
            serious_violence=sum(n for t, n in types.items() if t in serious),
            months=len(months[force]),
            by_crime_type=dict(sorted(types.items(), key=lambda item: -item[1])),
        )
        for force, types in by_force.items()
    ]
    return sorted(result, key=lambda r: (-r.records, r.force or ""))
