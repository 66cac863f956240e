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
from collections import Counter, defaultdict
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


def reference() -> float:
    """A fixed CPU-bound job (pure Python, one core) timed before the run: on a
    quiet machine it takes about 1 s, so it shows how much the other work on
    this shared machine slows the benchmark down."""
    started = time.perf_counter()
    total = 0
    for i in range(4_000_000):
        total += (i * i) % 7
    elapsed = time.perf_counter() - started
    print(
        f"CPU reference (4 million loop steps, one core): {elapsed:.2f} s "
        f"(load average {load()})",
        flush=True,
    )
    return elapsed


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


def scale(index_size: int, incoming_size: int, threads: int, memory_limit: str) -> None:
    import multiprocessing
    import shutil
    import tempfile

    import pyarrow.parquet as pq

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
    print(
        f"generated the records in {time.perf_counter() - started:.0f} s (another "
        "process; not part of the linkage time)",
        flush=True,
    )
    t0 = time.perf_counter()
    sizes = {}
    for name in ("index", "incoming"):
        # One batch of records in Python at a time; DuckDB reads the file.
        raw = pq.ParquetFile(Path(folder) / f"{name}.parquet")
        sizes[name] = engine.prepare_to_parquet(
            (b.to_pandas() for b in raw.iter_batches(batch_size=100_000)),
            Path(folder) / f"{name}-prepared.parquet",
        )
    db_api = engine.duckdb_api(
        threads, memory_limit=memory_limit, temp_directory=folder, keep_order=False
    )
    left, right = (
        db_api.duckdb_con.read_parquet(str(Path(folder) / f"{n}-prepared.parquet"))
        for n in ("index", "incoming")
    )
    model = engine.starter_model(sizes["index"] + sizes["incoming"])
    model["link_type"] = "link_only"
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("tf_adjustment_column"):
                level["tf_adjustment_weight"] = 1.0
    prepared = time.perf_counter()
    linker = engine.make_linker(db_api, [left, right], model=model)
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
        f"total linkage time: {done - t0:.1f} s for {sizes['incoming']:,} incoming "
        f"against {sizes['index']:,} (DuckDB memory limit {memory_limit}, "
        f"{threads} threads)"
    )
    print(f"pairs kept (probability >= 0.5): {count:,}; at or above 0.95: {above:,}")
    print(f"peak memory (resident): {peak_mb():,.0f} MB")
    print(f"load average at end: {load()}")
    shutil.rmtree(folder)


def evaluate(rows, truth, pairs, accept: float, review: float):
    """Precision, recall and review share of the automatic decisions at these
    thresholds (the run's rules: most probable first, twins to review)."""
    parent = list(range(len(rows)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    in_review: set[int] = set()
    for row in pairs.itertuples(index=False):
        if row.match_probability < review:
            break
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
    true_pairs = sum(n * (n - 1) // 2 for n in Counter(truth).values())
    tp = fp = 0
    for members in clusters.values():
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                if truth[members[x]] == truth[members[y]]:
                    tp += 1
                else:
                    fp += 1
    return (
        tp / max(tp + fp, 1),
        tp / max(true_pairs, 1),
        len(review_records) / len(rows),
    )


SWEEP = ((0.99, 0.9), (0.98, 0.85), (0.975, 0.85), (0.97, 0.85), (0.96, 0.8))


def quality(size: int, accept: float | None, review: float | None) -> None:
    from svduty.linkage import engine, synthetic
    from svduty.linkage.models import LinkageSettings

    print(f"load average at start: {load()}", flush=True)
    reference()
    defaults = LinkageSettings()
    accept = accept or defaults.accept_above
    review = review or defaults.review_above
    people = synthetic.population(size, seed=11)
    rows = synthetic.all_extracts(people, seed=11)
    data = frame(rows)
    data["unique_id"] = [str(i) for i in range(len(rows))]
    truth = [r["true_id"] for r in rows]
    lowest = min([review] + [r for _, r in SWEEP])
    started = time.perf_counter()
    result = engine.run(data, threshold=lowest)
    elapsed = time.perf_counter() - started
    pairs = result.pairs.sort_values("match_probability", ascending=False)
    print(
        f"{size:,} people, {len(rows):,} records from five agencies; model "
        f"estimated and pairs scored in {elapsed:.0f} s"
    )
    print("link at >= | review at >= | precision | recall | sent to review")
    for a, r in sorted({*SWEEP, (accept, review)}, reverse=True):
        precision, recall, share = evaluate(rows, truth, pairs, a, r)
        mark = "  <- chosen" if (a, r) == (accept, review) else ""
        print(
            f"{a:>10} | {r:>12} | {precision:.4f}    | {recall:.4f} | {share:.2%}{mark}"
        )
    precision, recall, share = evaluate(rows, truth, pairs, accept, review)
    print(f"thresholds: link at >= {accept}, review at >= {review}")
    print(
        f"pairwise precision {precision:.4f}, recall {recall:.4f}; records sent "
        f"to review {share:.2%} (targets: >= 0.995, >= 0.97, <= 3%)"
    )
    print(f"load average at end: {load()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=int, default=1_000_000)
    parser.add_argument("--incoming", type=int, default=100_000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--memory-limit", default="2GB", help="DuckDB's memory limit (scale)"
    )
    parser.add_argument("--quality", type=int, help="people in the quality run")
    parser.add_argument("--accept", type=float, help="link at or above (quality)")
    parser.add_argument("--review", type=float, help="review at or above (quality)")
    options = parser.parse_args()
    _setup()
    if options.quality:
        quality(options.quality, options.accept, options.review)
    else:
        scale(options.index, options.incoming, options.threads, options.memory_limit)


if __name__ == "__main__":
    main()
