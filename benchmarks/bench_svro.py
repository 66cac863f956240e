"""SVRO pages under load: 20,000 orders and 500,000 searches (issue 10: the
officer's home page, an order holder's page and the scrutiny dashboard at p95
≤ 200 ms under 10 concurrent users; queries per page that do not grow with the data).

Run: ``.venv/bin/python benchmarks/bench_svro.py [--orders 20000]
[--searches 500000] [--requests 300] [--clients 10] [--workers 2] [--threads 4]
[--modes 1,0] [--cpu-only] [--no-refresh]``

1. Creates (or reuses) the scratch database ``svduty_bench_svro`` and bulk-loads one
   force's holders, granted applications, orders (in force), initial notifications
   and searches spread over the last 12 months (COPY, triggers off for the load:
   every row is within the rules the triggers hold).
2. Counts the queries of each page and measures the app CPU of one request to each
   (in this process, best of 5 runs of 20); ``--cpu-only`` stops there.
3. Starts gunicorn, warms it with one unmeasured round of every page by every
   client, and runs ``--clients`` signed-in SVRO officers fetching the home page
   (the officer's to-do list), the orders page, a holder's page, an order's page
   and the scrutiny dashboard in turn, once
   per ``--modes`` entry (mean pause between pages in seconds). Prints p50/p95/max
   per page, CPU per request, the load average and the time of a fixed CPU-bound
   reference task beside each figure (how loaded the machine was).

Before the run it computes the scrutiny figures ahead, as the scheduled
``svduty svro_scrutiny_refresh`` does in production (the dashboard reads its
materialised summary; a filter never seen before is computed on first view).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import random
import signal
import statistics
import sys
import threading
import time

import bench_cases as base
import machine

base.BENCH_DB = "svduty_bench_svro"
PAGES = ["home", "orders", "holder", "order", "scrutiny"]


def load(orders: int, searches: int, clients: int) -> dict:
    from django.db import connection
    from django.utils import timezone

    from svduty.accounts.models import Agency, AgencyType, Membership, User
    from svduty.svro.models import Holder, Lifecycle, Order, OrderType, Search

    police, _ = Agency.objects.get_or_create(
        name="Bench Police", defaults={"agency_type": AgencyType.POLICE}
    )
    officers = []
    for n in range(clients):
        user, made = User.objects.get_or_create(
            username=f"svro-bench{n}",
            defaults={"full_name": f"Officer {n}", "roles": ["svro_officer"]},
        )
        if made:
            Membership.objects.create(user=user, agency=police, is_primary=True)
        officers.append(user)
    OrderType.objects.filter(code="svro").update(
        lifecycle=Lifecycle.NATIONAL,
        issuing_from=dt.date(2025, 4, 19),
        issuing_until=None,
    )
    svro = OrderType.objects.get(code="svro")
    if Order.objects.filter(holder__managing_force=police).count() < orders:
        start = time.perf_counter()
        rng = random.Random(342)
        today = timezone.localdate()
        now = timezone.now().isoformat()
        author = officers[0].pk
        ethnicities = ["W1"] * 8 + ["B1", "B2", "A4", "M3", "O9"]
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
            cursor.execute("SELECT coalesce(max(id), 0) FROM svro_holder")
            first = cursor.fetchone()[0] + 1
            ids = range(first, first + orders)
            base.copy_rows(
                cursor,
                "svro_holder",
                [
                    "id",
                    "managing_force_id",
                    "reference",
                    "date_of_birth",
                    "sex",
                    "ethnicity",
                    "description",
                    "created_by_id",
                    "created_at",
                    "current_name",
                ],
                (
                    (
                        i,
                        police.pk,
                        f"B{i}",
                        dt.date(1980 + i % 25, 1 + i % 12, 1 + i % 28),
                        rng.choice(["male", "male", "female"]),
                        rng.choice(ethnicities),
                        "",
                        author,
                        now,
                        f"Bench Person {i}",
                    )
                    for i in ids
                ),
            )
            base.copy_rows(
                cursor,
                "svro_application",
                [
                    "id",
                    "holder_id",
                    "order_type_id",
                    "force_id",
                    "considered_on",
                    "status",
                    "offence",
                    "offence_date",
                    "conviction_date",
                    "sentence",
                    "absolute_discharge",
                    "applicant",
                    "court",
                    "hearing_date",
                    "decided_on",
                    "reason",
                    "recorded_by_id",
                    "recorded_at",
                ],
                (
                    (
                        i,
                        i,
                        svro.pk,
                        police.pk,
                        today - dt.timedelta(days=400),
                        "granted",
                        "Possession of a bladed article",
                        today - dt.timedelta(days=500),
                        today - dt.timedelta(days=410),
                        "Community order",
                        "f",
                        "cps",
                        "Bench Crown Court",
                        today - dt.timedelta(days=380),
                        today - dt.timedelta(days=380),
                        "",
                        author,
                        now,
                    )
                    for i in ids
                ),
            )
            made_on = today - dt.timedelta(days=380)
            base.copy_rows(
                cursor,
                "svro_order",
                [
                    "id",
                    "holder_id",
                    "managing_force_id",
                    "order_type_id",
                    "application_id",
                    "issuing_area",
                    "issuing_court",
                    "made_on",
                    "on_release",
                    "takes_effect_on",
                    "period_months",
                    "expires_on",
                    "weapon_condition",
                    "necessity",
                    "explanation_given",
                    "explanation_notes",
                    "additional_requirements",
                    "version",
                    "created_by_id",
                    "created_at",
                ],
                (
                    (
                        i,
                        i,
                        police.pk,
                        svro.pk,
                        i,
                        "cleveland",
                        "Bench Crown Court",
                        made_on,
                        "f",
                        made_on,
                        24,
                        made_on + dt.timedelta(days=729),
                        "own_use",
                        "{a}",
                        "t",
                        "",
                        "{}",
                        1,
                        author,
                        now,
                    )
                    for i in ids
                ),
            )
            base.copy_rows(
                cursor,
                "svro_notification",
                [
                    "order_id",
                    "event",
                    "event_on",
                    "due_on",
                    "notified_on",
                    "station",
                    "received_by",
                    "information",
                    "advice_given",
                    "description_update",
                    "recorded_by_id",
                    "recorded_at",
                ],
                (
                    (
                        i,
                        "initial",
                        made_on,
                        made_on + dt.timedelta(days=2),
                        None if i % 50 == 0 else made_on + dt.timedelta(days=1),
                        "" if i % 50 == 0 else "Bench station",
                        "" if i % 50 == 0 else "PC 1",
                        "",
                        "t",
                        "",
                        author,
                        now,
                    )
                    for i in ids
                ),
            )
            # Some holders are searched often (the repeat-search distribution).
            heavy = list(ids)[: max(1, orders // 20)]
            base.copy_rows(
                cursor,
                "svro_search",
                [
                    "order_id",
                    "reference",
                    "force_area",
                    "officer_identifier",
                    "searched_at",
                    "latitude",
                    "longitude",
                    "location",
                    "public_place",
                    "not_public_reason",
                    "identity_method",
                    "gowisely",
                    "self_ethnicity",
                    "officer_ethnicity",
                    "age",
                    "sex",
                    "force_used",
                    "force_type",
                    "items_found",
                    "seized",
                    "outcome",
                    "arrest_offence",
                    "outcome_linked",
                    "body_worn_video",
                    "receipt_reference",
                    "recorded_by_id",
                    "recorded_at",
                ],
                (
                    (
                        order,
                        f"BS{n}",
                        "cleveland",
                        "PC 1",
                        (
                            timezone.now()
                            - dt.timedelta(minutes=rng.randint(60, 500_000))
                        ).isoformat(),
                        54.5 + rng.random() * 0.15,
                        -1.35 + rng.random() * 0.3,
                        "Bench street",
                        "t",
                        "",
                        "pnc",
                        "{grounds}",
                        rng.choice(ethnicities),
                        "white",
                        18 + n % 40,
                        "male",
                        "f",
                        "",
                        "{knife}" if n % 97 == 0 else "{}",
                        "f",
                        "arrest" if n % 97 == 0 else "nfa",
                        "Possession" if n % 97 == 0 else "",
                        "f",
                        "t",
                        "",
                        author,
                        now,
                    )
                    for n in range(searches)
                    for order in [rng.choice(heavy) if n % 3 == 0 else rng.choice(ids)]
                ),
            )
            for table in (
                "svro_holder",
                "svro_application",
                "svro_order",
                "svro_notification",
                "svro_search",
            ):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - constant names
                    f"(SELECT max(id) FROM {table}))"  # noqa: S608
                )
            cursor.execute("SET session_replication_role = origin")
            cursor.execute("ANALYZE")
        print(
            f"Loaded {orders:,} orders and {searches:,} searches in "
            f"{time.perf_counter() - start:.0f} s"
        )
    holders = list(
        Holder.objects.filter(managing_force=police).values_list("pk", flat=True)[:500]
    )
    order_ids = list(
        Order.objects.filter(holder_id__in=holders).values_list("pk", flat=True)
    )
    print(f"Searches in the database: {Search.objects.count():,}")
    return {"officers": officers, "holders": holders, "orders": order_ids}


def reference_ms() -> float:
    """A fixed CPU-bound piece of work (summing square roots in pure Python), timed
    beside each figure: on a busy shared machine it shows how much slower than usual
    everything ran."""
    import math

    begin = time.perf_counter()
    total = 0.0
    for n in range(1, 300_000):
        total += math.sqrt(n)
    return (time.perf_counter() - begin) * 1000


def warm_up() -> None:
    """What the scheduled `svduty svro_scrutiny_refresh` does in production: compute
    the dashboard's figures for every period, breakdown and force ahead."""
    from django.core.management import call_command

    begin = time.perf_counter()
    call_command("svro_scrutiny_refresh")
    print(
        f"Scrutiny figures refreshed in {time.perf_counter() - begin:.1f} s "
        f"(load average {base.load_average()})"
    )


