"""Street-level crime rolled up by police force across many snapshots (issue 15).

A partnership's snapshot holds the data.police.uk files it imported: whole force
files, one per force and month. A regional or national view (every force in England
and Wales) reads the `police_street` Parquet files of many snapshots at once with
DuckDB, without going through PostgreSQL. Several partnerships of one force import
the same force files, so each (force, month) is counted from one file only: the
first, in path order, that holds it. The result says how many months each force
has, so a missing month shows.

Each snapshot folder holds `street_by_force.parquet`, the records counted by force,
month and crime type when the folder was finished (`analysis.snapshot`): the
roll-up reads those few thousand rows per snapshot instead of every record (36
months of every force: 20 million records). A folder without one (built before the
summaries existed) and a `police_street.parquet` named directly are counted from
their records, with the same result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from svduty.analysis.sna import DEFAULT_SV_TYPES
from svduty.analysis.snapshot import STREET_BY_FORCE


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


def _summary_of(street_file: str) -> str | None:
    """The folder's street_by_force summary beside a police_street file, if any."""
    path = Path(street_file)
    if path.name != "police_street.parquet":
        return None
    summary = path.with_name(f"{STREET_BY_FORCE}.parquet")
    return str(summary) if summary.exists() else None


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
    # Each source is known by its police_street path (the fourth column), whether
    # it is counted from its summary or its records, so "the first file that holds
    # a force-month" means the same either way.
    summaries = {f: s for f in files if (s := _summary_of(f)) is not None}
    counted = [f for f in files if f not in summaries]
    counts: list[tuple[str | None, dt.date, str, str, int]] = []
    con = duckdb.connect(config={"threads": threads})
    try:
        if summaries:
            street_of = {summary: street for street, summary in summaries.items()}
            counts += [
                (force, month, crime_type, street_of[summary], n)
                for force, month, crime_type, summary, n in con.execute(
                    "SELECT falls_within, month, crime_type, filename, n "
                    "FROM read_parquet($files, filename = true) "
                    "WHERE month BETWEEN $start AND $end",
                    {
                        "files": list(summaries.values()),
                        "start": period_from,
                        "end": period_to,
                    },
                ).fetchall()
            ]
        if counted:
            counts += con.execute(
                "SELECT falls_within, month, crime_type, filename, count(*) "
                "FROM read_parquet($files, filename = true) "
                "WHERE month BETWEEN $start AND $end GROUP BY ALL",
                {"files": counted, "start": period_from, "end": period_to},
            ).fetchall()
    finally:
        con.close()
    chosen: dict[tuple[str | None, dt.date], str] = {}
    for force, month, _, source, _ in counts:
        key = (force, month)
        if key not in chosen or source < chosen[key]:
            chosen[key] = source
    rows = [
        (force, month, crime_type, n)
        for force, month, crime_type, source, n in counts
        if chosen[(force, month)] == source
    ]
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
