"""SNA benchmarks (issue 5): the full SNA on 1M and 5M synthetic incidents, and the
dashboard page under 10 concurrent users.

Run: ``.venv/bin/python benchmarks/bench_sna.py`` (optionally ``--sizes 1000000``,
``--skip-load``). The load test uses the scratch database ``svduty_bench`` on the
embedded PostgreSQL, created if missing (``BENCH_DATABASE_URL`` or
``--database-url`` to use another server), and the real Cleveland reference files
in ``../shared/data/real``.

1. Synthetic snapshots: the 352 real Cleveland LSOAs with their real boundaries,
   lookup, population and IMD, and N street-level incidents over 24 months written
   straight to Parquet (crime types in the real Cleveland proportions, LSOAs skewed
   like real violence, 1% with no location and 0.5% in another force's LSOAs).
2. ``svduty sna --format json`` equivalent: ``compute_sna`` (uncached) plus the JSON
   encoding. "Cold" is the first SNA of the snapshot in a process with nothing cached
   (it counts the street-level records into ``street_agg`` and parses the
   boundaries); "warm" is the median of 5 more, with other periods. Target: <= 2 s
   at 5M.
3. Dashboard: gunicorn as ``svduty serve`` runs it (2 workers, 4 threads) on
   127.0.0.1 (a free port) serving the 1M snapshot, after ``warm()`` as a rebuild
   does (the default period for everything, each kind and each local authority).
   a. One user alone: 10 filters nobody has seen, each viewed twice (cold, repeat).
   b. 10 signed-in users, each a closed loop with no think time (so at most 10
      requests in flight), 30 requests each over 40 filter combinations: the 8
      warmed and 32 others (varied periods, kinds and areas) nobody has seen,
      opened one every 7 or 8 requests ("spread"); then
   c. the same with 32 more unseen filters opened in rounds where all 10 users ask
      for new ones at once ("burst").
   Each request is classified: "cold" when its filters had not been computed when
   it was sent (the first request for them, and any sent before that one
   finished), "warmed" when it is the first request of a filter computed by
   ``warm()``, "repeat" otherwise. p50/p95/max (nearest rank) are printed for all
   requests and per class, with the load average at the start and end (the
   machine may be shared). Target: p95 <= 300 ms. A run with failed requests is
   reported as invalid.
   Beside them, the server's CPU per request (gunicorn and its workers, from
   /proc): for the lone user's cold and repeat views, and for all the requests of
   each 10-user phase. Unlike the latencies, other load on the machine hardly
   changes it, so it is the figure to compare before and after a change.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import shutil
import socket
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
    from svduty.analysis import sna
    from svduty.analysis.sna import SnaOptions, compute_sna, parse_month

    def options(start: str, end: str) -> SnaOptions:
        return SnaOptions(
            period_from=parse_month(start),
            period_to=parse_month(end),
            partnership={"slug": "bench", "name": "Bench"},
        )

    # Cold: nothing of this snapshot cached in the process or in its folder.
    (folder / "cache" / "street_agg.parquet").unlink(missing_ok=True)
    # (getattr: the benchmark also runs against older code, for comparison.)
    getattr(sna, "_DATABASES", {}).clear()
    for cached in ("_geometries", "_neighbours", "_gi_weights"):
        if hasattr(sna, cached):
            getattr(sna, cached).cache_clear()
    started = time.perf_counter()
    result = compute_sna(folder, options(*PERIOD))
    json.dumps(result, default=str)
    cold = time.perf_counter() - started
    periods = [PERIOD, ("2022-01", "2022-12"), ("2023-01", "2023-12")]
    times = []
    for index in range(repeats):
        started = time.perf_counter()
        warm_result = compute_sna(folder, options(*periods[index % len(periods)]))
        json.dumps(warm_result, default=str)
        times.append(time.perf_counter() - started)
    return {
        "cold_s": cold,
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
    from svduty.analysis.models import Snapshot
    from svduty.analysis.snapshot import register_snapshot
    from svduty.core.authorisation import Role
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
    # As the import_succeeded receiver does after an import: the likeliest views.
    from svduty.analysis.dashboard import warm

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


BENCH_KINDS = ["Violence and sexual offences", "Robbery", "Possession of weapons"]
BENCH_AREAS = ["E06000001", "E06000002", "E06000003", "E06000004"]


def filter_pool(others: int = 32, seed: int = 11) -> list[tuple[str, dict, bool]]:
    """(key, query, warmed) for the 8 views warm() computes (the default period:
    everything, each kind, each area) and `others` varied ones nobody has seen."""
    default = {"period_from": "2023-01", "period_to": "2023-12"}
    pool = [dict(default)]
    pool += [{**default, "kind": kind} for kind in BENCH_KINDS]
    pool += [{**default, "area": area} for area in BENCH_AREAS]
    warmed = len(pool)
    rng = np.random.default_rng(seed)
    months = [f"{2022 + m // 12}-{m % 12 + 1:02d}" for m in range(24)]
    seen = {json.dumps(p, sort_keys=True) for p in pool}
    while len(pool) < warmed + others:
        start = int(rng.integers(0, 22))
        end = int(rng.integers(start + 2, 24))
        params = {"period_from": months[start], "period_to": months[end]}
        if rng.random() < 0.5:
            params["kind"] = BENCH_KINDS[int(rng.integers(0, 3))]
        if rng.random() < 0.5:
            params["area"] = BENCH_AREAS[int(rng.integers(0, 4))]
        key = json.dumps(params, sort_keys=True)
        if key not in seen:
            seen.add(key)
            pool.append(params)
    entries = [
        (json.dumps(p, sort_keys=True), p, index < warmed)
        for index, p in enumerate(pool)
    ]
    order = rng.permutation(len(entries))
    return [entries[i] for i in order]


def _percentiles(values: list[float]) -> dict:
    if not values:
        return {"n": 0}
    ordered = sorted(values)

    def at(q: float) -> float:
        # Nearest rank.
        return 1000 * ordered[max(0, math.ceil(q * len(ordered)) - 1)]

    return {
        "n": len(ordered),
        "p50": at(0.5),
        "p95": at(0.95),
        "max": 1000 * ordered[-1],
    }


def _server_cpu(pid: int) -> float:
    """CPU seconds used so far by gunicorn (`pid`) and its workers (Linux /proc; 0
    elsewhere). Per request, it hardly changes with other load on the machine."""

    def used(one: int) -> float:
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    pids = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        pids += [int(c) for c in task.read_text().split()]
    return sum(used(one) for one in pids)


def _load(base, sessions, cookie_name, schedule, per_user, seen: set) -> dict:
    """10 users, each a closed loop: user i's request j is schedule[10 j + i].
    `seen`: filters viewed before (their requests are repeats); updated."""
    import requests

    results: list[dict] = []
    first_done: dict[str, float] = {}
    first_sent: set[str] = set()
    errors = []
    lock = threading.Lock()

    def user(index: int) -> None:
        session = requests.Session()
        session.cookies.set(cookie_name, sessions[index])
        for request_number in range(per_user):
            key, params, warmed = schedule[request_number * 10 + index]
            with lock:
                sent = time.perf_counter()
                if key in seen:
                    kind, first = "repeat", False
                elif key not in first_sent:
                    first_sent.add(key)
                    kind = "warmed" if warmed else "cold"
                    first = True
                else:
                    done = first_done.get(key)
                    computed = done is not None and done <= sent
                    kind = "repeat" if warmed or computed else "cold"
                    first = False
            response = session.get(base + "/analysis/bench/", params=params, timeout=60)
            finished = time.perf_counter()
            with lock:
                if (
                    response.status_code != 200
                    or "Strategic needs assessment" not in response.text
                    or "Data snapshot" not in response.text
                ):
                    errors.append(response.status_code)
                if first:
                    first_done[key] = finished
                results.append(
                    {
                        "kind": kind,
                        "s": finished - sent,
                        "bytes": len(response.content),
                    }
                )

    load_start = os.getloadavg()
    threads = [threading.Thread(target=user, args=(i,)) for i in range(10)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    load_end = os.getloadavg()
    seen |= first_sent
    figures = {
        "all": _percentiles([r["s"] for r in results]),
        "errors": len(errors),
        "throughput_rps": len(results) / wall,
        "filters": len({key for key, _, _ in schedule}),
        "warmed_filters": len({key for key, _, warmed in schedule if warmed}),
        "median_bytes": statistics.median(r["bytes"] for r in results),
        "load_start": load_start,
        "load_end": load_end,
    }
    for kind in ("cold", "warmed", "repeat"):
        figures[kind] = _percentiles([r["s"] for r in results if r["kind"] == kind])
    return figures


def _single_user(base, session_id, cookie_name, seen: set, pid: int) -> dict:
    """One user alone: 10 unseen filters, each viewed twice in a row; with the
    server's CPU per request (`pid`: gunicorn) for each kind."""
    import requests

    session = requests.Session()
    session.cookies.set(cookie_name, session_id)
    session.get(base + "/analysis/bench/", timeout=60)  # the worker's own start-up
    times: dict[str, list[float]] = {"cold": [], "repeat": []}
    cpu = {"cold": 0.0, "repeat": 0.0}
    load_start = os.getloadavg()
    for key, params, warmed in filter_pool(others=10, seed=31):
        if warmed or key in seen:
            continue
        seen.add(key)
        for kind in ("cold", "repeat"):
            used = _server_cpu(pid)
            started = time.perf_counter()
            response = session.get(base + "/analysis/bench/", params=params, timeout=60)
            times[kind].append(time.perf_counter() - started)
            cpu[kind] += _server_cpu(pid) - used
            assert response.status_code == 200
    return {
        "cold": _percentiles(times["cold"]),
        "repeat": _percentiles(times["repeat"]),
        "cpu_ms": {k: 1000 * v / max(1, len(times[k])) for k, v in cpu.items()},
        "load_start": load_start,
        "load_end": os.getloadavg(),
    }