def paths(handles: dict, rng: random.Random) -> dict[str, str]:
    return {
        "home": "/",
        "orders": "/svro/",
        "holder": f"/svro/people/{rng.choice(handles['holders'])}/",
        "order": f"/svro/orders/{rng.choice(handles['orders'])}/",
        "scrutiny": "/svro/scrutiny/",
    }


def query_counts(handles: dict) -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(handles["officers"][0])
    result = {}
    for name, path in paths(handles, random.Random(1)).items():
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        result[name] = len(queries)
    return result


def cpu_per_page(
    handles: dict, runs: int = 5, per_run: int = 20
) -> dict[str, tuple[float, float]]:
    """One request to each page, served in this process by the Django test client,
    best of `runs` runs of `per_run` requests: (app CPU ms, wall ms). The app CPU
    (`time.process_time`) is less sensitive to other work on the machine; the wall
    time adds the database's share. The same holder and order each time."""
    from django.test import Client

    client = Client()
    client.force_login(handles["officers"][0])
    result = {}
    for name, path in paths(handles, random.Random(1)).items():
        client.get(path)
        best_cpu = best_wall = float("inf")
        for _ in range(runs):
            cpu, wall = time.process_time(), time.perf_counter()
            for _ in range(per_run):
                response = client.get(path)
            best_cpu = min(best_cpu, (time.process_time() - cpu) / per_run * 1000)
            best_wall = min(best_wall, (time.perf_counter() - wall) / per_run * 1000)
            assert response.status_code == 200, (path, response.status_code)
        result[name] = (round(best_cpu, 1), round(best_wall, 1))
    return result


