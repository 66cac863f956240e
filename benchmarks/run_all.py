"""Run every svduty benchmark in turn and print their figures.

Each script can also be run on its own (see benchmarks/README.md). They load
synthetic data into scratch databases of their own (BENCH_DATABASE_URL, or databases
they create on the embedded PostgreSQL), so a fresh clone needs nothing set up.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = [
    ["bench_neighbours_gi.py"],
    ["bench_import.py", "--rows", "1000000"],
    ["bench_sna.py"],
    ["bench_sna_pdf.py"],
    ["bench_signin.py"],
    ["bench_national.py"],
    ["bench_cases.py"],
    ["bench_places.py"],
    ["bench_svro.py"],
    ["bench_services.py"],
    ["bench_meetings.py"],
    ["bench_evidence.py"],
    ["bench_day.py"],
    ["bench_linkage.py", "--index", "1000000", "--incoming", "100000"],
    ["bench_linkage.py", "--quality", "10000"],
]


def main() -> int:
    failed = []
    for script, *args in SCRIPTS:
        print(f"\n=== {script} {' '.join(args)} ===", flush=True)
        command = [sys.executable, str(HERE / script), *args]
        result = subprocess.run(command, check=False)
        if result.returncode != 0:
            failed.append(script)
    if failed:
        print(f"\nThese benchmarks failed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
