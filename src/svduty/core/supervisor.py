"""Run the web server and the background task worker side by side (issue 16, point 1).

`svduty serve` (and so `make demo`) must run background work with nothing else
started: an upload that waits for a worker nobody started looks like a hang. The
supervisor starts each process, restarts the worker if it stops (with a growing
pause, so a worker that cannot start does not spin), and stops everything when the
web server stops or when it is asked to stop (Ctrl+C, SIGTERM).

Where background work runs is chosen by ``SVDUTY_TASK_WORKER``:

- ``serve`` (default): `svduty serve` starts one worker beside the web server;
- ``separate``: the worker is run as its own service (`svduty task_worker`);
- ``none``: no worker; tasks run in the web process as they are enqueued.
"""

from __future__ import annotations

import signal
import subprocess  # noqa: S404 - fixed argument lists, no shell
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class TaskWorkerMode(StrEnum):
    SERVE = "serve"
    SEPARATE = "separate"
    NONE = "none"


@dataclass
class Program:
    """One supervised process. ``essential``: when it stops, everything stops."""

    name: str
    argv: Sequence[str]
    essential: bool = False
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    next_start: float = 0.0
    history: list[float] = field(default_factory=list)


class Supervisor:
    """Start programs, restart the inessential ones, stop all together."""

    def __init__(
        self,
        programs: Sequence[Program],
        *,
        say: Callable[[str], None] = print,
        poll_seconds: float = 0.2,
        max_backoff_seconds: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.programs = list(programs)
        self.say = say
        self.poll_seconds = poll_seconds
        self.max_backoff_seconds = max_backoff_seconds
        self.clock = clock
        self._stopping = False

    def _start(self, program: Program) -> None:
        program.process = subprocess.Popen(list(program.argv))  # noqa: S603
        program.history.append(self.clock())

    def request_stop(self, *_args: object) -> None:
        self._stopping = True

    def run(self) -> int:
        """Run until an essential program stops or a stop is requested; return the
        exit status (the essential program's, or 0 when asked to stop)."""
        previous = {
            sig: signal.signal(sig, self.request_stop)
            for sig in (signal.SIGINT, signal.SIGTERM)
        }
        try:
            for program in self.programs:
                self._start(program)
            return self._watch()
        finally:
            self.stop_all()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _watch(self) -> int:
        while not self._stopping:
            now = self.clock()
            for program in self.programs:
                if program.process is None:
                    if now >= program.next_start:
                        self.say(f"Starting the {program.name} again.")
                        self._start(program)
                    continue
                code = program.process.poll()
                if code is None:
                    continue
                if program.essential:
                    self.say(f"The {program.name} stopped (exit status {code}).")
                    return code
                program.process = None
                program.restarts += 1
                # Pause 1, 2, 4 … seconds between restarts, up to the maximum; a
                # worker that ran for a while before stopping starts again at once.
                started = program.history[-1] if program.history else now
                if now - started > self.max_backoff_seconds:
                    program.restarts = 1
                pause = min(self.max_backoff_seconds, 2 ** (program.restarts - 1))
                program.next_start = now + pause
                self.say(
                    f"The {program.name} stopped (exit status {code}); "
                    f"starting it again in {pause:g} s."
                )
            time.sleep(self.poll_seconds)
        return 0

    def stop_all(self, grace_seconds: float = 10.0) -> None:
        running = [p.process for p in self.programs if p.process is not None]
        for process in running:
            if process.poll() is None:
                process.terminate()
        deadline = self.clock() + grace_seconds
        for process in running:
            remaining = max(0.0, deadline - self.clock())
            try:
                process.wait(timeout=remaining)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
