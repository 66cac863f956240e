"""National scale (issue 15): every police force in England and Wales for 36 months.

Run: ``.venv/bin/python benchmarks/bench_national.py [--scale 1.0]``
(``--scale 0.1`` for a quick run: a tenth of the rows, the same forces and LSOAs).

1. Snapshot build: for each of the 43 territorial forces of England and Wales, one
   snapshot folder's ``police_street.parquet`` with 36 months of synthetic
   street-level rows shaped like the data.police.uk files as a snapshot holds them
   (force name as published in "Falls within", month, LSOA code, the 14 crime
   types in the real Cleveland proportions, last outcome, map points jittered
   around each LSOA's point, 1% of rows with no location, 0.5% in a neighbouring
   force's LSOAs, LSOAs skewed as real crime is). Rows are shared between forces
   by resident population, about 20 million in all (``--scale`` 1.0); about
   35,000 synthetic LSOA codes (E01…, W01… for the Welsh forces), also by
   population. One more folder holds a copy of one force's file, as a second
   partnership of that force would, so the roll-up's counting of each force-month
   once is exercised. Crime IDs are left empty (nothing below reads them). Prints
   the time, rows, size on disk and peak memory (RSS) of the process.
2. One partnership's SNA: the real Cleveland reference (352 LSOAs with their
   boundaries, lookup, population, IMD) with as many incidents as the largest
   force has (the Metropolitan Police's share, about 3 million at scale 1.0) over
   the 36 months: ``compute_sna`` cold (counting the records into
   ``street_agg``) and warm (median of 5 other periods). Target: ≤ 2 s warm.
3. National roll-up: ``svduty.analysis.national.rollup_by_force`` over all the
   snapshot folders (DuckDB, 2 threads), for 36 and 12 months: first run and the
   median of 3 more. Target: ≤ 5 s.

Every figure is printed with the load average and a fixed CPU-bound reference
task timed in the same run (``benchmarks/machine.py``). The folders are written
under the system's temporary folder and removed at the end (``--keep`` keeps them).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "svduty.config.test_settings")

from bench_sna import CRIME_TYPES  # noqa: E402 - the real Cleveland proportions
from machine import machine  # noqa: E402

#: The 43 territorial forces as data.police.uk names them in "Falls within", with
#: their resident population in millions (rounded; used only to share out the rows
#: and the LSOAs).
FORCES = {
    "Avon and Somerset Constabulary": 1.75,
    "Bedfordshire Police": 0.70,
    "Cambridgeshire Constabulary": 0.89,
    "Cheshire Constabulary": 1.08,
    "City of London Police": 0.01,
    "Cleveland Police": 0.57,
    "Cumbria Constabulary": 0.50,
    "Derbyshire Constabulary": 1.06,
    "Devon & Cornwall Police": 1.80,
    "Dorset Police": 0.78,
    "Durham Constabulary": 0.64,
    "Dyfed-Powys Police": 0.52,
    "Essex Police": 1.86,
    "Gloucestershire Constabulary": 0.65,
    "Greater Manchester Police": 2.87,
    "Gwent Police": 0.60,
    "Hampshire Constabulary": 2.00,
    "Hertfordshire Constabulary": 1.20,
    "Humberside Police": 0.93,
    "Kent Police": 1.87,
    "Lancashire Constabulary": 1.53,
    "Leicestershire Police": 1.12,
    "Lincolnshire Police": 0.77,
    "Merseyside Police": 1.43,
    "Metropolitan Police Service": 8.80,
    "Norfolk Constabulary": 0.92,
    "North Wales Police": 0.70,
    "North Yorkshire Police": 0.83,
    "Northamptonshire Police": 0.79,
    "Northumbria Police": 1.48,
    "Nottinghamshire Police": 1.17,
    "South Wales Police": 1.35,
    "South Yorkshire Police": 1.41,
    "Staffordshire Police": 1.14,
    "Suffolk Constabulary": 0.76,
    "Surrey Police": 1.21,
    "Sussex Police": 1.70,
    "Thames Valley Police": 2.44,
    "Warwickshire Police": 0.60,
    "West Mercia Police": 1.31,
    "West Midlands Police": 2.92,
    "West Yorkshire Police": 2.35,
    "Wiltshire Police": 0.73,
}
WELSH = {
    "Dyfed-Powys Police",
    "Gwent Police",
    "North Wales Police",
    "South Wales Police",
}
ROWS = 20_000_000
LSOAS = 35_000
MONTHS = [dt.date(2022 + m // 12, m % 12 + 1, 1) for m in range(36)]
OUTCOMES = [
    "Investigation complete; no suspect identified",
    "Unable to prosecute suspect",
    "Status update unavailable",
    "Under investigation",
    "Awaiting court outcome",
    "Local resolution",
    "Offender given a caution",
]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def street_rows(
    rng: np.random.Generator,
    per_month: int,
    force: str,
    codes: list[str],
    elsewhere: str,
) -> pa.Table:
    """`per_month` rows for each of the 36 months of one force, as a snapshot's
    police_street table."""
    n = per_month * len(MONTHS)
    month_index = np.repeat(np.arange(len(MONTHS), dtype=np.int32), per_month)
    types = list(CRIME_TYPES)
    weights = np.array(list(CRIME_TYPES.values()), dtype=float)
    type_index = rng.choice(len(types), n, p=weights / weights.sum()).astype(np.int32)
    skew = 1 / np.arange(1, len(codes) + 1) ** 0.8
    lsoa_index = rng.choice(len(codes), n, p=skew / skew.sum()).astype(np.int32)
    roll = rng.random(n)
    # One point per LSOA (around the middle of England and Wales), jittered.
    lon0 = rng.uniform(-4.5, 0.5, len(codes))
    lat0 = rng.uniform(50.5, 54.5, len(codes))
    longitude = lon0[lsoa_index] + rng.uniform(-0.005, 0.005, n)
    latitude = lat0[lsoa_index] + rng.uniform(-0.005, 0.005, n)
    no_place = roll < 0.01
    dictionary = pa.array([*codes, elsewhere])
    lsoa_index[(roll >= 0.01) & (roll < 0.015)] = len(codes)
    lsoa = pa.DictionaryArray.from_arrays(
        pa.array(lsoa_index, mask=no_place), dictionary
    ).cast(pa.string())
    asb = type_index == types.index("Anti-social behaviour")
    outcome_index = rng.integers(0, len(OUTCOMES), n).astype(np.int32)
    return pa.table(
        {
            "record_key": pa.nulls(n, pa.string()),
            "month": pa.DictionaryArray.from_arrays(
                pa.array(month_index), pa.array(MONTHS, pa.date32())
            ).cast(pa.date32()),
            "falls_within": pa.DictionaryArray.from_arrays(
                pa.array(np.zeros(n, dtype=np.int32)), pa.array([force])
            ).cast(pa.string()),
            "lsoa_code": lsoa,
            "crime_type": pa.DictionaryArray.from_arrays(
                pa.array(type_index), pa.array(types)
            ).cast(pa.string()),
            "last_outcome": pa.DictionaryArray.from_arrays(
                pa.array(outcome_index, mask=asb), pa.array(OUTCOMES)
            ).cast(pa.string()),
            "longitude": pa.array(longitude, mask=no_place),
            "latitude": pa.array(latitude, mask=no_place),
        }
    )


def shares(total: int, weights: dict[str, float]) -> dict[str, int]:
    whole = sum(weights.values())
    return {name: max(1, round(total * w / whole)) for name, w in weights.items()}


def build_national(base: Path, scale: float) -> tuple[list[Path], dict]:
    """One snapshot folder per force (and a second one for Cleveland)."""
    from svduty.analysis.snapshot import conform

    rng = np.random.default_rng(15)
    rows = shares(round(ROWS * scale), FORCES)
    lsoas = shares(LSOAS, FORCES)
    folders = []
    next_code = {"E": 1, "W": 1}
    previous = "E01000001"
    total_rows = 0
    started = time.perf_counter()
    for index, force in enumerate(FORCES):
        country = "W" if force in WELSH else "E"
        first = next_code[country]
        codes = [f"{country}01{first + i:06d}" for i in range(lsoas[force])]
        next_code[country] += lsoas[force]
        per_month = max(1, rows[force] // len(MONTHS))
        table = conform(
            "police_street", street_rows(rng, per_month, force, codes, previous)
        )
        previous = codes[0]
        folder = base / f"force-{index:02d}"
        folder.mkdir(parents=True)
        pq.write_table(table, folder / "police_street.parquet")
        total_rows += table.num_rows
        folders.append(folder)
        del table
    # A second partnership of Cleveland holds the same files.
    cleveland = folders[list(FORCES).index("Cleveland Police")]
    twin = base / "force-cleveland-second-partnership"
    twin.mkdir()
    os.link(cleveland / "police_street.parquet", twin / "police_street.parquet")
    folders.append(twin)
    size = sum((f / "police_street.parquet").stat().st_size for f in folders[:-1])
    return folders, {
        "seconds": time.perf_counter() - started,
        "rows": total_rows,
        "lsoas": sum(lsoas.values()),
        "mb": size / 1e6,
        "largest": max(rows.values()),
    }


def partnership_sna(base: Path, incidents: int, reference: dict) -> dict:
    from svduty.analysis import sna
    from svduty.analysis.sna import SnaOptions, compute_sna, parse_month
    from svduty.analysis.snapshot import conform, finish_folder, write_tables

    folder = base / "partnership"
    codes = reference["lsoa"].column("lsoa_code").to_pylist()
    rng = np.random.default_rng(5)
    started = time.perf_counter()
    table = street_rows(
        rng, incidents // len(MONTHS), "Cleveland Police", codes, "E01027700"
    )
    write_tables(
        folder, {**reference, "police_street": conform("police_street", table)}
    )
    finish_folder(folder, source_batches=[])
    built = time.perf_counter() - started
    rows = table.num_rows
    del table

    def options(start: str, end: str) -> SnaOptions:
        return SnaOptions(
            period_from=parse_month(start),
            period_to=parse_month(end),
            partnership={"slug": "bench", "name": "Bench"},
        )

    sna._DATABASES.clear()
    started = time.perf_counter()
    compute_sna(folder, options("2024-01", "2024-12"))
    cold = time.perf_counter() - started
    periods = [
        ("2022-01", "2024-12"),
        ("2023-01", "2023-12"),
        ("2022-01", "2022-12"),
        ("2024-07", "2024-12"),
        ("2023-04", "2024-03"),
    ]
    times = []
    for period in periods:
        started = time.perf_counter()
        compute_sna(folder, options(*period))
        times.append(time.perf_counter() - started)
    return {
        "rows": rows,
        "built": built,
        "cold": cold,
        "warm": statistics.median(times),
        "max": max(times),
    }


def national_rollup(folders: list[Path], start: dt.date, end: dt.date) -> dict:
    from svduty.analysis.national import rollup_by_force

    started = time.perf_counter()
    result = rollup_by_force(folders, start, end)
    first = time.perf_counter() - started
    times = []
    for _ in range(3):
        started = time.perf_counter()
        rollup_by_force(folders, start, end)
        times.append(time.perf_counter() - started)
    return {
        "first": first,
        "median": statistics.median(times),
        "forces": len(result),
        "records": sum(r.records for r in result),
        "top": result[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    import django

    django.setup()
    from tests.factories.analysis import real_cleveland_reference

    print(f"At start {machine()}")
    started = time.perf_counter()
    base = Path(tempfile.mkdtemp(prefix="svduty-bench-national-"))
    try:
        folders, built = build_national(base, args.scale)
        print(
            f"Snapshot build: {len(FORCES)} forces x {len(MONTHS)} months, "
            f"{built['rows']:,} street-level rows, {built['lsoas']:,} LSOAs, "
            f"{built['mb']:,.0f} MB of Parquet in {built['seconds']:.1f} s "
            f"= {built['rows'] / built['seconds']:,.0f} rows/s; peak RSS "
            f"{peak_rss_mb():,.0f} MB {machine()}"
        )
        sna_figures = partnership_sna(
            base, built["largest"], real_cleveland_reference()
        )
        verdict = "OK" if sna_figures["warm"] <= 2 else "OVER TARGET"
        print(
            f"One partnership's SNA (352 Cleveland LSOAs, {sna_figures['rows']:,} "
            f"incidents = the largest force's, 36 months; folder written in "
            f"{sna_figures['built']:.1f} s): cold {sna_figures['cold']:.2f} s, warm "
            f"median {sna_figures['warm']:.2f} s, max {sna_figures['max']:.2f} s "
            f"(target <= 2 s warm: {verdict}); peak RSS {peak_rss_mb():,.0f} MB "
            f"{machine()}"
        )
        for label, start in (("36 months", MONTHS[0]), ("12 months", MONTHS[-12])):
            rollup = national_rollup(folders, start, MONTHS[-1])
            verdict = (
                "OK" if max(rollup["first"], rollup["median"]) <= 5 else ("OVER TARGET")
            )
            top = rollup["top"]
            print(
                f"National roll-up by force, {label} ({len(folders)} snapshot "
                f"folders, one a second copy of a force's files): first "
                f"{rollup['first']:.2f} s, then median {rollup['median']:.2f} s "
                f"(target <= 5 s: {verdict}); {rollup['forces']} forces, "
                f"{rollup['records']:,} records, largest {top.force} "
                f"{top.records:,} ({top.serious_violence:,} serious violence, "
                f"{top.months} months); peak RSS {peak_rss_mb():,.0f} MB {machine()}"
            )
    finally:
        if args.keep:
            print(f"Kept {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)
    print(f"Whole run {time.perf_counter() - started:.0f} s. At end {machine()}")


if __name__ == "__main__":
    main()
