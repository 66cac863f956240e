"""SNA benchmarks (issue 5): the full SNA on 1M and 5M synthetic incidents, and the
dashboard page under 10 concurrent users.

Run: ``.venv/bin/python benchmarks/bench_sna.py`` (optionally ``--sizes 1000000``,
``--skip-load``). Needs the machine's PostgreSQL on 127.0.0.1:5432 for the load test
(``BENCH_DATABASE_URL`` to use another), and the real Cleveland reference files in
``../shared/data/real``.

1. Synthetic snapshots: the 352 real Cleveland LSOAs with their real boundaries,
   lookup, population and IMD, and N street-level incidents over 24 months written
   straight to Parquet (crime types in the real Cleveland proportions, LSOAs skewed
   like real violence, 1% with no location and 0.5% in another force's LSOAs).
2. ``svduty sna --format json`` equivalent: ``compute_sna`` (uncached) plus the JSON
   encoding, with the snapshot warm (read once first). Target: <= 2 s at 5M.
3. Dashboard p95: gunicorn (2 workers, 4 threads) on 127.0.0.1 serving the 1M
   snapshot; 10 concurrent signed-in users each request the dashboard 30 times,
   cycling over 6 filter combinations (so each worker computes each once and then
   serves it from the result cache). Target: p95 <= 300 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "svduty.config.test_settings")

CRIME_TYPES = {
    "Violence and sexual offences": 30647,
    "Anti-social behaviour": 16156,
    "Criminal damage and arson": 9831,
    "Public order": 8422,
    "Shoplifting": 6100,
    "Other theft": 5100,
    "Burglary": 4514,
    "Vehicle crime": 3917,
    "Drugs": 2092,
    "Other crime": 1922,
    "Robbery": 815,
    "Bicycle theft": 782,
    "Possession of weapons": 687,
    "Theft from the person": 531,
}
PERIOD = ("2022-01", "2023-12")


def synthetic_street(n: int, codes: list[str], seed: int = 5) -> pa.Table:
    rng = np.random.default_rng(seed)
    months = [dt.date(2022 + m // 12, m % 12 + 1, 1) for m in range(24)]
    month_index = rng.integers(0, 24, n)
    types = list(CRIME_TYPES)
    weights = np.array(list(CRIME_TYPES.values()), dtype=float)
    type_index = rng.choice(len(types), n, p=weights / weights.sum())
    # Zipf-like skew over LSOAs, as real violence is concentrated.
    skew = 1 / np.arange(1, len(codes) + 1) ** 0.8
    lsoa_index = rng.choice(len(codes), n, p=skew / skew.sum())
    lsoa = np.array(codes, dtype=object)[lsoa_index]
    roll = rng.random(n)
    lsoa[roll < 0.01] = None
    lsoa[(roll >= 0.01) & (roll < 0.015)] = "E01027700"
    return pa.table(
        {
            "record_key": pa.nulls(n, pa.string()),
            "month": pa.DictionaryArray.from_arrays(
                pa.array(month_index, pa.int32()), pa.array(months, pa.date32())
            ).cast(pa.date32()),
            "falls_within": pa.DictionaryArray.from_arrays(
                pa.array(np.zeros(n, dtype=np.int32)), pa.array(["Synthetic Police"])
            ).cast(pa.string()),
            "lsoa_code": pa.array(lsoa, pa.string()),
            "crime_type": pa.DictionaryArray.from_arrays(
                pa.array(type_index.astype(np.int32)), pa.array(types)
            ).cast(pa.string()),
            "last_outcome": pa.nulls(n, pa.string()),
        }
    )


def build_folder(base: Path, n: int, reference: dict) -> Path:
    from svduty.analysis.snapshot import finish_folder, write_tables

    folder = base / f"sna-{n}"
    if (folder / "manifest.json").exists():
        return folder
    codes = reference["lsoa"].column("lsoa_code").to_pylist()
    started = time.perf_counter()
    street = synthetic_street(n, codes)
    write_tables(folder, dict(reference))
    pq.write_table(street, folder / "police_street.parquet")
    finish_folder(folder, source_batches=[])
    print(f"  built {n:,}-incident snapshot in {time.perf_counter() - started:.1f} s")
    return folder


def bench_compute(folder: Path, repeats: int = 5) -> dict:
    from svduty.analysis.sna import SnaOptions, compute_sna, parse_month

    options = SnaOptions(
        period_from=parse_month(PERIOD[0]),
        period_to=parse_month(PERIOD[1]),
        partnership={"slug": "bench", "name": "Bench"},
    )
    json.dumps(compute_sna(folder, options), default=str)  # warm: files and neighbours
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = compute_sna(folder, options)
        json.dumps(result, default=str)
        times.append(time.perf_counter() - started)
    return {
        "median_s": statistics.median(times),
        "max_s": max(times),
        "in_area": result["records"]["in_area"],
    }


# --- Dashboard load test ------------------------------------------------------------


def _prepare_database(database_url: str, snapshot_dir: Path, tables: dict):
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    settings.SNAPSHOT_DIR = snapshot_dir
    call_command("migrate", verbosity=0)
    from svduty.accounts.roles import Role
    from svduty.analysis.models import Snapshot
    from svduty.analysis.snapshot import register_snapshot
    from tests.factories.accounts import AgencyFactory, UserFactory, give_totp
    from tests.factories.partnership import MemberFactory

    agency = AgencyFactory(name="Bench agency")
    from svduty.partnership.models import Partnership

    partnership, _ = Partnership.objects.get_or_create(
        slug="bench", defaults={"name": "Bench partnership"}
    )
    if not partnership.members.filter(agency=agency).exists():
        MemberFactory(partnership=partnership, agency=agency)
    Snapshot.objects.filter(partnership=partnership).delete()
    snapshot = register_snapshot(partnership, tables)
    # As rebuild_snapshot does after an import: the default view is computed once.
    from svduty.analysis.service import warm

    warm(partnership, snapshot)
    users = []
    for index in range(10):
        from svduty.accounts.models import User

        user = User.objects.filter(username=f"bench-analyst-{index}").first()
        if user is None:
            user = UserFactory(
                username=f"bench-analyst-{index}",
                roles=[Role.ANALYST.value],
                agencies=[agency],
            )
            give_totp(user)
        client = Client()
        client.force_login(user)
        users.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    return users, settings.SESSION_COOKIE_NAME


def bench_dashboard(folder: Path, database_url: str, per_user: int = 30) -> dict:
    import pyarrow.parquet as pq
    import requests

    from svduty.analysis.snapshot import TABLES

    snapshot_dir = Path(tempfile.mkdtemp(prefix="svduty-bench-snapshots-"))
    tables = {name: pq.read_table(folder / f"{name}.parquet") for name in TABLES}
    sessions, cookie_name = _prepare_database(database_url, snapshot_dir, tables)
    port = 8765
    env = os.environ | {
        "DATABASE_URL": database_url,
        "SVDUTY_DATA_DIR": str(snapshot_dir.parent / (snapshot_dir.name + "-media")),
        "DJANGO_SETTINGS_MODULE": "svduty.config.test_settings",
    }
    # The server must find the snapshot where it was written.
    media = Path(env["SVDUTY_DATA_DIR"])
    media.mkdir(parents=True, exist_ok=True)
    if not (media / "snapshots").exists():
        (media / "snapshots").symlink_to(snapshot_dir)
    server = subprocess.Popen(
        [
            str(REPO_ROOT / ".venv" / "bin" / "gunicorn"),
            "svduty.config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        cwd=REPO_ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                requests.get(base + "/healthz", timeout=1)
                break
            except requests.RequestException:
                time.sleep(0.2)
        filters = [
            {"period_from": "2022-01", "period_to": "2023-12"},
            {"period_from": "2023-01", "period_to": "2023-12"},
            {"period_from": "2022-01", "period_to": "2022-12", "kind": "Robbery"},
            {"period_from": "2022-01", "period_to": "2023-12", "area": "E06000002"},
            {"period_from": "2023-06", "period_to": "2023-12", "area": "E06000004"},
            {
                "period_from": "2022-01",
                "period_to": "2023-12",
                "kind": "Possession of weapons",
            },
        ]
        latencies: list[float] = []
        repeats: list[float] = []
        first_views: list[float] = []
        seen: set[int] = set()
        errors = []
        lock = threading.Lock()

        def user(index: int) -> None:
            session = requests.Session()
            session.cookies.set(cookie_name, sessions[index])
            for request_number in range(per_user):
                params = filters[(index + request_number) % len(filters)]
                started = time.perf_counter()
                response = session.get(
                    base + "/analysis/bench/", params=params, timeout=60
                )
                elapsed = time.perf_counter() - started
                with lock:
                    if (
                        response.status_code != 200
                        or "Strategic needs assessment" not in response.text
                    ):
                        errors.append(response.status_code)
                    latencies.append(elapsed)
                    key = (index + request_number) % len(filters)
                    if key in seen:
                        repeats.append(elapsed)
                    else:
                        seen.add(key)
                        first_views.append(elapsed)

        threads = [threading.Thread(target=user, args=(i,)) for i in range(10)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
        ordered = sorted(latencies)
        repeated = sorted(repeats)
        return {
            "repeat_p95_ms": 1000 * repeated[int(len(repeated) * 0.95) - 1],
            "requests": len(latencies),
            "errors": len(errors),
            "p50_ms": 1000 * ordered[len(ordered) // 2],
            "p95_ms": 1000 * ordered[int(len(ordered) * 0.95) - 1],
            "max_ms": 1000 * ordered[-1],
            "first_view_max_ms": 1000 * max(first_views),
            "throughput_rps": len(latencies) / wall,
        }
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(snapshot_dir, ignore_errors=True)
        shutil.rmtree(media, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000000,5000000")
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/svduty_bench"
        ),
    )
    args = parser.parse_args()
    import django

    os.environ.setdefault("DATABASE_URL", args.database_url)
    django.setup()
    from tests.factories.analysis import real_cleveland_reference

    reference = real_cleveland_reference()
    base = Path(tempfile.gettempdir()) / "svduty-bench-sna"
    base.mkdir(exist_ok=True)
    print(f"CPUs: {os.cpu_count()}")
    folders = {}
    for n in (int(s) for s in args.sizes.split(",")):
        folders[n] = build_folder(base, n, reference)
        figures = bench_compute(folders[n])
        verdict = "OK" if figures["median_s"] <= 2 else "OVER TARGET"
        print(
            f"SNA JSON, {n:,} incidents: median {figures['median_s']:.2f} s, "
            f"max {figures['max_s']:.2f} s (target <= 2 s at 5M: {verdict}); "
            f"in-area records {figures['in_area']:,}"
        )
    if not args.skip_load:
        n = min(folders)
        figures = bench_dashboard(folders[n], args.database_url)
        verdict = "OK" if figures["p95_ms"] <= 300 else "OVER TARGET"
        print(
            f"Dashboard at {n:,} incidents, 10 users x 30 views: p50 "
            f"{figures['p50_ms']:.0f} ms, p95 {figures['p95_ms']:.0f} ms ({verdict}), "
            f"max {figures['max_ms']:.0f} ms, slowest first view "
            f"{figures['first_view_max_ms']:.0f} ms, {figures['throughput_rps']:.1f} "
            f"requests/s, errors {figures['errors']}; repeated views (filters already "
            f"computed once): p95 {figures['repeat_p95_ms']:.0f} ms"
        )


if __name__ == "__main__":
    main()
