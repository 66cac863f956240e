"""National scale (issue 15): every police force in England and Wales for 36 months.

Run: ``.venv/bin/python benchmarks/bench_national.py [--scale 1.0]``
(``--scale 0.1`` for a quick run: a tenth of the rows, the same forces and LSOAs).

Everything goes through the platform's own paths, as a national installation's data
would: files are imported with ``run_import`` into PostgreSQL and each partnership's
snapshot is exported from PostgreSQL by ``rebuild_snapshot`` (``COPY (SELECT …) TO
STDOUT``, pseudonymised crime IDs, Parquet), the same code an import triggers.

1. Files: for each of the 43 territorial forces of England and Wales, one synthetic
   data.police.uk street-level CSV holding its 36 months (published files hold one
   month each; one file per force keeps the run to 44 imports), shaped like the
   real files: 64-character crime IDs (blank for anti-social behaviour), "Reported
   by" and "Falls within" as published, map points jittered around each LSOA's
   point, "On or near …" locations, LSOA codes and names, the 14 crime types in the
   real Cleveland proportions, last outcomes; 1% of rows with no location, 0.5% in a
   neighbouring force's LSOAs, LSOAs skewed as real crime is. Rows are shared
   between forces by resident population, about 20 million in all (``--scale``
   1.0); about 35,000 synthetic LSOA codes (E01…, W01… for the Welsh forces), also
   by population.
2. Import: a scratch database (``svduty_bench_national``: every migration the first
   time, then a copy of the migrated template ``svduty_bench_national_template``
   while the migration files are unchanged; the time and which are printed) with one
   partnership per force; each force's file imported by ``run_import`` for its
   partnership (the single-write fast path), plus a second partnership of Cleveland
   that imports the same file, so the roll-up's counting of each force-month once
   is exercised. Run in a child process: time, rows per second, peak memory (RSS).
3. Snapshot build: ``rebuild_snapshot`` for every partnership, in a child process:
   total time, rows per second, the largest force's time, peak memory (RSS) and the
   Parquet written. Then every row is reconciled batch by batch: rows imported,
   rows in PostgreSQL and rows each snapshot exported (``rebuild_snapshot`` itself
   refuses to publish a snapshot missing any; the partnership is then named).
4. One partnership's SNA: the real Cleveland reference (352 LSOAs with their
   boundaries, lookup, population, IMD) with as many incidents as the largest
   force has (the Metropolitan Police's share, about 3 million at scale 1.0) over
   the 36 months: ``compute_sna`` cold (counting the records into
   ``street_agg``) and warm (median of 5 other periods). Target: ≤ 2 s warm.
5. National roll-up: ``svduty.analysis.national.rollup_by_force`` over the snapshot
   folders that step 3 built (DuckDB, 2 threads), for 36 and 12 months: first run
   and the median of 3 more. Target: ≤ 5 s.

Every figure is printed with the load average and a fixed CPU-bound reference
task timed in the same run (``benchmarks/machine.py``). Files, snapshots and the
scratch database are removed at the end (``--keep`` keeps the files, the snapshots
and the database, to profile a stage again with ``--child``).
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


HEADER = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]
STREETS = [
    "On or near High Street",
    "On or near Station Road",
    "On or near Church Lane",
    "On or near Park Avenue",
    "On or near Supermarket",
    "On or near Parking Area",
    "On or near Sports/Recreation Area",
    "On or near Petrol Station",
    "On or near Nightclub",
    "On or near Shopping Area",
]
#: Months of a force's file generated at a time (bounds the generator's memory).
MONTHS_PER_CHUNK = 6


def _crime_ids(rng: np.random.Generator, n: int) -> pa.Array:
    """n random 64-character lower-case hex strings, as data.police.uk's IDs."""
    import binascii

    data = binascii.hexlify(rng.bytes(32 * n))
    offsets = np.arange(0, 64 * n + 1, 64, dtype=np.int32)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data))


def _coordinate(values: np.ndarray, missing: np.ndarray) -> pa.Array:
    import pyarrow.compute as pc

    text = pa.array(np.round(values, 6)).cast(pa.string())
    return pc.if_else(pa.array(missing), "", text)


