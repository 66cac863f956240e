"""Children-at-risk pages under load: the case list and the child's page with
100,000 people and 2,000,000 chronology events (issue 4: p95 ≤ 150 ms under 10
concurrent users; query counts that do not grow with list or chronology size).

Run: ``.venv/bin/python benchmarks/bench_cases.py [--people 100000] [--events 2000000]
[--requests 400] [--clients 10] [--workers 2] [--threads 4] [--modes 1,0]``

1. Creates a scratch database (``svduty_bench_cases``) on the embedded PostgreSQL
   (or the server in ``BENCH_DATABASE_URL``) and migrates it.
2. Bulk-loads synthetic people, case teams and events with COPY (row-history
   triggers are skipped for the load only: they would double the rows written and
   measure nothing about reads), then ANALYZE.
3. Counts the queries each page makes, in-process, for a child with a handful of
   events and for one with 5,000, and for case lists of 40 and of 400 children.
   Then the CPU one warm request to each page costs this process, fetched alone
   (mean of 30): other load on the machine hardly changes it, so it is the figure
   to compare before and after a change.
4. Starts gunicorn on 127.0.0.1 (``--workers`` × ``--threads``) and runs ``--clients``
   concurrent signed-in practitioners, each fetching its case list and its
   children's pages (a bounded number of requests), once per ``--modes`` entry: the
   mean pause between a user's requests in seconds (1: people reading the page; 0:
   back-to-back, which saturates the server). Prints p50/p95/max per page and mode,
   the queries per page, and the load average at the start and end (other work on
   the machine inflates the figures; the load average says how much).
"""

from __future__ import annotations

import argparse
import http.client
import io
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))
sys.path.insert(0, str(REPO_ROOT / "benchmarks"))
BENCH_DB = "svduty_bench_cases"
PORT = int(os.environ.get("BENCH_PORT", "8765"))
FIRST = ["Alex", "Bailey", "Casey", "Dani", "Eden", "Frankie", "Jordan", "Kai", "Riley"]
LAST_START = ["Demo", "Sample", "Mock", "Fictio", "Testa", "Example"]
LAST_END = ["wood", "field", "ley", "worth", "by", "ton", "ridge"]
CATEGORIES = [
    "police_contact",
    "missing_education",
    "exclusion",
    "ed_attendance",
    "contact",
]


def database_url() -> str:
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    from svduty.config.database import _ensure_database, start_embedded_server

    host = start_embedded_server()
    _ensure_database(host, BENCH_DB)
    return f"postgresql://postgres@/{BENCH_DB}?host={host}"


def environment(url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="svduty.config.settings",
        SVDUTY_SECRET_KEY="benchmark-only-secret-key-" + "x" * 40,
        SVDUTY_SECURE="false",
        # Demo mode serves static files without a collectstatic manifest; otherwise
        # the settings are production's (DEBUG off, MFA required, audit on).
        SVDUTY_DEMO="true",
        SVDUTY_LOG_LEVEL="ERROR",
        PYTHONPATH=str(REPO_ROOT / "src"),
    )
    return env


def setup_django(env: dict) -> None:
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def copy_rows(cursor, table: str, columns: list[str], rows) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
    buffer.seek(0)
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        while chunk := buffer.read(1 << 20):
            copy.write(chunk)


