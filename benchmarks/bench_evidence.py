"""The 21-outcome page and one indicator's drill-down under load: 100,000 people and
2,000,000 events (issue 12: the outcomes page p95 <= 500 ms under 10 concurrent
users, precomputed where needed and showing when; one indicator's drill-down
<= 200 ms).

Run: ``.venv/bin/python benchmarks/bench_evidence.py [--people 100000]
[--events 2000000] [--referrals 100000] [--requests 300] [--clients 10]
[--workers 2] [--threads 4] [--port 8769] [--no-load]``

1. Creates (or reuses) the scratch database ``svduty_bench_evidence`` with the people,
   case teams, practitioners and chronology events of ``bench_cases.py``, then
   bulk-loads ``--referrals`` referrals over the last 13 months from three agencies.
2. Times the refresh (``refresh_evidence``: every indicator over the partnership,
   one aggregate query per indicator) and counts the queries of the outcomes page,
   an indicator's page and a drill-down.
3. Starts gunicorn and runs ``--clients`` signed-in partnership leads fetching the
   outcomes page, an indicator page and a drill-down (a month of referrals, the
   latest 200 listed). Prints p50/p95/max, CPU per request, the load average at
   start and end and the time of the fixed CPU-bound reference task
   (``machine.py``) before and after.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import signal
import statistics
import sys
import threading
import time

import bench_cases as base
from machine import machine

base.BENCH_DB = "svduty_bench_evidence"


def load_evidence(count: int) -> dict:
    import datetime as dt

    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.db import connection
    from django.utils import timezone

    from svduty.accounts.models import Agency, Membership, User
    from svduty.cases.models import Person, Referral
    from svduty.core.authorisation import Role
    from svduty.partnership.models import Partnership, PartnershipMember

    partnership = Partnership.objects.get(slug="bench")
    council = Agency.objects.get(name="Bench Council")
    school, _ = Agency.objects.get_or_create(
        name="Bench School", defaults={"agency_type": "education"}
    )
    PartnershipMember.objects.get_or_create(
        partnership=partnership, agency=school, defaults={"statutory_role": "relevant"}
    )
    leads = []
    for i in range(10):
        user, made = User.objects.get_or_create(
            username=f"bench-lead{i}",
            defaults={
                "full_name": f"Bench Lead {i}",
                "roles": [Role.PARTNERSHIP_LEAD.value],
                "password": "!",
            },
        )
        if made:
            Membership.objects.create(user=user, agency=council, is_primary=True)
        # Partnership leads must use MFA: give them TOTP so that the requirement
        # is met exactly as in production (as bench_cases.py does).
        if not Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).exists():
            TOTP.activate(user, generate_totp_secret())
        leads.append(user)
    existing = Referral.objects.filter(partnership=partnership).count()
    if existing < count:
        start = time.perf_counter()
        rng = random.Random(21)
        people = list(
            Person.objects.filter(partnership=partnership).values_list("pk", flat=True)
        )
        police = Agency.objects.get(name="Bench Police")
        agencies = [council, police, school]
        now = timezone.now()
        rows = []
        for i in range(count - existing):
            received = now - dt.timedelta(days=rng.randint(0, 395), hours=i % 24)
            decided = (
                received + dt.timedelta(hours=rng.randint(2, 72))
                if rng.random() < 0.9 and received < now - dt.timedelta(days=3)
                else None
            )
            rows.append(
                Referral(
                    person_id=people[(i * 7919) % len(people)],
                    partnership=partnership,
                    referred_by=leads[0],
                    referrer_agency=agencies[i % 3],
                    received_at=received,
                    reasons=["weapon_carrying"],
                    urgency="standard",
                    what_is_known="Synthetic",
                    decision_due_on=timezone.localtime(received).date()
                    + dt.timedelta(days=1),
                    outcome="assessment" if decided else "",
                    decided_at=decided,
                    decided_by=leads[0] if decided else None,
                )
            )
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")  # no history
            Referral.objects.bulk_create(rows, batch_size=5000)
            cursor.execute("SET session_replication_role = origin")
            # As autovacuum leaves a live table: statistics and the visibility map
            # (index-only scans), so that plans are those of production.
            cursor.execute("VACUUM ANALYZE")
        print(
            f"Loaded {count - existing:,} referrals in "
            f"{time.perf_counter() - start:.0f} s"
        )
    return {"partnership": partnership, "leads": leads}


def refresh(handles: dict) -> float:
    from svduty.evidence.actions import refresh_figures

    begin = time.perf_counter()
    run = refresh_figures(by=None, partnership=handles["partnership"])
    took = time.perf_counter() - begin
    print(
        f"\nRefresh of every indicator: {took:.1f} s ({run.rows:,} figures, "
        f"{run.indicators} indicators)"
    )
    return took


def pages(handles: dict) -> dict[str, str]:
    from django.utils import timezone

    pk = handles["partnership"].pk
    month = f"{timezone.localdate():%Y-%m}"
    return {
        "outcomes": f"/evidence/?partnership={pk}",
        "indicator": f"/evidence/indicators/referral-decided-in-time/?partnership={pk}",
        "drill-down": f"/evidence/indicators/referral-decided-in-time/records/"
        f"?partnership={pk}&month={month}",
    }


def query_counts(handles: dict, urls: dict[str, str]) -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(handles["leads"][0])
    counts = {}
    print(
        "\nQueries per page (in-process, one partnership lead, warm; CPU is the "
        "median of 7 single requests in this process, and the mean of the database "
        "connection serving them)"
    )
    for label, url in urls.items():
        client.get(url)  # warm
        with CaptureQueriesContext(connection) as ctx:
            begin = time.perf_counter()
            response = client.get(url)
            took = (time.perf_counter() - begin) * 1000
        counts[label] = len(ctx.captured_queries)
        app, database = single_request_cpu(client, url)
        print(
            f"  {label:<12} {counts[label]:>3} queries  {took:7.1f} ms  "
            f"CPU app {app:6.1f} ms, database {database:6.1f} ms  "
            f"HTTP {response.status_code}"
        )
    named_drill_down(urls["drill-down"], "this month so far")
    named_drill_down(previous_month(urls["drill-down"]), "last month, a whole month")
    return counts


def single_request_cpu(client, url: str, times: int = 7) -> tuple[float, float]:
    """CPU milliseconds of one request: this process (the view, templates, the
    driver; median) and the database backend serving this connection (Linux /proc,
    counted in 10 ms ticks: the mean over the requests)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    app, database = [], []
    for _ in range(times):
        db_before = base._cpu_seconds(backend)
        before = time.process_time()
        client.get(url)
        app.append((time.process_time() - before) * 1000)
        database.append((base._cpu_seconds(backend) - db_before) * 1000)
    return statistics.median(app), statistics.fmean(database)