def write_force_file(
    path: Path,
    rng: np.random.Generator,
    per_month: int,
    force: str,
    codes: list[str],
    elsewhere: str,
) -> int:
    """One force's 36 months as a data.police.uk street-level CSV; its rows."""
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    types = list(CRIME_TYPES)
    weights = np.array(list(CRIME_TYPES.values()), dtype=float)
    skew = 1 / np.arange(1, len(codes) + 1) ** 0.8
    lon0 = rng.uniform(-4.5, 0.5, len(codes))
    lat0 = rng.uniform(50.5, 54.5, len(codes))
    code_pool = pa.array([*codes, elsewhere, ""])
    name_pool = pa.array(
        [
            f"{force.split()[0]} {i // 4 + 1:03d}{'ABCD'[i % 4]}"
            for i in range(len(codes))
        ]
        + ["Neighbouring 001A", ""]
    )
    asb_type = types.index("Anti-social behaviour")
    schema = pa.schema([(name, pa.string()) for name in HEADER])
    rows = 0
    options = pacsv.WriteOptions(quoting_style="none")
    with pacsv.CSVWriter(path, schema, write_options=options) as writer:
        for first in range(0, len(MONTHS), MONTHS_PER_CHUNK):
            months = MONTHS[first : first + MONTHS_PER_CHUNK]
            n = per_month * len(months)
            month_index = np.repeat(np.arange(len(months), dtype=np.int32), per_month)
            type_index = rng.choice(len(types), n, p=weights / weights.sum())
            lsoa_index = rng.choice(len(codes), n, p=skew / skew.sum())
            roll = rng.random(n)
            no_place = roll < 0.01
            lsoa_index[(roll >= 0.01) & (roll < 0.015)] = len(codes)
            lsoa_index[no_place] = len(codes) + 1
            lon = lon0[np.minimum(lsoa_index, len(codes) - 1)] + rng.uniform(
                -0.005, 0.005, n
            )
            lat = lat0[np.minimum(lsoa_index, len(codes) - 1)] + rng.uniform(
                -0.005, 0.005, n
            )
            asb = type_index == asb_type
            outcomes = pa.array([*OUTCOMES, ""])
            outcome_index = np.where(
                asb, len(OUTCOMES), rng.integers(0, len(OUTCOMES), n)
            ).astype(np.int32)
            street_index = rng.integers(0, len(STREETS), n).astype(np.int32)
            location = pc.if_else(
                pa.array(no_place),
                "No location",
                pa.DictionaryArray.from_arrays(
                    pa.array(street_index), pa.array(STREETS)
                ).cast(pa.string()),
            )
            lsoa = pa.array(lsoa_index.astype(np.int32))
            table = pa.table(
                {
                    "Crime ID": pc.if_else(pa.array(asb), "", _crime_ids(rng, n)),
                    "Month": pa.DictionaryArray.from_arrays(
                        pa.array(month_index),
                        pa.array([f"{m:%Y-%m}" for m in months]),
                    ).cast(pa.string()),
                    "Reported by": pa.repeat(force, n),
                    "Falls within": pa.repeat(force, n),
                    "Longitude": _coordinate(lon, no_place),
                    "Latitude": _coordinate(lat, no_place),
                    "Location": location,
                    "LSOA code": pa.DictionaryArray.from_arrays(lsoa, code_pool).cast(
                        pa.string()
                    ),
                    "LSOA name": pa.DictionaryArray.from_arrays(lsoa, name_pool).cast(
                        pa.string()
                    ),
                    "Crime type": pa.DictionaryArray.from_arrays(
                        pa.array(type_index.astype(np.int32)), pa.array(types)
                    ).cast(pa.string()),
                    "Last outcome category": pa.DictionaryArray.from_arrays(
                        pa.array(outcome_index), outcomes
                    ).cast(pa.string()),
                    "Context": pa.repeat("", n),
                },
                schema=schema,
            )
            writer.write_table(table)
            rows += n
            del table
    return rows


def shares(total: int, weights: dict[str, float]) -> dict[str, int]:
    whole = sum(weights.values())
    return {name: max(1, round(total * w / whole)) for name, w in weights.items()}


def write_files(base: Path, scale: float) -> tuple[list[tuple[str, Path]], dict]:
    """One police.uk file per force: [(force, path)] and figures."""
    rng = np.random.default_rng(15)
    rows = shares(round(ROWS * scale), FORCES)
    lsoas = shares(LSOAS, FORCES)
    files = []
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
        path = base / f"force-{index:02d}-street.csv"
        total_rows += write_force_file(path, rng, per_month, force, codes, previous)
        previous = codes[0]
        files.append((force, path))
    return files, {
        "seconds": time.perf_counter() - started,
        "rows": total_rows,
        "lsoas": sum(lsoas.values()),
        "mb": sum(path.stat().st_size for _, path in files) / 1e6,
        "largest": max(rows.values()),
    }


BENCH_DB = "svduty_bench_national"
SECOND = "Cleveland Police (second partnership)"


def _slug(force: str) -> str:
    from django.utils.text import slugify

    return "national-" + slugify(force)[:40]


