"""Import speed and memory: ``run_import`` against PostgreSQL's own COPY.

Run: ``.venv/bin/python benchmarks/bench_import.py [--rows 1000000]``.

1. Generates a synthetic data.police.uk street-level CSV (CRLF, as published) of
   ``--rows`` rows from the real Cleveland rows in ``../shared/data/real``: real
   LSOAs, names and crime types, with fresh crime IDs, jittered coordinates and
   months spread over 2021-01..2022-11, so every month is a new force+month.
2. Creates a scratch database (``svduty_bench_import``) with every migration.
3. Times PostgreSQL's own ``COPY … FROM STDIN (FORMAT csv)`` of the same file into a
   plain typed table (no indexes, no validation): the floor.
4. Times the reader alone (parsing and checking every row, no database).
5. Times ``run_import`` in a child process (so its peak RSS from
   ``resource.getrusage`` is the import's alone) and prints rows per second, the
   ratio to COPY (target: within 2× at load ≥ 2, issue 15) and the peak memory
   (target: ≤ 500 MB). police_street takes the single-write fast path
   (``svduty.sharing.fastpath``), which loads the batch's own new partition with
   one ``COPY … (FORMAT binary, FREEZE)`` built from the checked Arrow columns.
6. Times the floor of any import into the real table, rolled back: ``INSERT …
   SELECT`` of the same, already typed, rows into the batch's partition with its
   primary key maintained row by row, and the same rows into a new table created
   in the transaction, its primary key built once and attached (what an import
   does: docs/adr/0008), so the share of the time that is the table's own cost is
   known.

Beside each figure the load average and a fixed CPU-bound reference task timed
in the same run are printed (``benchmarks/machine.py``): the ratio is only
comparable between runs on machines equally busy.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine import machine

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))
DATA = REPO_ROOT.parent / "shared" / "data" / "real" / "cleveland"
BENCH_DB = "svduty_bench_import"
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


def generate(path: Path, rows: int, seed: int = 1) -> None:
    """Synthetic police.uk rows built from the real Cleveland rows."""
    pool = []
    for source in sorted((DATA / "police-street").glob("*.csv")):
        with source.open(encoding="utf-8", newline="") as handle:
            pool.extend(list(csv.reader(handle))[1:])
    months = [f"{y}-{m:02d}" for y in (2021, 2022) for m in range(1, 13)][:23]
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(HEADER)
        for index in range(rows):
            row = list(pool[index % len(pool)])
            row[1] = months[index * len(months) // rows]
            if row[0]:
                row[0] = f"{rng.getrandbits(256):064x}"
            row[4] = f"{float(row[4]) + rng.uniform(-0.001, 0.001):.6f}"
            row[5] = f"{float(row[5]) + rng.uniform(-0.001, 0.001):.6f}"
            writer.writerow(row)


def setup_django(database: str | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "svduty.config.test_settings")
    import django
    from django.conf import settings

    django.setup()
    if database:
        settings.DATABASES["default"]["NAME"] = database


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(csv_path: Path) -> None:
    """Run one import in this process and print its figures as JSON."""
    setup_django(BENCH_DB)
    from svduty.partnership.models import Partnership
    from svduty.sharing.imports import run_import, system_actor

    user = system_actor()
    partnership, _ = Partnership.objects.get_or_create(
        slug="bench", defaults={"name": "Benchmark partnership"}
    )
    before = peak_rss_mb()
    start = time.perf_counter()
    batch = run_import(
        by=user,
        partnership=partnership,
        kind="police_street",
        path=csv_path,
        rebuild_snapshot=False,
    )
    seconds = time.perf_counter() - start
    print(
        json.dumps(
            {
                "status": batch.status,
                "rows": batch.rows_imported,
                "seconds": seconds,
                "rss_before_mb": before,
                "peak_rss_mb": peak_rss_mb(),
            }
        )
    )


def time_copy(connection, csv_path: Path) -> float:
    with connection.cursor() as cursor:
        cursor.execute(
            "DROP TABLE IF EXISTS bench_plain; CREATE TABLE bench_plain ("
            "crime_id text, month text, reported_by text, falls_within text, "
            "longitude double precision, latitude double precision, location text, "
            "lsoa_code text, lsoa_name text, crime_type text, last_outcome text, "
            "context text)"
        )
        start = time.perf_counter()
        with (
            cursor.cursor.copy(
                "COPY bench_plain FROM STDIN WITH (FORMAT csv, HEADER)"
            ) as copy,
            csv_path.open("rb") as handle,
        ):
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        seconds = time.perf_counter() - start
        cursor.execute("SELECT count(*) FROM bench_plain")
        rows = cursor.fetchone()[0]
        cursor.execute("DROP TABLE bench_plain")
    return rows, seconds


def time_table_floor(connection) -> tuple[float, float]:
    """The table's own cost for the imported rows, already typed, rolled back.

    Returns the seconds of (1) an ``INSERT … SELECT`` into the real table through
    the parent, into the batch's existing partition with its primary key (row by
    row, as before partitioning), and (2) what an import now pays: a new table
    created in the same transaction, loaded, its primary key built once and
    attached (docs/adr/0008)."""
    columns = (
        "partnership_id, batch_id, crime_id, month, reported_by, falls_within, "
        "longitude, latitude, location, lsoa_code, lsoa_name, crime_type, "
        "last_outcome, context"
    )
    with connection.cursor() as cursor:
        cursor.execute("BEGIN")
        try:
            cursor.execute(
                f"CREATE TEMP TABLE typed AS SELECT {columns} "
                "FROM sharing_policestreetrecord"
            )
            start = time.perf_counter()
            cursor.execute(
                f"INSERT INTO sharing_policestreetrecord ({columns}) "
                "SELECT * FROM typed"
            )
            inserted = time.perf_counter() - start
        finally:
            cursor.execute("ROLLBACK")
        cursor.execute("BEGIN")
        try:
            cursor.execute(
                f"CREATE TEMP TABLE typed AS SELECT {columns} "
                "FROM sharing_policestreetrecord"
            )
            start = time.perf_counter()
            cursor.execute(
                "CREATE TABLE bench_fresh (LIKE sharing_policestreetrecord "
                "INCLUDING DEFAULTS, CHECK (batch_id = -1))"
            )
            cursor.execute(
                f"INSERT INTO bench_fresh ({columns}) "
                "SELECT partnership_id, -1, crime_id, month, reported_by, "
                "falls_within, longitude, latitude, location, lsoa_code, lsoa_name, "
                "crime_type, last_outcome, context FROM typed"
            )
            cursor.execute("ALTER TABLE bench_fresh ADD PRIMARY KEY (batch_id, id)")
            cursor.execute(
                "ALTER TABLE sharing_policestreetrecord ATTACH PARTITION bench_fresh "
                "FOR VALUES IN (-1)"
            )
            fresh = time.perf_counter() - start
        finally:
            cursor.execute("ROLLBACK")
    return inserted, fresh


def time_reader(csv_path: Path) -> tuple[int, float]:
    from svduty.sharing.readers import get_reader

    reader = get_reader("police_street")
    start = time.perf_counter()
    rows = sum(len(batch) for batch in reader.read(csv_path))
    return rows, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return

    setup_django()
    from django.conf import settings
    from django.db import connection

    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = BENCH_DB
    print(f"At start {machine()}")
    with tempfile.TemporaryDirectory() as folder:
        csv_path = Path(folder) / "bench-police-street.csv"
        start = time.perf_counter()
        generate(csv_path, args.rows)
        size_mb = csv_path.stat().st_size / 1e6
        print(
            f"Generated {args.rows:,} rows ({size_mb:.0f} MB) in "
            f"{time.perf_counter() - start:.1f} s"
        )
        connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False
        )
        try:
            copy_rows, copy_seconds = time_copy(connection, csv_path)
            connection.close()
            print(
                f"PostgreSQL COPY (plain table): {copy_rows:,} rows in "
                f"{copy_seconds:.2f} s = {copy_rows / copy_seconds:,.0f} rows/s "
                f"{machine()}"
            )
            reader_rows, reader_seconds = time_reader(csv_path)
            print(
                f"Reader alone (parse and check): {reader_rows:,} rows in "
                f"{reader_seconds:.2f} s = {reader_rows / reader_seconds:,.0f} rows/s "
                f"{machine()}"
            )
            process = subprocess.run(
                [sys.executable, __file__, "--child", str(csv_path)],
                capture_output=True,
                text=True,
            )
            if process.returncode:
                sys.exit(f"The import process failed:\n{process.stderr}")
            output = process.stdout
            result = json.loads(output.strip().splitlines()[-1])
            assert result["status"] == "succeeded", result
            rate = result["rows"] / result["seconds"]
            ratio = result["seconds"] / copy_seconds
            print(
                f"svduty run_import: {result['rows']:,} rows in "
                f"{result['seconds']:.2f} s = {rate:,.0f} rows/s {machine()}"
            )
            print(f"Ratio to COPY: {ratio:.2f}× (target: within 2× at load >= 2)")
            print(
                f"Peak memory (RSS) of the importing process: "
                f"{result['peak_rss_mb']:.0f} MB "
                f"({result['rss_before_mb']:.0f} MB before the import; "
                "target ≤ 500 MB)"
            )
            settings.DATABASES["default"]["NAME"] = BENCH_DB
            floor, fresh = time_table_floor(connection)
            print(
                f"Floor: INSERT of the same rows, already typed, into the batch's "
                f"partition with its primary key: {floor:.2f} s = "
                f"{floor / copy_seconds:.1f}× COPY; into a new table, primary key "
                f"built once, attached (what an import does): {fresh:.2f} s = "
                f"{fresh / copy_seconds:.1f}× COPY {machine()}"
            )
            print(f"At end {machine()}")
        finally:
            connection.creation.destroy_test_db(BENCH_DB, verbosity=0)


if __name__ == "__main__":
    main()
