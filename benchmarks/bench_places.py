"""A place's page under load: 100,000 people, 300 places with linked children,
reports, interventions and assessments (issue 11: p95 ≤ 200 ms under 10 concurrent
users; a query count that does not grow with the number of linked children).

Run: ``.venv/bin/python benchmarks/bench_places.py [--people 100000] [--places 300]
[--requests 400] [--clients 10] [--workers 2] [--threads 4] [--modes 1,0]
[--port 8767]``

1. Creates (or reuses) the scratch database ``svduty_bench_places`` with the people,
   case teams and practitioners of ``bench_cases.py`` (its loader, fewer events).
2. Bulk-loads places around Middlesbrough; each has 30 linked children from across
   the partnership (10 of them on one load-test user's case list), 20 reports, 2
   interventions and an assessment; one place has 2,000 linked children.
3. Counts the queries of a place's page with 30 and with 2,000 linked children.
4. Starts gunicorn on 127.0.0.1 and runs ``--clients`` signed-in practitioners, each
   fetching place pages (a bounded number of requests) once per ``--modes`` entry
   (the mean pause between a user's pages in seconds; 0 is back-to-back). Prints
   p50/p95/max, CPU per request and the load average at the start and end.
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

base.BENCH_DB = "svduty_bench_places"


def load_places(handles: dict, count: int) -> dict:
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    from svduty.accounts.models import User
    from svduty.cases.models import Person
    from svduty.partnership.models import Partnership
    from svduty.places.models import (
        Place,
        PlaceAssessment,
        PlaceChild,
        PlaceIntervention,
        PlaceReport,
    )

    partnership = Partnership.objects.get(slug="bench")
    places = Place.objects.filter(partnership=partnership)
    if places.count() < count:
        start = time.perf_counter()
        rng = random.Random(11)
        author = User.objects.get(username="bench0")
        now = timezone.now()
        today = timezone.localdate()
        made = Place.objects.bulk_create(
            [
                Place(
                    partnership=partnership,
                    name=f"Bench place {n}",
                    kind="park",
                    latitude=54.52 + rng.random() * 0.08,
                    longitude=-1.30 + rng.random() * 0.12,
                    risk_level=rng.choice(["low", "medium", "high"]),
                    created_by=author,
                )
                for n in range(count)
            ]
        )
        people = list(
            Person.objects.filter(partnership=partnership).values_list("pk", flat=True)
        )
        links = []
        for index, place in enumerate(made):
            client_children = handles["clients"][index % len(handles["clients"])][1]
            chosen = set(rng.sample(client_children, 10)) | set(rng.sample(people, 20))
            size = 2000 if index == 0 else 0
            chosen |= set(rng.sample(people, size))
            links += [
                PlaceChild(
                    place=place,
                    person_id=pk,
                    role="at_risk_here",
                    linked_on=today,
                    linked_by=author,
                    linked_at=now,
                )
                for pk in chosen
            ]
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")  # no history
            PlaceChild.objects.bulk_create(links, batch_size=5000)
            PlaceReport.objects.bulk_create(
                [
                    PlaceReport(
                        place=place,
                        kind=rng.choice(["incident", "intelligence"]),
                        occurred_on=today - dt.timedelta(days=rng.randint(0, 400)),
                        summary="Synthetic report " * 5,
                        recorded_by=author,
                    )
                    for place in made
                    for _ in range(20)
                ],
                batch_size=5000,
            )
            PlaceIntervention.objects.bulk_create(
                [
                    PlaceIntervention(
                        place=place,
                        kind=kind,
                        started_on=dt.date(2022, 6, 1),
                        recorded_by=author,
                    )
                    for place in made
                    for kind in ("lighting", "patrols")
                ]
            )
            PlaceAssessment.objects.bulk_create(
                [
                    PlaceAssessment(
                        place=place,
                        assessed_on=today,
                        risk_level=place.risk_level,
                        summary="Synthetic assessment",
                        recorded_by=author,
                    )
                    for place in made
                ]
            )
            cursor.execute("SET session_replication_role = origin")
            cursor.execute("ANALYZE")
        print(
            f"Loaded {count} places and {len(links):,} links "
            f"in {time.perf_counter() - start:.0f} s"
        )
    ids = list(places.order_by("pk").values_list("pk", flat=True))
    return {"big": ids[0], "places": ids[1:]}


def query_counts(handles: dict, places: dict) -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from svduty.places.models import PlaceChild

    user, _children = handles["clients"][0]
    client = Client()
    client.force_login(user)
    counts = {}
    print("\nQueries per page (in-process):")
    for label, pk in (("place page", places["places"][0]), ("big", places["big"])):
        url = f"/places/{pk}/"
        client.get(url)  # warm
        measured = []
        for _ in range(2):  # the smaller: one may include the session's save
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
            measured.append(len(ctx.captured_queries))
        links = PlaceChild.objects.filter(place_id=pk).count()
        counts[label] = min(measured)
        print(
            f"  place page ({links:,} linked children)  "
            f"{counts[label]:>3} queries  HTTP {response.status_code}"
        )
    cpu = base.warm_cpu_ms(client, f"/places/{places['places'][0]}/")
    print(f"  place page: {cpu:.1f} ms CPU per request (alone, warm)")
    return counts


def run_load(handles, places, requests_per_client: int, think: float) -> dict:
    timings: dict[str, list[float]] = {"place page": [], "places list": []}
    errors: list[str] = []
    retries: list[str] = []  # idle keep-alive connections the server had closed
    lock = threading.Lock()

    def worker(user, seed):
        rng = random.Random(seed)
        cookie = base.session_cookie(user)
        conn = http.client.HTTPConnection("127.0.0.1", base.PORT, timeout=30)
        for n in range(requests_per_client):
            kind, path = (
                ("places list", "/places/")
                if n % 5 == 4
                else ("place page", f"/places/{rng.choice(places['places'])}/")
            )
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
    timings["errors"] = errors
    timings["retries"] = retries
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--places", type=int, default=300)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--modes", default="1,0")
    parser.add_argument("--port", type=int, default=8767)
    args = parser.parse_args()
    base.PORT = args.port
    modes = [float(m) for m in args.modes.split(",")]
    started_load = base.load_average()
    print(f"Load average (1, 5, 15 min) at start: {started_load} " + machine())
    env = base.environment(base.database_url())
    base.setup_django(env)
    handles = base.load(args.people, 50_000)
    handles["clients"] = handles["clients"][: args.clients]
    places = load_places(handles, args.places)
    counts = query_counts(handles, places)
    server = base.start_server(env, args.workers, args.threads)
    results = []
    try:
        run_load(handles, places, 4, 0)  # warm the workers
        per_client = max(2, args.requests // len(handles["clients"]))
        for think in modes:
            before = base.cpu_snapshot(server)
            timings = run_load(handles, places, per_client, think)
            after = base.cpu_snapshot(server)
            errors = timings.pop("errors")
            retries = timings.pop("retries")
            requests = sum(len(v) for v in timings.values())
            # How busy the machine was during this mode (load average and the
            # reference task, benchmarks/machine.py), printed beside its figures.
            results.append(
                (
                    think,
                    timings,
                    base.cpu_per_request(before, after, requests),
                    errors,
                    retries,
                    machine(),
                )
            )
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
            if not values:  # fewer than 5 requests per user: no list pages
                continue
            print(
                f"    {kind:<12} p50 {statistics.median(values):6.1f} ms   "
                f"p95 {base.percentile(values, 95):6.1f} ms   "
                f"max {max(values):6.1f} ms   (n={len(values)})"
            )
        print(f"    {cpu}")
        print(f"    {len(errors)} errors" + (f", e.g. {errors[:3]}" if errors else ""))
        print(f"    {base.retried_line(len(retries))}")
        print(f"    {busy}")
    same = counts["place page"] == counts["big"]
    print(
        f"Queries: {counts['place page']} with about 30 linked children, "
        f"{counts['big']} with about 2,000 ({'the same' if same else 'DIFFERENT'})"
    )
    print(
        f"Load average (1, 5, 15 min): start {started_load}, end {base.load_average()}"
    )


if __name__ == "__main__":
    sys.exit(main())