def _child_django(snapshots: Path) -> None:
    import django
    from django.conf import settings

    django.setup()
    settings.DATABASES["default"]["NAME"] = BENCH_DB
    settings.SNAPSHOT_DIR = snapshots


def child_import(listing: Path, snapshots: Path) -> None:
    """Import every force's file for its partnership; print figures as JSON."""
    import json

    _child_django(snapshots)
    from svduty.partnership.models import Partnership
    from svduty.sharing.imports import run_import, system_actor

    user = system_actor()
    files = json.loads(listing.read_text())
    rows = 0
    batches = {}
    started = time.perf_counter()
    for force, path in files:
        partnership, _ = Partnership.objects.get_or_create(
            slug=_slug(force), defaults={"name": f"{force} partnership"}
        )
        batch = run_import(
            by=user,
            partnership=partnership,
            kind="police_street",
            path=path,
            rebuild_snapshot=False,
        )
        assert batch.status == "succeeded", (force, batch.status, batch.message)
        rows += batch.rows_imported
        batches[batch.pk] = batch.rows_imported
    print(
        json.dumps(
            {
                "seconds": time.perf_counter() - started,
                "rows": rows,
                "batches": batches,
                "peak_rss_mb": peak_rss_mb(),
            }
        )
    )


def child_rebuild(snapshots: Path) -> None:
    """rebuild_snapshot for every partnership; print figures as JSON."""
    import json

    _child_django(snapshots)
    from django.db import connection

    from svduty.analysis.snapshot import SnapshotIncomplete, rebuild_snapshot
    from svduty.partnership.models import Partnership

    folders = []
    exported = {}
    refused = {}
    times = {}
    rows = 0
    started = time.perf_counter()
    for partnership in Partnership.objects.filter(slug__startswith="national-"):
        begun = time.perf_counter()
        try:
            snapshot = rebuild_snapshot(partnership)
        except SnapshotIncomplete as error:
            refused[partnership.name] = str(error)
            continue
        times[partnership.name] = time.perf_counter() - begun
        rows += snapshot.row_counts.get("police_street", 0)
        exported.update({b["id"]: b["rows"] for b in snapshot.source_batches})
        folders.append(str(snapshot.path))
    with connection.cursor() as cursor:
        # Rows each batch holds in PostgreSQL: says which stage lost any row.
        cursor.execute(
            "SELECT batch_id, count(*) FROM sharing_policestreetrecord GROUP BY 1"
        )
        in_table = dict(cursor.fetchall())
    largest = max(times, key=times.get)
    print(
        json.dumps(
            {
                "seconds": time.perf_counter() - started,
                "rows": rows,
                "folders": folders,
                "largest": largest,
                "largest_seconds": times[largest],
                "mb": sum(
                    f.stat().st_size for d in folders for f in Path(d).glob("*.parquet")
                )
                / 1e6,
                "peak_rss_mb": peak_rss_mb(),
                "exported": exported,
                "refused": refused,
                "in_table": in_table,
            }
        )
    )


def _child(*args: str) -> dict:
    import json
    import subprocess

    process = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True
    )
    if process.returncode:
        sys.exit(f"The child process {args[0]} failed:\n{process.stderr[-4000:]}")
    return json.loads(process.stdout.strip().splitlines()[-1])


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


def reconcile(imported: dict, built: dict) -> str:
    """Every imported row, batch by batch, in PostgreSQL and in a snapshot (JSON
    keys are strings). Nothing is dropped on purpose: rows without a location or
    LSOA are kept with a blank LSOA."""
    wrong = []
    for batch, rows in imported["batches"].items():
        table = built["in_table"].get(batch, built["in_table"].get(int(batch), 0))
        snapshot = built["exported"].get(batch, 0)
        if not rows == table == snapshot:
            wrong.append(
                f"batch {batch}: imported {rows:,}, in PostgreSQL {table:,}, "
                f"in the snapshot {snapshot:,}"
            )
    if not wrong and not built["refused"]:
        return (
            f"Reconciled: all {imported['rows']:,} imported rows are in PostgreSQL "
            f"and in the snapshots, batch by batch ({len(imported['batches'])} "
            "batches; none dropped on purpose)"
        )
    refused = "; ".join(f"{p}: {m}" for p, m in built["refused"].items())
    return (
        "NOT RECONCILED: "
        + "; ".join(wrong)
        + (f". Refused: {refused}" if refused else "")
    )


