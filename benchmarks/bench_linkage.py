"""Record linkage at scale (issue 13): link incoming records against an index.

    .venv/bin/python benchmarks/bench_linkage.py --index 1000000 --incoming 100000
    .venv/bin/python benchmarks/bench_linkage.py --quality 10000

Scale: a synthetic index of N people (one record each, from the generator) and M
incoming partner records (70% of them about people in the index, with the
generator's errors). Splink on DuckDB in-process (2 threads) links them with the
shipped model (link_only, term-frequency adjustments from the data); prints the
time for each step, the candidate pairs, peak memory of the process (resident set,
which includes DuckDB) and the load average, since the machine is shared.

Quality: N synthetic people seen by five agencies; the model is estimated from the
data without labels, automatic links and the review queue are decided at the
default thresholds, and pairwise precision and recall of the resulting people
against the known truth are printed with the share of records sent to review.
Nothing touches the database.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "svduty.config.settings")


def _setup() -> None:
    import django

    os.environ.setdefault("SVDUTY_TESTING", "1")
    django.setup()


def load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def frame(rows, true_ids=None):
    import pandas as pd

    from svduty.cases.identifiers import (
        validate_nhs_number,
        validate_pnc_id,
        validate_upn,
    )
    from svduty.linkage.extract import checked_identifier

    data = pd.DataFrame(rows)
    for column, validate in (
        ("nhs_number", validate_nhs_number),
        ("upn", validate_upn),
        ("pnc_id", validate_pnc_id),
    ):
        checked = [checked_identifier(validate, v) for v in data[column]]
        data[column] = [c[0] for c in checked]
        data[f"{column}_valid"] = [c[1] for c in checked]
    return data


def _generate(index_size: int, incoming_size: int, folder: str) -> None:
    """Write the index and incoming records as Parquet (run in its own process,
    so that the peak memory printed is the linkage's, not the generator's)."""
    _setup()
    from svduty.linkage import synthetic

    people = synthetic.population(index_size + incoming_size // 3, seed=7)
    index_people = people[:index_size]
    rng = random.Random(7)
    ids = {"nhs_number": 0.6, "upn": 0.5, "pnc_id": 0.1}
    index_rows = [
        synthetic.noisy_row(rng, p, "INDEX", f"I{p.id}", "", ids, noise=0.5)
        for p in index_people
    ]
    known = rng.sample(index_people, int(incoming_size * 0.7))
    unknown = people[index_size:][: incoming_size - len(known)]
    incoming_rows = [
        synthetic.noisy_row(rng, p, "ED", f"E{n}", "", {"nhs_number": 0.8})
        for n, p in enumerate(known + unknown)
    ]
    for name, rows in (("index", index_rows), ("incoming", incoming_rows)):
        data = frame(rows)
        data["unique_id"] = [r["local_id"] for r in rows]
        data.to_parquet(Path(folder) / f"{name}.parquet")


def scale(index_size: int, incoming_size: int, threads: int) -> None:
    import multiprocessing
    import tempfile

    import pandas as pd

    from svduty.linkage import engine

    print(f"load average at start: {load()}", flush=True)
    folder = tempfile.mkdtemp(prefix="bench-linkage-")
    started = time.perf_counter()
    worker = multiprocessing.get_context("spawn").Process(
        target=_generate, args=(index_size, incoming_size, folder)
    )
    worker.start()
    worker.join()
    if worker.exitcode != 0:
        raise SystemExit("generating the synthetic records failed")
    index = pd.read_parquet(Path(folder) / "index.parquet")
    incoming = pd.read_parquet(Path(folder) / "incoming.parquet")
    print(
        f"generated {len(index):,} index and {len(incoming):,} incoming records in "
        f"{time.perf_counter() - started:.0f} s (another process; not part of the "
        "linkage time)",
        flush=True,
    )
    t0 = time.perf_counter()
    left, right = engine.prepare(index), engine.prepare(incoming)
    del index, incoming
    model = engine.starter_model(len(left) + len(right))
    model["link_type"] = "link_only"
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("tf_adjustment_column"):
                level["tf_adjustment_weight"] = 1.0
    prepared = time.perf_counter()
    linker = engine.make_linker(engine.duckdb_api(threads), [left, right], model=model)
    pairs = linker.inference.predict(
        threshold_match_probability=0.5, warning_mode="never"
    )
    count, above = linker._db_api._con.execute(
        "SELECT count(*), count(*) FILTER (WHERE match_probability >= 0.95) "
        f"FROM {pairs.physical_name}"
    ).fetchall()[0]
    done = time.perf_counter()
    print(f"prepare (standardise names, dates, postcodes): {prepared - t0:.1f} s")
    print(f"block, compare and score with Splink/DuckDB:   {done - prepared:.1f} s")
    print(
        f"total linkage time: {done - t0:.1f} s for {len(right):,} incoming "
        f"against {len(left):,}"
    )
    print(f"pairs kept (probability >= 0.5): {count:,}; at or above 0.95: {above:,}")
    print(f"peak memory (resident): {peak_mb():,.0f} MB")
    print(f"load average at end: {load()}")
    for name in ("index", "incoming"):
        (Path(folder) / f"{name}.parquet").unlink()
    Path(folder).rmdir()


def quality(size: int, accept: float | None, review: float | None) -> None:
    from svduty.linkage import engine, synthetic
    from svduty.linkage.models import LinkageSettings

    print(f"load average at start: {load()}", flush=True)
    defaults = LinkageSettings()
    accept = accept or defaults.accept_above
    review = review or defaults.review_above
    people = synthetic.population(size, seed=11)
    rows = synthetic.all_extracts(people, seed=11)
    data = frame(rows)
    data["unique_id"] = [str(i) for i in range(len(rows))]
    truth = [r["true_id"] for r in rows]
    started = time.perf_counter()
    result = engine.run(data, threshold=review)
    elapsed = time.perf_counter() - started
    parent = list(range(len(rows)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    pairs = result.pairs.sort_values("match_probability", ascending=False)
    in_review: set[int] = set()
    for row in pairs.itertuples(index=False):
        a, b = int(row.unique_id_l), int(row.unique_id_r)
        if row.match_probability >= accept and not row.possible_twin:
            parent[find(a)] = find(b)
        else:
            in_review.update((a, b))
    clusters = defaultdict(list)
    for i in range(len(rows)):
        clusters[find(i)].append(i)
    linked = {i for members in clusters.values() if len(members) > 1 for i in members}
    review_records = in_review - linked
    true_pairs = sum(
        n * (n - 1) // 2 for n in __import__("collections").Counter(truth).values()
    )
    tp = fp = 0
    for members in clusters.values():
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                if truth[members[x]] == truth[members[y]]:
                    tp += 1
                else:
                    fp += 1
    print(
        f"{size:,} people, {len(rows):,} records from five agencies; model "
        f"estimated and pairs scored in {elapsed:.0f} s"
    )
    print(f"thresholds: link at >= {accept}, review at >= {review}")
    print(
        f"pairwise precision {tp / max(tp + fp, 1):.4f}, recall "
        f"{tp / max(true_pairs, 1):.4f}; records sent to review "
        f"{len(review_records) / len(rows):.2%}"
    )
    print(f"load average at end: {load()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=int, default=1_000_000)
    parser.add_argument("--incoming", type=int, default=100_000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--quality", type=int, help="people in the quality run")
    parser.add_argument("--accept", type=float, help="link at or above (quality)")
    parser.add_argument("--review", type=float, help="review at or above (quality)")
    options = parser.parse_args()
    _setup()
    if options.quality:
        quality(options.quality, options.accept, options.review)
    else:
        scale(options.index, options.incoming, options.threads)


if __name__ == "__main__":
    main()
