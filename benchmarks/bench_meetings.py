"""The meeting page under load: a MACE panel with 40 agenda items (half of them
children the reader may not see), among 20,000 meetings and 100,000 people (issue
11: p95 ≤ 200 ms under 10 concurrent users; a query count that does not grow with
the number of items).

Run: ``.venv/bin/python benchmarks/bench_meetings.py [--people 100000]
[--meetings 20000] [--requests 400] [--clients 10] [--workers 2] [--threads 4]
[--modes 1,0]``

1. Creates a scratch database (``svduty_bench_meetings``) and loads the people and
   case teams exactly as ``bench_cases.py`` does (its loader is reused).
2. Bulk-loads the background meetings with COPY (invitations, five agenda items and
   a decision each), then builds one panel per user through the actions: 40 agenda
   items (20 of the user's own children, 20 they cannot see), papers, a minute
   split by child and 40 decisions, each with an action in the child's plan.
3. Counts the queries of the meeting page for a panel of 40 items and one of 5.
4. Starts gunicorn and runs ``--clients`` concurrent practitioners, each reading
   their panel's page, once per ``--modes`` entry (mean pause between requests in
   seconds). Prints p50/p95/max, queries, CPU per request and the load average.

Figures: docs/meetings.md, "Performance" (6 December 2026, plain rows: 1 s pause p95
115.8 ms, app 29.4 ms CPU per request, load average 1.40).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import signal
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_cases as base  # noqa: E402 - the shared loader and server helpers
from machine import machine  # noqa: E402 - load average and reference task

base.BENCH_DB = "svduty_bench_meetings"
base.PORT = 8766
PANEL_TITLE = "Bench panel for {username}"


def load_meetings(meetings: int, handles: dict) -> dict[int, int]:
    """Background meetings by COPY, then one 40-item panel per client by the
    actions. Returns {user id: panel id}."""
    from django.db import connection
    from django.utils import timezone

    from svduty.accounts.models import Agency, User
    from svduty.cases.models import Person
    from svduty.meetings.models import Meeting

    clients = handles["clients"]
    manager = User.objects.get(username="bench-manager")
    if Meeting.objects.filter(title__startswith="Bench panel").exists():
        print(f"Reusing the {Meeting.objects.count():,} meetings already loaded")
        return _per_user()
    rng = random.Random(11)
    council = Agency.objects.get(name="Bench Council")
    police = Agency.objects.get(name="Bench Police")
    partnership_id = Person.objects.values_list("partnership_id", flat=True).first()
    first_id, last_id = (
        Person.objects.order_by("pk").values_list("pk", flat=True).first(),
        Person.objects.order_by("-pk").values_list("pk", flat=True).first(),
    )
    today = timezone.localdate()
    now = timezone.now().isoformat()
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        raw = cursor.cursor
        base.copy_rows(
            raw,
            "meetings_meeting",
            [
                "partnership_id",
                "meeting_type",
                "title",
                "held_on",
                "location",
                "chair_id",
                "status",
                "general_minutes",
                "created_by_id",
                "created_at",
                "version",
            ],
            (
                (
                    partnership_id,
                    "mace",
                    f"Background panel {n}",
                    today - dt.timedelta(days=rng.randint(1, 1100)),
                    "",
                    manager.pk,
                    "held",
                    "",
                    manager.pk,
                    now,
                    1,
                )
                for n in range(meetings)
            ),
        )
        cursor.execute("SELECT min(id), max(id) FROM meetings_meeting")
        low, high = cursor.fetchone()
        base.copy_rows(
            raw,
            "meetings_invitation",
            ["meeting_id", "agency_id", "attendance"],
            (
                (m, agency, rng.choice(["attended", "apologies", "sent_report"]))
                for m in range(low, high + 1)
                for agency in (council.pk, police.pk)
            ),
        )
        items = [
            (m, order, rng.randint(first_id, last_id))
            for m in range(low, high + 1)
            for order in range(5)
        ]
        seen: set[tuple[int, int]] = set()
        base.copy_rows(
            raw,
            "meetings_agendaitem",
            [
                "meeting_id",
                '"order"',
                "kind",
                "person_id",
                "title",
                "triggers",
                "subject_type",
                "paper",
                "added_by_id",
                "added_at",
            ],
            (
                (m, order, "child", pid, "", "[]", "", "", manager.pk, now)
                for m, order, pid in items
                if (m, pid) not in seen and not seen.add((m, pid))
            ),
        )
        base.copy_rows(
            raw,
            "meetings_decision",
            [
                "meeting_id",
                "person_id",
                "text",
                "agreed_risk_level",
                "recorded_by_id",
                "recorded_at",
            ],
            (
                (m, pid, "Synthetic decision", "", manager.pk, now)
                for m, order, pid in items
                if order == 0
            ),
        )
        cursor.execute("SET session_replication_role = origin")
        cursor.execute("ANALYZE")
    took = time.perf_counter() - start
    print(f"Loaded {meetings:,} background meetings in {took:.0f} s")
    start = time.perf_counter()
    for index, (user, children) in enumerate(clients):
        others = clients[(index + 1) % len(clients)][1]
        _panel(manager, user, council, children[:20] + others[:20])
    took = time.perf_counter() - start
    print(f"Built {len(clients)} panels of 40 items in {took:.0f} s")
    return _per_user()


def _per_user() -> dict[int, int]:
    from svduty.accounts.models import User
    from svduty.meetings.models import Meeting

    result = {}
    for meeting in Meeting.objects.filter(title__startswith="Bench panel"):
        username = meeting.title.removeprefix("Bench panel for ")
        result[User.objects.get(username=username).pk] = meeting.pk
    return result


def _panel(manager, user, council, people_ids: list[int]) -> None:
    from django.utils import timezone

    from svduty.cases.models import Person
    from svduty.meetings import actions

    today = timezone.localdate()
    meeting = actions.schedule_meeting(
        by=manager,
        partnership=Person.objects.get(pk=people_ids[0]).partnership,
        meeting_type="mace",
        title=PANEL_TITLE.format(username=user.username),
        held_on=today,
        chair=manager,
    )
    actions.invite(by=manager, meeting=meeting, agency=council, user=user)
    children = list(Person.objects.filter(pk__in=people_ids))
    for child in children:
        actions.add_agenda_item(
            by=manager, meeting=meeting, person=child, paper=f"Briefing on {child}"
        )
    actions.record_minute(
        by=manager,
        meeting=meeting,
        heading="Children discussed",
        parts={child: f"Discussion about {child}" for child in children},
    )
    for child in children:
        actions.record_decision(
            by=manager,
            meeting=meeting,
            person=child,
            text=f"Decision about {child}",
            actions=[
                actions.ActionSpec(
                    text="Safety visit",
                    owner=manager,
                    due_on=today + dt.timedelta(days=14),
                )
            ],
        )


def query_counts(handles: dict, panels: dict[int, int]) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from svduty.meetings.models import AgendaItem, Meeting

    user, _children = handles["clients"][0]
    client = Client()
    client.force_login(user)
    small = (
        Meeting.objects.filter(
            title__startswith="Background", invitations__isnull=False
        )
        .values_list("pk", flat=True)
        .first()
    )
    print("\nQueries per page (in-process):")
    counts = []
    for pk in (panels[user.pk], small):
        url = f"/meetings/{pk}/"
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        items = AgendaItem.objects.filter(meeting_id=pk).count()
        counts.append(len(ctx.captured_queries))
        print(
            f"  meeting page ({items} agenda items){'':<18} "
            f"{len(ctx.captured_queries):>3} queries  HTTP {response.status_code}"
        )
    cpu = base.warm_cpu_ms(client, f"/meetings/{panels[user.pk]}/")
    print(
        f"  meeting page (40 agenda items): {cpu:.1f} ms CPU per request (alone, warm)"
    )
    return counts[0]


def run_load(
    handles: dict, panels: dict[int, int], per_client: int, think: float = 0.0
) -> tuple[list[float], list[str], list[str]]:
    import http.client

    timings: list[float] = []
    errors: list[str] = []
    retries: list[str] = []  # idle keep-alive connections the server had closed
    lock = threading.Lock()

    def worker(user, seed):
        rng = random.Random(seed)
        cookie = base.session_cookie(user)
        path = f"/meetings/{panels[user.pk]}/"
        conn = http.client.HTTPConnection("127.0.0.1", base.PORT, timeout=30)
        for _ in range(per_client):
            begin = time.perf_counter()
            retried = False
            try:
                status, body, retried = base.get(conn, path, cookie)
                if status == 200 and b"20 more children on the agenda" not in body:
                    status = "not filtered"
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
                timings.append(elapsed)

    threads = [
        threading.Thread(target=worker, args=(user, i))
        for i, (user, _children) in enumerate(handles["clients"])
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return timings, errors, retries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--meetings", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--modes", default="1,0")
    parser.add_argument(
        "--database", default=base.BENCH_DB, help="scratch database to (re)use"
    )
    args = parser.parse_args()
    base.BENCH_DB = args.database
    modes = [float(m) for m in args.modes.split(",")]
    started_load = base.load_average()
    print(f"Load average (1, 5, 15 min) at start: {started_load} " + machine())
    env = base.environment(base.database_url())
    base.setup_django(env)
    handles = base.load(args.people, 0)
    handles["clients"] = handles["clients"][: args.clients]
    panels = load_meetings(args.meetings, handles)
    queries = query_counts(handles, panels)
    server = base.start_server(env, args.workers, args.threads)
    results = []
    try:
        run_load(handles, panels, 3)  # warm the workers
        per_client = max(2, args.requests // len(handles["clients"]))
        for think in modes:
            before = base.cpu_snapshot(server)
            timings, errors, retries = run_load(
                handles, panels, per_client, think=think
            )
            after = base.cpu_snapshot(server)
            cpu = base.cpu_per_request(before, after, len(timings))
            # How busy the machine was during this mode (load average and the
            # reference task, benchmarks/machine.py), printed beside its figures.
            results.append((think, timings, cpu, errors, retries, machine()))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    print(
        f"\ngunicorn {args.workers} workers x {args.threads} threads, "
        f"{args.clients} concurrent users, {os.cpu_count()} CPUs"
    )
    for think, timings, cpu, errors, retries, busy in results:
        pause = f"{think:g} s pause" if think else "back-to-back"
        print(
            f"  {pause}: meeting page (40 items) p50 {statistics.median(timings):6.1f} "
            f"ms   p95 {base.percentile(timings, 95):6.1f} ms   "
            f"max {max(timings):6.1f} ms   (n={len(timings)}, {queries} queries)"
        )
        print(f"    {cpu}")
        print(
            f"    {len(errors)} errors"
            + (f", for example {errors[:3]}" if errors else "")
        )
        print(f"    {base.retried_line(len(retries))}")
        print(f"    {busy}")
    print(
        f"Load average (1, 5, 15 min): start {started_load}, end {base.load_average()}"
    )


if __name__ == "__main__":
    main()
