"""The same linkage job on Apache Spark (Splink's Spark backend) on a local
session with small data: the pairs and weights match DuckDB's."""

from __future__ import annotations

import pandas as pd
import pytest

from svduty.linkage import engine, synthetic
from svduty.linkage.extract import checked_identifier
from svduty.linkage.spark import java_available


def _records() -> pd.DataFrame:
    people = synthetic.population(25, seed=3)
    rows = synthetic.all_extracts(people, seed=3, noise=0.5)
    data = pd.DataFrame(rows)
    for column in ("nhs_number", "upn", "pnc_id"):
        data[f"{column}_valid"] = [bool(v) or None for v in data[column]]
    data["unique_id"] = [str(i) for i in range(len(data))]
    return data


# py4j leaves its gateway sockets to the garbage collector.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore:The copy keyword is deprecated")
@pytest.mark.skipif(
    not java_available(),
    reason="Spark needs a Java runtime: install default-jre-headless (CI does)",
)
def test_spark_and_duckdb_score_the_same_pairs():
    from svduty.linkage.spark import local_session, spark_api

    records = _records()
    duck = engine.run(records, threshold=0.5)
    session = local_session(cores=2)
    try:
        spark = engine.run(records, threshold=0.5, db_api=spark_api(session))
    finally:
        session.stop()

    def pairs(result: engine.Result) -> dict[tuple[str, str], float]:
        return {
            (row.unique_id_l, row.unique_id_r): row.match_weight
            for row in result.pairs.itertuples()
        }

    on_duckdb, on_spark = pairs(duck), pairs(spark)
    assert on_duckdb  # the small population has people held by several agencies
    assert set(on_spark) == set(on_duckdb)
    for key, weight in on_duckdb.items():
        assert on_spark[key] == pytest.approx(weight, abs=0.01)
    assert spark.explanations[0][0]["comparison"] == "starting point"


def test_identifier_helper_keeps_typos():
    assert checked_identifier(lambda v: v, "") == ("", None)