def run(handles: dict, requests: int, think: float) -> dict[str, list[float]]:
    """Each officer's pages on one kept-alive connection. A request sent as the
    server closes an idle connection is retried once on a new one
    (`bench_cases.get`, as a browser does); the retries are counted and printed,
    and the time measured includes them."""
    timings: dict[str, list[float]] = {page: [] for page in PAGES}
    errors: list[str] = []
    retries: list[str] = []  # idle keep-alive connections the server had closed
    lock = threading.Lock()

    def worker(user, seed):
        rng = random.Random(seed)
        cookie = base.session_cookie(user)
        conn = http.client.HTTPConnection("127.0.0.1", base.PORT, timeout=60)
        for n in range(requests):
            page = PAGES[n % len(PAGES)]
            path = paths(handles, rng)[page]
            begin = time.perf_counter()
            retried = False
            try:
                status, _body, retried = base.get(conn, path, cookie)
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                status = type(exc).__name__
            elapsed = (time.perf_counter() - begin) * 1000
            if think:
                time.sleep(rng.uniform(0.5 * think, 1.5 * think))
            with lock:
                if status != 200:
                    errors.append(f"{path}: {status}")
                if retried:
                    retries.append(path)
                timings[page].append(elapsed)

    threads = [
        threading.Thread(target=worker, args=(user, i))
        for i, user in enumerate(handles["officers"])
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        print(f"  {len(errors)} errors, e.g. {errors[:3]}")
    print(
        f"  {len(retries)} requests retried once on a new connection (the server "
        "had closed the idle keep-alive one)"
    )
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--searches", type=int, default=500_000)
    parser.add_argument("--requests", type=int, default=300, help="total per mode")
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--modes", default="1,0")
    parser.add_argument(
        "--cpu-only",
        action="store_true",
        help="load, count queries and measure CPU per page; no concurrent run",
    )
    parser.add_argument(
        "--no-refresh",
        action="store_true",
        help="keep the scrutiny figures already computed in the bench database",
    )
    args = parser.parse_args()
    env = base.environment(base.database_url())
    env["SVDUTY_DEMO_DISABLE_MFA"] = "true"
    base.setup_django(env)
    handles = load(args.orders, args.searches, args.clients)
    if not args.no_refresh:
        warm_up()
    print(f"Queries per page: {query_counts(handles)}")
    print(machine.machine())
    print(
        "One request, in process, best of 5 runs of 20 (app CPU ms, wall ms): "
        f"{cpu_per_page(handles)}"
    )
    print(machine.machine())
    if args.cpu_only:
        return
    server = base.start_server(env, args.workers, args.threads)
    try:
        # One unmeasured round of every page by every client, so that each worker
        # has loaded its templates and connections (a serving process is warm; the
        # first burst of 10 users on cold workers measured start-up, not the pages).
        run(handles, len(PAGES), 0)
        print("Warm-up: one round of every page by every user (not measured)")
        for mode in [float(m) for m in args.modes.split(",")]:
            per_client = max(len(PAGES), args.requests // args.clients)
            print(
                f"Load average before: {base.load_average()}; "
                f"reference CPU task {reference_ms():.0f} ms"
            )
            before = base.cpu_snapshot(server)
            timings = run(handles, per_client, mode)
            after = base.cpu_snapshot(server)
            total = sum(len(v) for v in timings.values())
            print(f"Mode: mean pause {mode} s, {args.clients} users, {total} requests")
            for page, values in timings.items():
                if values:
                    print(
                        f"  {page:<9} p50 {statistics.median(values):6.0f} ms  "
                        f"p95 {base.percentile(values, 95):6.0f} ms  "
                        f"max {max(values):6.0f} ms  "
                        f"(load {os.getloadavg()[0]:.2f}, "
                        f"reference {reference_ms():.0f} ms)"
                    )
            print("  " + base.cpu_per_request(before, after, total))
            print(
                f"Load average after: {base.load_average()}; "
                f"reference CPU task {reference_ms():.0f} ms"
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(__file__))
    main()
