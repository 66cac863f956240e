"""Sign-in speed (issue 16, point 8: "sign-in 1-2 s"): each demo role signs in with
its password and lands on its home page, as a person does after `make demo`.

Run: ``.venv/bin/python benchmarks/bench_signin.py [--rounds 5] [--clients 4]``

1. Creates (or reuses) the scratch database ``svduty_bench_day`` and loads the demo
   into it the first time (shared with ``bench_day.py``).
2. Starts ``svduty serve`` on 127.0.0.1 as ``make demo`` does (production settings,
   demo mode, the demo's MFA switch), 2 workers.
3. The password hasher alone, in this process: one ``check_password`` against an
   Argon2id hash made with the production parameters (median of 20).
4. Each of the eight demo accounts signs in ``--rounds`` times, one after the other:
   GET the sign-in page, POST the name and password (the step that runs the hasher,
   axes, the audit event and the new session), GET the home page it is sent to.
   Then the same with ``--clients`` people signing in at once.
   p50/p95/max of each step and of the whole sign-in (POST + home page) are printed.

The target (issue 16): the whole sign-in well under a second (it took 1-2 s). Every
figure is printed with the load average and a fixed CPU-bound reference task timed in
the same run (``benchmarks/machine.py``).
"""

from __future__ import annotations

import argparse
import math
import os
import re
import signal
import socket
import statistics
import sys
import threading
import time
from pathlib import Path

import machine

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))
sys.path.insert(0, str(REPO_ROOT / "benchmarks"))
DB = "svduty_bench_day"
USERS = [
    "lead",
    "analyst",
    "practitioner",
    "manager",
    "svro",
    "auditor",
    "admin",
    "pcc",
]
PASSWORD = "demo-password-2026"
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def percentiles(values: list[float]) -> str:
    ordered = sorted(values)

    def at(q: float) -> float:
        return ordered[max(0, math.ceil(q * len(ordered)) - 1)]

    return (
        f"n={len(ordered)} p50 {1000 * at(0.5):.0f} ms, p95 {1000 * at(0.95):.0f} ms, "
        f"max {1000 * ordered[-1]:.0f} ms"
    )


def hasher_alone() -> float:
    from django.contrib.auth.hashers import check_password, make_password

    encoded = make_password(PASSWORD)
    times = []
    for _ in range(20):
        started = time.perf_counter()
        assert check_password(PASSWORD, encoded)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def sign_in(base: str, username: str) -> dict[str, float]:
    import requests

    session = requests.Session()
    started = time.perf_counter()
    page = session.get(base + "/accounts/login/", timeout=60)
    got = time.perf_counter()
    token = _CSRF.search(page.text)
    assert page.status_code == 200 and token, page.status_code
    posted = session.post(
        base + "/accounts/login/",
        data={
            "login": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": token.group(1),
        },
        headers={"Referer": base + "/accounts/login/"},
        allow_redirects=False,
        timeout=60,
    )
    post_done = time.perf_counter()
    assert posted.status_code == 302, (username, posted.status_code)
    home = session.get(base + posted.headers["Location"], timeout=60)
    done = time.perf_counter()
    assert home.status_code == 200, (username, home.status_code)
    assert "Sign out" in home.text, username
    return {
        "page": got - started,
        "post": post_done - got,
        "home": done - post_done,
        "sign_in": done - got,
    }


def run(base: str, rounds: int, clients: int) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {
        "page": [],
        "post": [],
        "home": [],
        "sign_in": [],
    }
    lock = threading.Lock()
    errors: list[str] = []

    def person(index: int) -> None:
        for round_ in range(rounds):
            username = USERS[(index + round_) % len(USERS)]
            try:
                figures = sign_in(base, username)
            except (AssertionError, OSError) as error:
                with lock:
                    errors.append(f"{username}: {error}")
                continue
            with lock:
                for key, value in figures.items():
                    timings[key].append(value)

    if clients == 1:
        for index in range(len(USERS)):
            person(index)
    else:
        threads = [
            threading.Thread(target=person, args=(i,)) for i in range(max(clients, 1))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    if errors:
        raise SystemExit(f"Sign-in failed: {errors[:3]}")
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    print("At start " + machine.machine(), flush=True)
    from bench_day import environment, prepare, start_server

    env = environment(machine.database_url(DB))
    env["SVDUTY_DEMO_DISABLE_MFA"] = "true"  # as `make demo` runs it
    prepare(env)
    seconds = hasher_alone()
    print(
        f"Password hasher alone (check_password, Argon2id as configured): median "
        f"{1000 * seconds:.0f} ms " + machine.machine(),
        flush=True,
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = start_server(env, port, 2)
    base = f"http://127.0.0.1:{port}"
    try:
        # Each worker's own start-up (imports, first templates) is not a sign-in.
        for username in USERS:
            sign_in(base, username)
        for label, clients in (
            ("one person at a time", 1),
            (f"{args.clients} people at once", args.clients),
        ):
            timings = run(base, args.rounds, clients)
            print(f"Sign-in, demo accounts of every role, {label}:")
            print(f"  sign-in page (GET):            {percentiles(timings['page'])}")
            print(f"  name and password (POST):      {percentiles(timings['post'])}")
            print(f"  home page after signing in:    {percentiles(timings['home'])}")
            print(
                f"  whole sign-in (POST + home):   {percentiles(timings['sign_in'])} "
                + machine.machine(),
                flush=True,
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    print("At end " + machine.machine())


if __name__ == "__main__":
    main()