def spread_schedule(pool: list, total: int, seed: int = 5) -> list:
    """First views spread evenly through the run: request k (in the order the
    users make them) opens the next unseen filter when k reaches its turn (every
    total / len(pool) requests), and otherwise one already opened, at random."""
    rng = np.random.default_rng(seed)
    turns = {round(t * total / len(pool)) for t in range(len(pool))}
    opened: list = []
    schedule = []
    for k in range(total):
        if k in turns and len(opened) < len(pool):
            opened.append(pool[len(opened)])
            schedule.append(opened[-1])
        else:
            schedule.append(opened[int(rng.integers(0, len(opened)))])
    return schedule


def bench_dashboard(folder: Path, database_url: str, per_user: int = 30) -> dict:
    import pyarrow.parquet as pq
    import requests

    from svduty.analysis.snapshot import TABLES

    snapshot_dir = Path(tempfile.mkdtemp(prefix="svduty-bench-snapshots-"))
    tables = {name: pq.read_table(folder / f"{name}.parquet") for name in TABLES}
    sessions, cookie_name = _prepare_database(database_url, snapshot_dir, tables)
    # A free port: another benchmark may be serving on a fixed one.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
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
            if server.poll() is not None:
                raise SystemExit("gunicorn did not start")
            try:
                requests.get(base + "/healthz", timeout=1)
                break
            except requests.RequestException:
                time.sleep(0.2)

        seen: set[str] = set()
        single = _single_user(base, sessions[0], cookie_name, seen, server.pid)

        def run(schedule: list[tuple[str, dict, bool]]) -> dict:
            cpu = _server_cpu(server.pid)
            figures = _load(base, sessions, cookie_name, schedule, per_user, seen)
            figures["cpu_ms"] = (_server_cpu(server.pid) - cpu) * 1000 / len(schedule)
            return figures

        # Phase 1 (fresh workers): first views spread through the run.
        spread = run(spread_schedule(filter_pool(seed=11), 10 * per_user))
        # Phase 2: 32 more unseen filters (and the 8 warmed, now repeats), opened by
        # all 10 users at once in rounds of 10 new filters.
        pool = filter_pool(seed=23)
        burst = run([pool[k % len(pool)] for k in range(10 * per_user)])
        return {"single": single, "spread": spread, "burst": burst}
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
        help="default: BENCH_DATABASE_URL, else svduty_bench on the embedded server",
    )
    args = parser.parse_args()
    import django
    from machine import database_url

    args.database_url = args.database_url or database_url("svduty_bench")

    os.environ.setdefault("DATABASE_URL", args.database_url)
    django.setup()
    from tests.factories.analysis import real_cleveland_reference

    reference = real_cleveland_reference()
    base = Path(tempfile.gettempdir()) / "svduty-bench-sna"
    base.mkdir(exist_ok=True)
    from machine import machine

    print("At start " + machine())
    folders = {}
    for n in (int(s) for s in args.sizes.split(",")):
        folders[n] = build_folder(base, n, reference)
        figures = bench_compute(folders[n])
        verdict = "OK" if figures["cold_s"] <= 2 else "OVER TARGET"
        print(
            f"SNA JSON, {n:,} incidents: cold {figures['cold_s']:.2f} s "
            f"(target <= 2 s at 5M: {verdict}); "
            f"warm median {figures['median_s']:.2f} s, max {figures['max_s']:.2f} s; "
            f"in-area records {figures['in_area']:,} {machine()}"
        )
    if not args.skip_load:
        n = min(folders)
        phases = bench_dashboard(folders[n], args.database_url)

        def line(f: dict) -> str:
            if not f["n"]:
                return "none"
            return (
                f"n={f['n']} p50 {f['p50']:.0f} ms, p95 {f['p95']:.0f} ms, "
                f"max {f['max']:.0f} ms"
            )

        titles = {
            "spread": "first views spread through the run",
            "burst": "first views in bursts (10 users open new filters at once)",
        }
        single = phases.pop("single")
        print(
            f"Dashboard at {n:,} incidents, one user alone (load average "
            + " ".join(f"{v:.2f}" for v in single["load_start"])
            + f"): cold {line(single['cold'])}; repeat {line(single['repeat'])}; "
            f"server CPU per request: cold {single['cpu_ms']['cold']:.1f} ms, "
            f"repeat {single['cpu_ms']['repeat']:.1f} ms"
        )
        for phase, figures in phases.items():
            verdict = "OK" if figures["all"]["p95"] <= 300 else "OVER TARGET"
            if figures["errors"]:
                verdict = "INVALID: some requests failed"
            print(
                f"Dashboard at {n:,} incidents, 10 users x 30 requests, "
                f"{titles[phase]}; {figures['filters']} filters "
                f"({figures['warmed_filters']} warmed after the rebuild); load average "
                + " ".join(f"{v:.2f}" for v in figures["load_start"])
                + " at start, "
                + " ".join(f"{v:.2f}" for v in figures["load_end"])
                + " at end:"
            )
            print(
                f"  all requests:  {line(figures['all'])} (p95 target 300 ms: "
                f"{verdict}); {figures['throughput_rps']:.1f} requests/s, errors "
                f"{figures['errors']}, median page {figures['median_bytes'] / 1024:.0f}"
                f" KiB; after it {machine()}"
            )
            print(
                f"  server CPU per request (gunicorn, all requests): "
                f"{figures['cpu_ms']:.1f} ms"
            )
            print(f"  cold (filters nobody had seen): {line(figures['cold'])}")
            print(f"  first view of a warmed filter:  {line(figures['warmed'])}")
            print(f"  repeat views:                   {line(figures['repeat'])}")
    print("At end " + machine())


if __name__ == "__main__":
    main()
