"""How busy the machine is, printed beside every benchmark figure (issue 15).

A figure measured on a shared machine means little without the load it was measured
under. Two numbers travel with it:

- the load average (1, 5 and 15 minutes), and
- the time of a fixed CPU-bound *reference task* (pure Python, one thread, the same
  work every time), measured in the same run. When it takes twice as long as in a
  quiet run, the benchmark's own figures were measured with about half a core, so
  a figure from a busy run can be compared with one from a quiet run by that
  factor.

``database_url(name)`` gives the benchmarks a scratch database on a fresh machine:
``BENCH_DATABASE_URL`` when set, otherwise a database of that name on the embedded
PostgreSQL (started if needed, the database created if missing).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def _task() -> int:
    # A fixed integer recurrence: no allocation, no I/O, no cache effects to speak of.
    total = 0
    for i in range(600_000):
        total = (total * 31 + i) % 1_000_003
    return total


def reference_ms(repeats: int = 3) -> float:
    """Median time of the reference task, in milliseconds."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        _task()
        times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times)


def load_average() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def machine() -> str:
    """One line: CPUs, load average and the reference task's time, now."""
    return (
        f"[machine: {os.cpu_count()} CPUs, load average {load_average()}, "
        f"reference task {reference_ms():.0f} ms]"
    )


def database_url(name: str) -> str:
    """A URL for the scratch database `name` that exists (see the module doc)."""
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    sys.path.insert(0, str(REPO_ROOT / "src"))
    from svduty.config.database import _ensure_database, start_embedded_server

    host = start_embedded_server()
    _ensure_database(host, name)
    return f"postgresql://postgres@/{name}?host={host}"
