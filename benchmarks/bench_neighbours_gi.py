"""Time the SNA hotspot pipeline on the 352 real Cleveland LSOAs.

Run: ``.venv/bin/python benchmarks/bench_neighbours_gi.py``. Prints the time to
build the 20 m-buffer neighbour lists and to compute Gi* (with the FDR
adjustment), so a change that makes hotspot maps slow shows up before users
notice. The data folder is ``../shared/data/real`` beside the repository.
"""

from __future__ import annotations

import csv
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from shapely.geometry import shape

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))

from svduty.analysis.stats.getis_ord import gi_star  # noqa: E402
from svduty.analysis.stats.neighbours import neighbour_lists  # noqa: E402

DATA = REPO_ROOT.parent / "shared" / "data" / "real" / "cleveland"
LADS = ("E06000001", "E06000002", "E06000003", "E06000004")
REPEATS = 5


def load() -> tuple[dict, Counter]:
    geometries = {}
    for lad in LADS:
        path = DATA / "boundaries" / "lsoa_by_lad" / f"{lad}.json"
        for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
            geometries[feature["properties"]["LSOA11CD"]] = shape(feature["geometry"])
    counts: Counter = Counter()
    for path in sorted((DATA / "police-street").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            counts.update(
                row["LSOA code"]
                for row in csv.DictReader(handle)
                if row["Crime type"] == "Violence and sexual offences"
            )
    return geometries, counts


def timed(func, *args):
    times = []
    result = None
    for _ in range(REPEATS):
        start = time.perf_counter()
        result = func(*args)
        times.append(time.perf_counter() - start)
    return result, statistics.median(times)


def main() -> None:
    geometries, counts = load()
    codes = sorted(geometries)
    values = [counts.get(code, 0) for code in codes]
    neighbours, t_neighbours = timed(neighbour_lists, codes, geometries)
    result, t_gi = timed(gi_star, values, neighbours)
    links = sum(len(js) for js in neighbours)
    print(f"LSOAs: {len(codes)}; neighbour links: {links}")
    print(f"neighbours (20 m buffer, STRtree): {t_neighbours * 1000:.1f} ms median")
    print(f"Gi* + BH adjustment:               {t_gi * 1000:.2f} ms median")
    print(
        f"hot spots: {result.hotspot.count('hot')}; "
        f"cold spots: {result.hotspot.count('cold')} "
        f"(violence and sexual offences, Jan-Nov 2022)"
    )


if __name__ == "__main__":
    main()
