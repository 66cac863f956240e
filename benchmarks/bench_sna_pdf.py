"""The SNA report as a PDF for the whole of Cleveland (issue 15 point 3, issue 16
point 8: target <= 2 s).

Run: ``.venv/bin/python benchmarks/bench_sna_pdf.py``. Needs no database: it writes an
analytic snapshot of the real Cleveland data (the 352 LSOAs with their boundaries,
lookup, population and IMD, and every street-level month in ``../shared/data/real``;
the vendored samples of tests/fixtures/real when that folder is absent) to a
temporary folder and computes the SNA for the whole period.

Printed, each with the load average and the time of the fixed CPU-bound reference
task (benchmarks/machine.py) so that a busy run can be compared with a quiet one:

0. the chart renderer's and Typst's start (vl-convert's JavaScript engine and the
   fonts), the URL configuration and the report's template, once per process: a web
   worker does it in a background thread when it starts (`report.warm_renderers`);
1. first PDF of a snapshot and filters, nothing cached (the charts and the map are
   drawn, then Typst lays the report out): wall and CPU time, pages, bytes;
2. the same report for a second partnership name (the figures come from the
   snapshot's cache, only the layout runs);
3. the download of a PDF already made for that snapshot and filters (what every
   later download of the same report costs): median of 5.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
import zlib
from pathlib import Path
from types import SimpleNamespace

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(REPO_ROOT / "benchmarks"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "svduty.config.test_settings")
# No database is used; settings only need a URL to parse.
os.environ.setdefault("DATABASE_URL", "postgres://bench@127.0.0.1:1/unused")

TARGET_S = 2.0


def street_table():
    from tests import real_data
    from tests.factories import analysis

    if real_data.SHARED.is_dir():
        return analysis.real_cleveland_street(), "the whole published data"
    import pyarrow as pa

    from tests.factories.analysis import _read  # the vendored samples

    rows = [
        row
        for path in real_data.street_months(real_data.sample())
        for row in _read("police_street", path)
    ]
    table = pa.table(
        {
            "record_key": pa.nulls(len(rows), pa.string()),
            "month": pa.array([r[1] for r in rows], pa.date32()),
            "falls_within": [r[3] for r in rows],
            "lsoa_code": pa.array([r[7] for r in rows], pa.string()),
            "crime_type": [r[9] for r in rows],
            "last_outcome": pa.array([r[10] for r in rows], pa.string()),
            "longitude": pa.array([r[4] for r in rows], pa.float64()),
            "latitude": pa.array([r[5] for r in rows], pa.float64()),
        }
    )
    return table, "the vendored samples"


def build(folder: Path) -> str:
    from svduty.analysis.snapshot import finish_folder, write_tables
    from tests.factories.analysis import real_cleveland_reference

    street, what = street_table()
    write_tables(folder, dict(real_cleveland_reference()) | {"police_street": street})
    finish_folder(folder, source_batches=[])
    return f"{street.num_rows:,} street-level records ({what})"


def pages(pdf: bytes) -> int:
    """The page count from the page tree (which may sit in a compressed stream)."""
    chunks = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            chunks.append(zlib.decompress(stream))
        except zlib.error:
            continue
    for chunk in chunks:
        found = re.search(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", chunk, re.S)
        found = found or re.search(
            rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", chunk, re.S
        )
        if found:
            return int(found.group(1))
    return 0


def timed(function):
    wall, cpu = time.perf_counter(), time.process_time()
    value = function()
    return value, time.perf_counter() - wall, time.process_time() - cpu


def main() -> int:
    import django

    django.setup()
    from machine import machine

    from svduty.analysis.report import pdf_for, render_pdf
    from svduty.analysis.sna import SnaOptions, compute_sna

    print("At start " + machine())
    base = Path(tempfile.mkdtemp(prefix="svduty-bench-pdf-"))
    try:
        folder = base / "cleveland"
        print("Snapshot: " + build(folder))
        months = sorted(
            {
                m
                for (m,) in __import__("duckdb")
                .sql(f"SELECT DISTINCT month FROM '{folder}/police_street.parquet'")
                .fetchall()
            }
        )
        options = SnaOptions(
            period_from=months[0],
            period_to=months[-1],
            partnership={"slug": "cleveland", "name": "Cleveland VRU"},
            snapshot={"id": 1, "content_hash": "bench"},
        )
        result = compute_sna(folder, options)
        snapshot = SimpleNamespace(
            pk=1,
            path=folder,
            label=f"Snapshot 1 (bench), built {dt.date.today():%-d %B %Y}",
        )
        partnership = SimpleNamespace(slug="cleveland", name="Cleveland VRU")
        print(
            f"SNA {months[0]:%B %Y} to {months[-1]:%B %Y}: "
            f"{result['serious_violence']['count']:,} serious violence records"
        )
        from svduty.analysis.report import warm_renderers

        # What a web worker does in the background when it starts
        # (svduty.config.wsgi): the chart renderer and Typst's fonts.
        _, wall, cpu = timed(warm_renderers)
        print(
            f"0. Chart renderer, Typst, URLs and templates (once per process, when a "
            f"web worker starts): {wall:.2f} s wall, {cpu:.2f} s CPU " + machine()
        )
        pdf, wall, cpu = timed(lambda: pdf_for(partnership, snapshot, result))
        verdict = "OK" if wall <= TARGET_S else "OVER TARGET"
        print(
            f"1. First PDF of the snapshot and filters (charts, map and layout): "
            f"{wall:.2f} s wall, {cpu:.2f} s CPU, {pages(pdf)} pages, "
            f"{len(pdf) / 1024:.0f} KiB (target <= {TARGET_S:.0f} s: {verdict}) "
            + machine()
        )
        other = SimpleNamespace(slug="cleveland-2", name="Cleveland partnership")
        pdf, wall, cpu = timed(lambda: render_pdf(other, snapshot, result))
        verdict = "OK" if wall <= TARGET_S else "OVER TARGET"
        print(
            f"2. Same figures, charts and map from the cache (layout only): "
            f"{wall:.2f} s wall, {cpu:.2f} s CPU, {pages(pdf)} pages "
            f"(target <= {TARGET_S:.0f} s: {verdict}) " + machine()
        )
        times = []
        for _ in range(5):
            _, wall, _ = timed(lambda: pdf_for(partnership, snapshot, result))
            times.append(wall)
        median = statistics.median(times)
        verdict = "OK" if median <= TARGET_S else "OVER TARGET"
        print(
            f"3. Download of a PDF already made for these filters: median "
            f"{1000 * median:.0f} ms, max {1000 * max(times):.0f} ms "
            f"(target <= {TARGET_S:.0f} s: {verdict}) " + machine()
        )
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
