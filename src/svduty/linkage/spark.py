"""Splink's Spark backend: the same model and job on Apache Spark for data beyond
one machine. Locally this starts a Spark session in-process (needs Java); on a
cluster, point ``SPARK_REMOTE`` or the usual Spark configuration at it."""

from __future__ import annotations

import shutil
from typing import Any


class JavaMissing(RuntimeError):
    pass


def java_available() -> bool:
    return shutil.which("java") is not None


def local_session(cores: int = 2) -> Any:
    if not java_available():
        raise JavaMissing(
            "Spark needs a Java runtime (for example Debian's default-jre-headless)."
        )
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    return (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("svduty-linkage")
        # Splink's string-similarity functions, from the jar in its own package
        # (nothing is downloaded).
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.shuffle.partitions", str(cores))
        .config("spark.default.parallelism", str(cores))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )


def spark_api(session: Any | None = None) -> Any:
    from splink import SparkAPI

    session = session or local_session()
    return SparkAPI(
        spark_session=session,
        num_partitions_on_repartition=2,
        break_lineage_method="persist",
    )