def previous_month(url: str) -> str:
    from django.utils import timezone

    from svduty.evidence import figures

    this = timezone.localdate().replace(day=1)
    return url.replace(
        f"month={this:%Y-%m}", f"month={figures.add_months(this, -1):%Y-%m}"
    )


def named_drill_down(url: str, label: str) -> None:
    """The drill-down as a team manager (`bench-manager` of bench_cases.py), whose
    list names the children they may see (`Person.objects.visible_to`): the load
    test's partnership leads see counts only. In-process, one user, median of 5."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from svduty.accounts.models import User

    manager = User.objects.filter(username="bench-manager").first()
    if manager is None:
        return
    client = Client()
    client.force_login(manager)
    client.get(url)  # warm
    took = []
    for _ in range(5):
        with CaptureQueriesContext(connection) as ctx:
            begin = time.perf_counter()
            response = client.get(url)
            took.append((time.perf_counter() - begin) * 1000)
    page = response.content.decode()
    named = page.count('href="/children/')
    found = re.search(r'<p class="govuk-body">(\d+) referral', page)
    records = found.group(1) if found else "?"
    print(
        f"  drill-down as a team manager (names the children they may see), "
        f"{label}, {records} referrals: {len(ctx.captured_queries)} queries, "
        f"median {statistics.median(took):.1f} ms of 5, HTTP {response.status_code}, "
        f"{named} links to children"
    )


def run_load(handles: dict, urls: dict[str, str], per_client: int) -> dict:
    timings: dict[str, list[float]] = {label: [] for label in urls}
    errors: list[str] = []
    retries: list[str] = []  # idle keep-alive connections the server had closed
    lock = threading.Lock()
    order = ["outcomes", "outcomes", "indicator", "drill-down"]

    def worker(user, seed):
        rng = random.Random(seed)
        cookie = base.session_cookie(user)
        conn = http.client.HTTPConnection("127.0.0.1", base.PORT, timeout=60)
        for n in range(per_client):
            label = order[(n + seed) % len(order)]
            begin = time.perf_counter()
            retried = False
            try:
                status, _body, retried = base.get(conn, urls[label], cookie)
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                status = type(exc).__name__
            elapsed = (time.perf_counter() - begin) * 1000
            time.sleep(rng.uniform(0, 0.05))
            with lock:
                if status != 200:
                    errors.append(f"{label}: {status}")
                if retried:
                    retries.append(label)
                timings[label].append(elapsed)

    threads = [
        threading.Thread(target=worker, args=(user, i))
        for i, user in enumerate(handles["leads"])
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
    parser.add_argument("--events", type=int, default=2_000_000)
    parser.add_argument("--referrals", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=8769)
    parser.add_argument(
        "--no-load",
        action="store_true",
        help="stop after the in-process figures (queries and CPU of one request)",
    )
    args = parser.parse_args()
    base.PORT = args.port
    print(f"At start: {machine()}")
    env = base.environment(base.database_url())
    base.setup_django(env)
    base.load(args.people, args.events)
    handles = load_evidence(args.referrals)
    handles["leads"] = handles["leads"][: args.clients]
    refresh(handles)
    urls = pages(handles)
    counts = query_counts(handles, urls)
    if args.no_load:
        print(f"At end: {machine()}")
        return
    server = base.start_server(env, args.workers, args.threads)
    try:
        run_load(handles, urls, 3)  # warm the workers
        per_client = max(4, args.requests // len(handles["leads"]))
        before = base.cpu_snapshot(server)
        timings = run_load(handles, urls, per_client)
        after = base.cpu_snapshot(server)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    errors = timings.pop("errors")
    retries = timings.pop("retries")
    total = sum(len(v) for v in timings.values())
    print(
        f"\ngunicorn {args.workers} workers x {args.threads} threads, "
        f"{len(handles['leads'])} concurrent partnership leads, {total} requests, "
        f"{os.cpu_count()} CPUs"
    )
    for label, values in timings.items():
        print(
            f"  {label:<12} p50 {statistics.median(values):7.1f} ms   "
            f"p95 {base.percentile(values, 95):7.1f} ms   "
            f"max {max(values):7.1f} ms   (n={len(values)})"
        )
    print(f"  {base.cpu_per_request(before, after, total)}")
    print(f"  {len(errors)} errors" + (f", e.g. {errors[:3]}" if errors else ""))
    print(f"  {base.retried_line(len(retries))}")
    print(
        f"Queries: outcomes page {counts['outcomes']}, indicator page "
        f"{counts['indicator']}, drill-down {counts['drill-down']}"
    )
    print("Targets (issue 12): outcomes page p95 <= 500 ms; drill-down <= 200 ms")
    print(f"At end: {machine()}")


if __name__ == "__main__":
    sys.exit(main())
