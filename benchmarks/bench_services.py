"""A service's waiting list and the service catalogue under load: 100,000 people,
2,000 services and 200,000 referrals to them (issue 11: p95 <= 200 ms under 10
concurrent users; a query count that does not grow with the number of items).

Run: ``.venv/bin/python benchmarks/bench_services.py [--people 100000]
[--services 2000] [--referrals 200000] [--requests 400] [--clients 10]
[--workers 2] [--threads 4] [--modes 1,0] [--port 8768]``

1. Creates (or reuses) the scratch database ``svduty_bench_services`` with the people,
   case teams and practitioners of ``bench_cases.py``.
2. Bulk-loads the services and referrals in every state (waiting, started, ended);
   one service has 3,000 children waiting (a fifth of them on the load-test users'
   case lists).
3. Counts the queries of a waiting list (small and 3,000 long) and of the catalogue's
   first and last page.
4. Starts gunicorn and runs ``--clients`` signed-in practitioners fetching service
   pages and catalogue pages (including the last), once per ``--modes`` entry (mean
   pause between pages in seconds; 0 is back-to-back). Prints p50/p95/max, CPU per
   request and the load average at the start and end.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import signal
import statistics
import sys
import threading
import time

import bench_cases as base
from machine import machine

base.BENCH_DB = "svduty_bench_services"
PAGE = 25


def load_services(handles: dict, count: int, referrals: int) -> dict:
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    from svduty.accounts.models import User
    from svduty.cases.models import Person
    from svduty.partnership.models import Partnership
    from svduty.services.models import Service, ServiceReferral

    partnership = Partnership.objects.get(slug="bench")
    services = Service.objects.filter(partnership=partnership)
    if services.count() < count:
        start = time.perf_counter()
        rng = random.Random(12)
        author = User.objects.get(username="bench0")
        agency_id = author.memberships.first().agency_id
        types = ["mentoring", "therapeutic", "sport", "youth_work", "family_support"]
        made = Service.objects.bulk_create(
            [
                Service(
                    partnership=partnership,
                    name=f"Bench service {n:05}",
                    provider=f"Provider {n % 50}",
                    service_type=types[n % len(types)],
                    capacity=20,
                    created_by=author,
                )
                for n in range(count)
            ]
        )
        people = list(
            Person.objects.filter(partnership=partnership).values_list("pk", flat=True)
        )
        today = timezone.localdate()
        rows = []
        for i in range(referrals):
            person = people[i % len(people)]
            service = made[1 + (i * 7 + i // len(people)) % (count - 1)]
            referred = today - dt.timedelta(days=rng.randint(0, 700))
            state = rng.choice(["referred", "accepted", "started", "ended", "ended"])
            decided = referred + dt.timedelta(days=3) if state != "referred" else None
            started = (
                referred + dt.timedelta(days=rng.randint(5, 60))
                if state in ("started", "ended")
                else None
            )
            ended = started + dt.timedelta(days=60) if state == "ended" else None
            rows.append(
                ServiceReferral(
                    service=service,
                    person_id=person,
                    status=state,
                    referred_on=referred,
                    referred_by=author,
                    referring_agency_id=agency_id,
                    reason="Synthetic",
                    consent="child",
                    consent_recorded_on=referred,
                    decided_on=decided,
                    started_on=started,
                    ended_on=ended,
                    end_reason="completed" if ended else "",
                    outcome="met" if ended else "",
                )
            )
        mine = [pk for _user, children in handles["clients"] for pk in children]
        waiting = list(dict.fromkeys(mine[:600] + people[:3000]))[:3000]
        rows += [
            ServiceReferral(
                service=made[0],
                person_id=pk,
                status="referred",
                referred_on=today - dt.timedelta(days=rng.randint(0, 200)),
                referred_by=author,
                referring_agency_id=agency_id,
                reason="Synthetic",
                consent="child",
                consent_recorded_on=today - dt.timedelta(days=200),
            )
            for pk in waiting
        ]
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")  # no history
            ServiceReferral.objects.bulk_create(rows, batch_size=5000)
            cursor.execute("SET session_replication_role = origin")
            cursor.execute("ANALYZE")
        print(
            f"Loaded {count:,} services and {len(rows):,} referrals "
            f"in {time.perf_counter() - start:.0f} s"
        )
    ids = list(services.order_by("name", "pk").values_list("pk", flat=True))
    return {"big": ids[0], "services": ids[1:], "last_page": (len(ids) - 1) // PAGE + 1}


def query_counts(handles: dict, services: dict) -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    user, _children = handles["clients"][0]
    client = Client()
    client.force_login(user)
    counts = {}
    print("\nQueries per page (in-process):")
    pages = (
        ("service page", f"/services/{services['services'][0]}/"),
        ("big waiting list", f"/services/{services['big']}/"),
        ("catalogue page 1", "/services/"),
        ("catalogue last page", f"/services/?page={services['last_page']}"),
    )
    for label, url in pages:
        client.get(url)  # warm
        measured = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as ctx:
                begin = time.perf_counter()
                response = client.get(url)
                took = (time.perf_counter() - begin) * 1000
            measured.append(len(ctx.captured_queries))
        counts[label] = min(measured)
        print(
            f"  {label:<20} {counts[label]:>3} queries  {took:6.1f} ms  "
            f"HTTP {response.status_code}"
        )
    return counts


def run_load(handles, services, requests_per_client: int, think: float) -> dict:
    timings: dict[str, list[float]] = {
        "service page": [],
        "catalogue": [],
        "last page": [],
    }
    errors: list[str] = []
    retries: list[str] = []  # idle keep-alive connections the server had closed
    lock = threading.Lock()

    def worker(user, seed):
        rng = random.Random(seed)
        cookie = base.session_cookie(user)
        conn = http.client.HTTPConnection("127.0.0.1", base.PORT, timeout=30)
        for n in range(requests_per_client):
            if n % 5 == 3:
                kind, path = "catalogue", f"/services/?page={rng.randint(1, 20)}"
            elif n % 5 == 4:
                kind, path = "last page", f"/services/?page={services['last_page']}"
            else:
                pk = (
                    services["big"] if n % 10 == 0 else rng.choice(services["services"])
                )
                kind, path = "service page", f"/services/{pk}/"
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
                timings[kind].append(elapsed)

    threads = [
        threading.Thread(target=worker, args=(user, i))
        for i, (user, _children) in enumerate(handles["clients"])
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    timings["errors"] = errors  # type: ignore[assignment]
    timings["retries"] = retries  # type: ignore[assignment]
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--services", type=int, default=2000)
    parser.add_argument("--referrals", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--modes", default="1,0")
    parser.add_argument("--port", type=int, default=8768)
    args = parser.parse_args()
    base.PORT = args.port
    modes = [float(m) for m in args.modes.split(",")]
    started_load = base.load_average()
    print(f"Load average (1, 5, 15 min) at start: {started_load} " + machine())
    env = base.environment(base.database_url())
    base.setup_django(env)
    handles = base.load(args.people, 50_000)
    handles["clients"] = handles["clients"][: args.clients]
    services = load_services(handles, args.services, args.referrals)
    counts = query_counts(handles, services)
    server = base.start_server(env, args.workers, args.threads)
    results = []
    try:
        run_load(handles, services, 4, 0)  # warm the workers
        per_client = max(2, args.requests // len(handles["clients"]))
        for think in modes:
            before = base.cpu_snapshot(server)
            timings = run_load(handles, services, per_client, think)
            after = base.cpu_snapshot(server)
            errors = timings.pop("errors")
            retries = timings.pop("retries")
            requests = sum(len(v) for v in timings.values())
            cpu = base.cpu_per_request(before, after, requests)
            # How busy the machine was during this mode (benchmarks/machine.py).
            results.append((think, timings, cpu, errors, retries, machine()))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    print(
        f"\ngunicorn {args.workers} workers x {args.threads} threads, "
        f"{args.clients} concurrent users, {os.cpu_count()} CPUs"
    )
    for think, timings, cpu, errors, retries, busy in results:
        total = sum(len(v) for v in timings.values())
        pause = f"{think:g} s pause" if think else "back-to-back"
        print(f"  {pause}, {total} requests:")
        for kind, values in timings.items():
            print(
                f"    {kind:<12} p50 {statistics.median(values):6.1f} ms   "
                f"p95 {base.percentile(values, 95):6.1f} ms   "
                f"max {max(values):6.1f} ms   (n={len(values)})"
            )
        print(f"    {cpu}")
        print(f"    {len(errors)} errors" + (f", e.g. {errors[:3]}" if errors else ""))
        print(f"    {base.retried_line(len(retries))}")
        print(f"    {busy}")
    print(
        "Queries: service page {service page}, 3,000-long waiting list "
        "{big waiting list}, catalogue first page {catalogue page 1}, last page "
        "{catalogue last page}".format(**counts)
    )
    print(
        f"Load average (1, 5, 15 min): start {started_load}, end {base.load_average()}"
    )


if __name__ == "__main__":
    sys.exit(main())