def _migrations_key() -> str:
    """A hash of every migration file: the template database matches it or not."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted((REPO_ROOT / "src" / "svduty").glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(REPO_ROOT)).encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:32]


TEMPLATE_DB = BENCH_DB + "_template"


def scratch_database() -> str:
    """Create the scratch database: a copy of a migrated template when one with the
    same migrations exists (seconds), else by running every migration (minutes on
    a busy machine) and keeping a template for the next run. Says which."""
    from django.conf import settings
    from django.db import connection

    key = _migrations_key()
    with connection._nodb_cursor() as cursor:
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
            "WHERE datname = %s",
            [TEMPLATE_DB],
        )
        found = cursor.fetchone()
        if found and found[0] == key:
            cursor.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
            cursor.execute(f'CREATE DATABASE "{BENCH_DB}" TEMPLATE "{TEMPLATE_DB}"')
            settings.DATABASES["default"]["NAME"] = BENCH_DB
            connection.settings_dict["NAME"] = BENCH_DB
            return "copied from the migrated template " + TEMPLATE_DB
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    connection.close()
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{TEMPLATE_DB}"')
        cursor.execute(f'CREATE DATABASE "{TEMPLATE_DB}" TEMPLATE "{BENCH_DB}"')
        cursor.execute(f"COMMENT ON DATABASE \"{TEMPLATE_DB}\" IS '{key}'")
    return f"migrated (every migration; kept as {TEMPLATE_DB} for the next run)"


def main() -> None:
    import json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        if args.child[0] == "import":
            child_import(Path(args.child[1]), Path(args.child[2]))
        else:
            child_rebuild(Path(args.child[1]))
        return
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from tests.factories.analysis import real_cleveland_reference

    print(f"At start {machine()}")
    started = time.perf_counter()
    base = Path(tempfile.mkdtemp(prefix="svduty-bench-national-"))
    snapshots = base / "snapshots"
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = BENCH_DB
    begun = time.perf_counter()
    how = scratch_database()
    print(
        f"Scratch database {BENCH_DB} {how} in {time.perf_counter() - begun:.1f} s "
        f"{machine()}"
    )
    try:
        files, written = write_files(base, args.scale)
        print(
            f"Files: {len(FORCES)} forces x {len(MONTHS)} months, "
            f"{written['rows']:,} street-level rows, {written['lsoas']:,} LSOAs, "
            f"{written['mb']:,.0f} MB of police.uk CSV written in "
            f"{written['seconds']:.1f} s {machine()}"
        )
        cleveland = dict(files)["Cleveland Police"]
        listing = base / "files.json"
        listing.write_text(
            json.dumps([(f, str(p)) for f, p in files] + [(SECOND, str(cleveland))])
        )
        imported = _child("--child", "import", str(listing), str(snapshots))
        print(
            f"Import: {len(files) + 1} files (one per force, and Cleveland's again for "
            f"a second partnership) by run_import into PostgreSQL: "
            f"{imported['rows']:,} rows in {imported['seconds']:.1f} s = "
            f"{imported['rows'] / imported['seconds']:,.0f} rows/s; peak RSS of the "
            f"importing process {imported['peak_rss_mb']:,.0f} MB {machine()}"
        )
        if not args.keep:
            for _, path in files:
                path.unlink()
        built = _child("--child", "rebuild", str(snapshots))
        folders = [Path(f) for f in built["folders"]]
        print(
            f"Snapshot build: rebuild_snapshot for {len(folders)} partnerships "
            f"(PostgreSQL COPY TO, pseudonymised, to Parquet): {built['rows']:,} "
            f"street-level rows in {built['seconds']:.1f} s = "
            f"{built['rows'] / built['seconds']:,.0f} rows/s, {built['mb']:,.0f} MB of "
            f"Parquet; the largest ({built['largest']}) "
            f"{built['largest_seconds']:.1f} s; peak RSS of the building process "
            f"{built['peak_rss_mb']:,.0f} MB {machine()}"
        )
        print(reconcile(imported, built))
        sna_figures = partnership_sna(
            base, written["largest"], real_cleveland_reference()
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
                f"folders built above, one a second partnership of a force): first "
                f"{rollup['first']:.2f} s, then median {rollup['median']:.2f} s "
                f"(target <= 5 s: {verdict}); {rollup['forces']} forces, "
                f"{rollup['records']:,} records, largest {top.force} "
                f"{top.records:,} ({top.serious_violence:,} serious violence, "
                f"{top.months} months); peak RSS {peak_rss_mb():,.0f} MB {machine()}"
            )
    finally:
        if args.keep:
            print(f"Kept {base} and the database {BENCH_DB}")
        else:
            connection.creation.destroy_test_db(BENCH_DB, verbosity=0)
            shutil.rmtree(base, ignore_errors=True)
    print(f"Whole run {time.perf_counter() - started:.0f} s. At end {machine()}")


if __name__ == "__main__":
    main()
