#!/usr/bin/env bash
# Issue 14's robustness check: the whole suite (`make test`) several times in a row on a
# fresh clone while another process keeps every core busy, so that a loaded CI machine
# cannot fail it. Usage:
#
#   scripts/stress_suite.sh [RUNS] [CLONE_DIR]     (defaults: 3, ../svduty-stress)
#
# The clone is made from this repository's HEAD beside it (so ../shared, the real open
# data, is found as in CI). The load is stress-ng with one CPU worker per core at normal
# priority (a plain busy loop per core where stress-ng is absent). It stops at the first
# failing run. For each run it prints the wall time, the exit status and the load
# average at the start and at the end; the log of each run is kept in the clone.
set -uo pipefail
RUNS="${1:-3}"
HERE="$(cd "$(dirname "$0")/.." && pwd)"
CLONE="${2:-$(dirname "$HERE")/svduty-stress}"
CORES="$(nproc)"
# As CI: the tests that measure the whole real data fail rather than skip without it.
export SVDUTY_REQUIRE_REAL_DATA=1

if [ -e "$CLONE" ]; then
  echo "$CLONE exists: remove it or name another folder (the run must start from a fresh clone)."
  exit 2
fi
git clone --quiet "$HERE" "$CLONE" || exit 2
echo "Fresh clone of $(git -C "$CLONE" rev-parse --short HEAD) in $CLONE; $CORES cores."

if command -v stress-ng >/dev/null 2>&1; then
  stress-ng --cpu "$CORES" --cpu-method matrixprod --quiet &
  LOAD_PID=$!
  echo "Load: stress-ng --cpu $CORES (pid $LOAD_PID)"
else
  # One busy loop per core, in its own process group so it is easy to stop.
  setsid bash -c "for _ in \$(seq $CORES); do (while :; do :; done) & done; wait" &
  LOAD_PID=$!
  echo "Load: $CORES busy loops (stress-ng is not installed; pid $LOAD_PID)"
fi
stop_load() { kill -- -"$LOAD_PID" 2>/dev/null || kill "$LOAD_PID" 2>/dev/null; pkill -P "$LOAD_PID" 2>/dev/null; }
trap stop_load EXIT
sleep 5

passed=0
for run in $(seq 1 "$RUNS"); do
  start=$(date +%s)
  echo "Run $run of $RUNS started $(date -u +%H:%M:%S) UTC [load $(cut -d' ' -f1-3 /proc/loadavg)]"
  (cd "$CLONE" && make test) > "$CLONE/stress-run-$run.log" 2>&1
  status=$?
  took=$(( $(date +%s) - start ))
  summary="$(grep -E '^=+ .*(passed|failed|error).* in ' "$CLONE/stress-run-$run.log" | tail -n 1)"
  echo "Run $run: exit $status after ${took} s [load $(cut -d' ' -f1-3 /proc/loadavg)] ${summary}"
  if [ $status -ne 0 ]; then
    echo "Run $run failed; its log: $CLONE/stress-run-$run.log"
    exit 1
  fi
  passed=$((passed + 1))
done
echo "All $passed runs passed in a row under load."
