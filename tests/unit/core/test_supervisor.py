"""The supervisor inside `svduty serve`: the worker is restarted when it stops, and
everything stops with the web server (issue 16, point 1)."""

from __future__ import annotations

import sys
from pathlib import Path

from svduty.core.supervisor import Program, Supervisor

# Each child waits for a condition (never a fixed sleep) with a generous deadline.
WAIT_FOR_LINES = """
import sys, time
path, wanted, code = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
deadline = time.monotonic() + 300
while time.monotonic() < deadline:
    try:
        if len(open(path).read().splitlines()) >= wanted:
            sys.exit(code)
    except FileNotFoundError:
        pass
    time.sleep(0.05)
sys.exit(99)
"""
APPEND_LINE_AND_EXIT = """
import sys
with open(sys.argv[1], "a") as f:
    f.write("started\\n")
"""
APPEND_LINE_AND_WAIT = """
import sys, time
with open(sys.argv[1], "a") as f:
    f.write("started\\n")
time.sleep(600)
"""


def _python(script: str, *args: object) -> list[str]:
    return [sys.executable, "-c", script, *map(str, args)]


def test_worker_that_stops_is_started_again_and_web_server_exit_ends_all(
    tmp_path: Path,
):
    log = tmp_path / "worker.log"
    said: list[str] = []
    supervisor = Supervisor(
        [
            # The web server stops once the worker has been started three times.
            Program("web server", _python(WAIT_FOR_LINES, log, 3, 3), essential=True),
            Program("worker", _python(APPEND_LINE_AND_EXIT, log)),
        ],
        say=said.append,
        max_backoff_seconds=0.1,
    )
    assert supervisor.run() == 3
    assert len(log.read_text().splitlines()) >= 3
    assert any("starting it again" in line for line in said)
    assert "The web server stopped (exit status 3)." in said


def test_stopping_the_supervisor_stops_a_worker_that_is_still_running(
    tmp_path: Path,
):
    log = tmp_path / "worker.log"
    worker = Program("worker", _python(APPEND_LINE_AND_WAIT, log))
    web = Program("web server", _python(WAIT_FOR_LINES, log, 1, 0), essential=True)
    supervisor = Supervisor([web, worker], say=lambda _text: None)
    assert supervisor.run() == 0
    # The worker was still sleeping: the supervisor ended it on the way out.
    assert worker.process is not None and worker.process.poll() is not None
