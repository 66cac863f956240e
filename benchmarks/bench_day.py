"""A day's use under load (issue 14, build 6): simulated users of every role browse
the demo installation through `svduty serve`, as they would through the menus.

Run: ``.venv/bin/python benchmarks/bench_day.py [--users 50] [--minutes 3]
[--think 1.0] [--workers 2] [--port 8771] [--seed 14]``

1. Creates (or reuses) the scratch database ``svduty_bench_day`` and loads the demo
   into it (``svduty demo``) the first time.
2. Starts ``svduty serve`` (production settings apart from demo mode's static files;
   MFA, auditing and the policy layer as in production; its task worker too).
3. Signs in ``--users`` simulated users spread over the demo's accounts of every role
   (practitioners most, as in a real partnership) and lets each walk the service for
   ``--minutes``: it opens its home page, then follows a link it was shown (never
   signing out, downloading or changing anything), with a pause of about ``--think``
   seconds, returning home every ten pages. The walk is seeded, so two runs ask for
   the same pages in the same order per user.
4. Prints, per page (by its URL name), the number of requests and p50/p95/p99, then
   overall figures and the error rate: a 5xx or a failed connection is an error; a
   4xx on a link the service itself showed is counted apart (it should not happen).
   The load average and the reference task's time are printed at the start and end
   (benchmarks/machine.py).

The target (issue 14): p95 <= 300 ms and no errors at 50 concurrent users.
"""

from __future__ import annotations

import argparse
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


def sessions(users: int) -> list[tuple[str, str]]:
    """(role, session cookie) for each simulated user, over the demo's accounts."""
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
        client.force_login(accounts[n % len(accounts)])
        result.append((role, client.cookies["sessionid"].value))
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


def walk(port, role, cookie, seed, until, think, record) -> None:
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    path, links, n = "/", [], 0
    while time.monotonic() < until:
        begin = time.perf_counter()
        try:
            conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
            response = conn.getresponse()
            body = response.read().decode("utf-8", "replace")
            status: int | str = response.status
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            body, status = "", type(exc).__name__
        record(role, path, status, (time.perf_counter() - begin) * 1000)
        if status == 200:
            found = [unescape(h) for h in HREF.findall(body)]
            links = [h for h in found if not SKIP.search(h) and h != path] or links
        n += 1
        path = "/" if n % 10 == 0 or not links else rng.choice(links)
        time.sleep(rng.uniform(0.5 * think, 1.5 * think))


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
    args = parser.parse_args()
    print("At start:", machine.machine(), flush=True)
    env = environment(machine.database_url(DB))
    prepare(env)
    users = sessions(args.users)
    server = start_server(env, args.port, args.workers)
    timings: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    refused: list[str] = []
    lock = threading.Lock()

    def record(role, path, status, ms):
        with lock:
            timings[page_name(path)].append(ms)
            timings["(all pages)"].append(ms)
            if not isinstance(status, int) or status >= 500:
                errors.append(f"{role} {path}: {status}")
            elif status >= 400:
                refused.append(f"{role} {path}: {status}")

    try:
        # Warm the workers (imports, caches) before measuring.
        warm_until = time.monotonic() + 20
        walk(args.port, "warm", users[0][1], 0, warm_until, 0, lambda *a: None)
        until = time.monotonic() + 60 * args.minutes
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
                ),
            )
            for i, (role, cookie) in enumerate(users)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    total = len(timings["(all pages)"])
    roles = defaultdict(int)
    for role, _ in users:
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
    rate = 100 * len(errors) / total if total else 0.0
    print(f"  errors (5xx or no answer): {len(errors)} ({rate:.2f}%)", end="")
    print(f", e.g. {errors[:3]}" if errors else "")
    print(f"  4xx on links the service showed: {len(refused)}", end="")
    print(f", e.g. {refused[:3]}" if refused else "")
    print("At end:", machine.machine())


if __name__ == "__main__":
    main()