def load(people: int, events: int) -> dict:
    """Returns the users and children the load test uses."""
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    from svduty.accounts.models import Agency, Membership, User
    from svduty.cases.models import Person
    from svduty.cases.rules import soundex
    from svduty.core.authorisation import Role
    from svduty.partnership.models import Partnership, PartnershipMember

    held = Person.objects.count()
    if held >= people:
        print(f"Reusing the {held:,} people already loaded")
        return _handles()
    if held:
        # A smaller earlier run's data cannot be topped up (its users and agencies
        # would be made twice): say so instead of failing on a duplicate name.
        raise SystemExit(
            f"The scratch database {connection.settings_dict['NAME']} holds {held:,} "
            f"people from an earlier, smaller run, fewer than the {people:,} asked "
            f"for. Ask for at most {held:,}, or drop that database and run again."
        )
    rng = random.Random(4)
    council, _ = Agency.objects.get_or_create(
        name="Bench Council", defaults={"agency_type": "local_authority"}
    )
    police, _ = Agency.objects.get_or_create(
        name="Bench Police", defaults={"agency_type": "police"}
    )
    partnership, _ = Partnership.objects.get_or_create(
        slug="bench", defaults={"name": "Bench Partnership"}
    )
    for agency in (council, police):
        PartnershipMember.objects.get_or_create(
            partnership=partnership,
            agency=agency,
            defaults={"statutory_role": "specified"},
        )
    # One practitioner per 40 children; the first one also leads a child with a
    # 5,000-event chronology and a manager oversees the whole council.
    practitioners = people // 40
    start = time.perf_counter()
    users = [
        User(
            username=f"bench{i}",
            full_name=f"Bench Practitioner {i}",
            email=f"bench{i}@example.invalid",
            roles=[Role.PRACTITIONER.value],
            password="!",
        )
        for i in range(practitioners)
    ]
    User.objects.bulk_create(users, batch_size=5000)
    User.objects.create(
        username="bench-manager",
        full_name="Bench Manager",
        roles=[Role.TEAM_MANAGER.value],
        password="!",
    )
    ids = list(
        User.objects.filter(username__startswith="bench").values_list("pk", flat=True)
    )
    Membership.objects.bulk_create(
        [Membership(user_id=i, agency=council, is_primary=True) for i in ids],
        batch_size=5000,
    )
    user_ids = [
        u
        for u in User.objects.filter(username__regex=r"^bench[0-9]+$")
        .order_by("pk")
        .values_list("pk", flat=True)
    ]
    now = timezone.now()
    today = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(
            "SET session_replication_role = replica"
        )  # skip history triggers
        raw = cursor.cursor
        first_id = None
        person_cols = [
            "partnership_id",
            "kind",
            "first_name",
            "last_name",
            "preferred_name",
            "date_of_birth",
            "date_of_birth_estimated",
            "sex",
            "gender",
            "ethnicity",
            "languages",
            "disability",
            "learning_disability",
            "sen_status",
            "legal_status",
            "education_setting",
            "is_restricted",
            "restricted_reason",
            "risk_level",
            "risk_level_on",
            "has_current_plan",
            "next_due_on",
            "last_event_at",
            "lead_professional_id",
            "last_name_key",
            "first_name_key",
            "created_at",
            "created_by_id",
            "updated_at",
            "version",
        ]

        def person_rows():
            for n in range(people):
                first = rng.choice(FIRST)
                last = rng.choice(LAST_START) + rng.choice(LAST_END)
                lead = user_ids[n // 40 % len(user_ids)]
                risk = rng.choice(["", "low", "medium", "high"])
                yield (
                    partnership.pk,
                    "child",
                    first,
                    last,
                    "",
                    today - dt.timedelta(days=rng.randint(3650, 6500)),
                    "f",
                    rng.choice(["female", "male"]),
                    "",
                    "not_stated",
                    "",
                    "",
                    "f",
                    "not_known",
                    "none",
                    "",
                    "f",
                    "",
                    risk,
                    today if risk else None,
                    rng.choice(["t", "f"]),
                    today + dt.timedelta(days=rng.randint(-20, 60)),
                    now.isoformat(),
                    lead,
                    soundex(last),
                    soundex(first),
                    now.isoformat(),
                    lead,
                    now.isoformat(),
                    1,
                )

        copy_rows(raw, "cases_person", person_cols, person_rows())
        cursor.execute("SELECT min(id), max(id) FROM cases_person")
        first_id, last_id = cursor.fetchone()
        person_ids = range(first_id, last_id + 1)
        copy_rows(
            raw,
            "cases_caseteammember",
            ["person_id", "user_id", "agency_id", "role", "added_by_id", "added_at"],
            (
                (
                    pid,
                    user_ids[(pid - first_id) // 40 % len(user_ids)],
                    council.pk,
                    "lead",
                    user_ids[(pid - first_id) // 40 % len(user_ids)],
                    now.isoformat(),
                )
                for pid in person_ids
            ),
        )
        big_child = first_id  # on bench0's list
        event_cols = [
            "person_id",
            "occurred_at",
            "category",
            "significance",
            "agency_id",
            "summary",
            "detail",
            "source_reference",
            "decision",
            "decision_on",
            "recorded_by_id",
            "recorded_at",
            "source_type",
            "source_id",
        ]

        def event_rows():
            for n in range(events):
                pid = big_child if n < 5000 else rng.randint(first_id, last_id)
                when = now - dt.timedelta(minutes=rng.randint(1, 60 * 24 * 900))
                yield (
                    pid,
                    when.isoformat(),
                    rng.choice(CATEGORIES),
                    rng.choice(["low", "medium", "high"]),
                    police.pk if n % 2 else council.pk,
                    f"Synthetic event {n}",
                    "",
                    "",
                    "",
                    None,
                    user_ids[0],
                    now.isoformat(),
                    "",
                    None,
                )

        copy_rows(raw, "cases_event", event_cols, event_rows())
        cursor.execute("SET session_replication_role = origin")
        cursor.execute("ANALYZE")
    # The manager sees the council's cases; give the bench users TOTP so that the
    # MFA requirement is met exactly as in production.
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    for user in User.objects.filter(
        username__in=[f"bench{i}" for i in range(10)] + ["bench-manager"]
    ):
        TOTP.activate(user, generate_totp_secret())
    print(
        f"Loaded {people:,} people and {events:,} events "
        f"in {time.perf_counter() - start:.0f} s"
    )
    return _handles()


def _handles() -> dict:
    from svduty.accounts.models import User
    from svduty.cases.models import CaseTeamMember

    clients = []
    for i in range(10):
        user = User.objects.get(username=f"bench{i}")
        children = list(
            CaseTeamMember.objects.filter(user=user).values_list("person_id", flat=True)
        )
        clients.append((user, children))
    return {"clients": clients}


def query_counts(handles) -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from svduty.accounts.models import User
    from svduty.cases.models import Event

    user, children = handles["clients"][0]
    client = Client()
    client.force_login(user)
    big = max(children, key=lambda pk: Event.objects.filter(person_id=pk).count())
    small = min(children, key=lambda pk: Event.objects.filter(person_id=pk).count())
    print("\nQueries per page (in-process):")
    counts = {}
    for kind, label, url in (
        ("case list", "case list (40 children)", "/children/"),
        (
            "child's page",
            f"child's page ({Event.objects.filter(person_id=small).count()} events)",
            f"/children/{small}/",
        ),
        (
            "child's page (big)",
            f"child's page ({Event.objects.filter(person_id=big).count()} events)",
            f"/children/{big}/",
        ),
        (
            "chronology",
            "chronology, first page (5,000 events)",
            f"/children/{big}/chronology/",
        ),
    ):
        client.get(url)  # warm
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        counts[kind] = len(ctx.captured_queries)
        print(
            f"  {label:<45} {len(ctx.captured_queries):>3} queries  "
            f"HTTP {response.status_code}"
        )
    manager = User.objects.get(username="bench-manager")
    client.force_login(manager)
    client.get("/children/?view=team")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/children/?view=team")
    label = "manager's list (every child in the agency)"
    print(
        f"  {label:<45} {len(ctx.captured_queries):>3} queries  "
        f"HTTP {response.status_code}"
    )
    return counts


def in_process_cpu(handles) -> dict[str, float]:
    """CPU milliseconds of one warm request to each page, fetched alone in this
    process (`warm_cpu_ms`, mean of 30): the figure to compare between runs on a
    machine whose load changes."""
    from django.test import Client

    user, children = handles["clients"][0]
    client = Client()
    client.force_login(user)
    figures = {
        "case list": warm_cpu_ms(client, "/children/", 30),
        "child's page": warm_cpu_ms(client, f"/children/{children[0]}/", 30),
    }
    print(
        "In-process CPU per warm request (one at a time, mean of 30): "
        + ", ".join(f"{kind} {ms:.1f} ms" for kind, ms in figures.items())
    )
    return figures


def session_cookie(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def warm_cpu_ms(client, url: str, requests: int = 10) -> float:
    """CPU milliseconds one request costs this process, the page fetched alone and
    warm (mean of `requests`). Unlike a latency under load, this hardly changes
    with how busy the machine is, so it is the figure to compare between runs."""
    client.get(url)
    began = time.process_time()
    for _ in range(requests):
        client.get(url)
    return (time.process_time() - began) * 1000 / requests


#: How a reused keep-alive connection fails when the server has just closed it.
CLOSED_BY_SERVER = (
    ConnectionResetError,
    BrokenPipeError,
    http.client.RemoteDisconnected,
)


def send(
    conn: http.client.HTTPConnection,
    method: str,
    path: str,
    headers: dict[str, str],
    body: str | None = None,
) -> tuple[http.client.HTTPResponse, bytes, bool]:
    """Send a request on a kept-alive connection, as a browser does: gunicorn closes
    a connection idle for longer than its keep-alive (2 s); a user thread that
    pauses 1.5 s and then waits for the CPU on a busy machine can send its next
    request just as the server closes the socket, which the client sees as
    ConnectionResetError (or RemoteDisconnected, BrokenPipeError). That is not a
    failed request: a client sends it again once on a new connection (RFC 9110
    9.2.2; browsers do so for any request that failed this way on a reused
    connection before any answer came back), and the time measured includes the
    retry. A failure on a new connection is raised. Returns (response, its body,
    retried): count the retries and print them beside the figures. The one helper
    for every benchmark's HTTP client (bench_meetings, bench_places, bench_services,
    bench_evidence, bench_day)."""
    reused = conn.sock is not None
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response, response.read(), False
    except CLOSED_BY_SERVER:
        if not reused:
            raise
        conn.close()
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    return response, response.read(), True


def get(
    conn: http.client.HTTPConnection, path: str, cookie: str
) -> tuple[int, bytes, bool]:
    """GET `path` as the user of session `cookie`, retried once as `send` says.
    Returns (status, body, retried)."""
    headers = {"Cookie": f"sessionid={cookie}", "Host": "127.0.0.1"}
    response, body, retried = send(conn, "GET", path, headers)
    return response.status, body, retried


def retried_line(retried: int) -> str:
    """How many requests `send` sent again, as every benchmark prints it."""
    return (
        f"{retried} requests retried on a new connection (the server had closed the "
        "idle keep-alive one; timed with the retry)"
    )


def start_server(env: dict, workers: int, threads: int) -> subprocess.Popen:
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    try:  # another server on the port would answer the health check instead
        http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).connect()
    except OSError:
        pass
    else:
        raise RuntimeError(f"port {PORT} is in use; is another benchmark running?")
    process = subprocess.Popen(
        [
            gunicorn,
            "svduty.config.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--log-level",
            "warning",
        ],
        env=env,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=1)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            return process
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def run_load(
    handles, requests_per_client: int, think: float = 0.0
) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {"case list": [], "child's page": []}
    errors: list[str] = []
    lock = threading.Lock()

    def worker(user, children, seed):
        rng = random.Random(seed)
        cookie = session_cookie(user)
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        for n in range(requests_per_client):
            kind, path = (
                ("case list", "/children/")
                if n % 2 == 0
                else ("child's page", f"/children/{rng.choice(children)}/")
            )
            begin = time.perf_counter()
            try:
                status, _body, _retried = get(conn, path, cookie)
            except (OSError, http.client.HTTPException) as exc:
                conn.close()  # counted as an error; the next request reconnects
                status = type(exc).__name__
            elapsed = (time.perf_counter() - begin) * 1000
            if think:
                time.sleep(rng.uniform(0.5 * think, 1.5 * think))
            with lock:
                if status != 200:
                    errors.append(f"{path}: {status}")
                timings[kind].append(elapsed)

    threads = [
        threading.Thread(target=worker, args=(user, children, i))
        for i, (user, children) in enumerate(handles["clients"])
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    timings["errors"] = errors
    return timings


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_snapshot(server: subprocess.Popen) -> dict[str, dict[int, float]]:
    """CPU seconds used so far by the gunicorn processes and by the database's
    connections to the benchmark database (Linux /proc; empty elsewhere)."""
    from django.db import connection

    app = [server.pid]
    for task in Path(f"/proc/{server.pid}/task").glob("*/children"):
        app += [int(c) for c in task.read_text().split()]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        database = [row[0] for row in cursor.fetchall()]
    return {
        "app": {pid: _cpu_seconds(pid) for pid in app},
        "database": {pid: _cpu_seconds(pid) for pid in database},
    }


def cpu_per_request(before, after, requests: int) -> str:
    used = {
        side: sum(
            after[side].get(pid, 0) - before[side].get(pid, 0) for pid in after[side]
        )
        for side in ("app", "database")
    }
    return (
        f"CPU per request: app {used['app'] / requests * 1000:.1f} ms, "
        f"database {used['database'] / requests * 1000:.1f} ms"
    )


def load_average() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=2_000_000)
    parser.add_argument(
        "--requests", type=int, default=400, help="total requests per mode"
    )
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--threads", type=int, default=4, help="gunicorn threads per worker"
    )
    parser.add_argument(
        "--modes",
        default="1,0",
        help="comma-separated mean seconds a user waits between pages (0: "
        "back-to-back requests, which saturates the server)",
    )
    args = parser.parse_args()
    modes = [float(m) for m in args.modes.split(",")]
    started_load = load_average()
    from machine import machine

    print(f"Load average (1, 5, 15 min) at start: {started_load} " + machine())
    env = environment(database_url())
    setup_django(env)
    handles = load(args.people, args.events)
    handles["clients"] = handles["clients"][: args.clients]
    counts = query_counts(handles)
    in_process_cpu(handles)
    server = start_server(env, args.workers, args.threads)
    results = []
    try:
        run_load(handles, 4)  # warm the workers
        per_client = max(2, args.requests // len(handles["clients"]))
        for think in modes:
            before = cpu_snapshot(server)
            timings = run_load(handles, per_client, think=think)
            after = cpu_snapshot(server)
            errors = timings.pop("errors")
            requests = sum(len(v) for v in timings.values())
            cpu = cpu_per_request(before, after, requests)
            results.append((think, timings, cpu, errors))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    print(
        f"\ngunicorn {args.workers} workers x {args.threads} threads, "
        f"{args.clients} concurrent users, {os.cpu_count()} CPUs"
    )
    for think, timings, cpu, errors in results:
        total = sum(len(v) for v in timings.values())
        pause = f"{think:g} s pause" if think else "back-to-back"
        print(f"  {pause}, {total} requests:")
        for kind, values in timings.items():
            print(
                f"    {kind:<14} p50 {statistics.median(values):6.1f} ms   "
                f"p95 {percentile(values, 95):6.1f} ms   "
                f"max {max(values):6.1f} ms   (n={len(values)}, "
                f"{counts.get(kind, 0)} queries)"
            )
        print(f"    {cpu} (both pages together)")
        print(
            f"    {len(errors)} errors"
            + (f", for example {errors[:3]}" if errors else "")
        )
    print(
        f"Load average (1, 5, 15 min): start {started_load}, end {load_average()} "
        + machine()
    )


if __name__ == "__main__":
    main()
