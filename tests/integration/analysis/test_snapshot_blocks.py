"""The snapshot export reads PostgreSQL's COPY output in blocks of whole rows, in a
thread, and converts each block to Parquet (issue 15, national scale): the content
does not depend on where the blocks fall, a quoted line break or comma never splits
a row, and a consumer that stops early leaves the connection usable."""

from __future__ import annotations

import threading

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from django.db import connection, transaction

from svduty.analysis import snapshot as snapshots
from svduty.analysis.snapshot import rebuild_snapshot
from svduty.core.authorisation import Role
from svduty.sharing.imports import run_import
from tests.factories.accounts import AgencyFactory
from tests.factories.partnership import MemberFactory, PartnershipFactory
from tests.factories.sharing import street_row, write_street_csv
from tests.real_data import SAMPLES, lsoa_boundaries

HARTLEPOOL = SAMPLES / lsoa_boundaries("E06000001")

#: Rows whose text holds commas, quotes and line breaks, as CSV must quote them.
AWKWARD = (
    "SELECT i, CASE i % 3 WHEN 0 THEN 'a,b' WHEN 1 THEN 'say \"hi\"' "
    "ELSE 'two' || chr(10) || 'lines' END FROM generate_series(1, 500) AS i"
)


@pytest.fixture(autouse=True)
def snapshot_dir(settings, tmp_path):
    settings.SNAPSHOT_DIR = tmp_path / "snapshots"


def blocks_of(query: str) -> list[bytes]:
    with connection.cursor() as cursor:
        return list(
            snapshots._copy_blocks(
                cursor.cursor, f"COPY ({query}) TO STDOUT WITH (FORMAT csv)", {}
            )
        )


def parse(block: bytes) -> pa.Table:
    return pacsv.read_csv(
        pa.BufferReader(block),
        read_options=pacsv.ReadOptions(column_names=["i", "text"]),
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
    )


@pytest.mark.django_db
def test_every_block_is_whole_rows_even_with_quoted_line_breaks(monkeypatch):
    monkeypatch.setattr(snapshots, "BLOCK_BYTES", 64)
    blocks = blocks_of(AWKWARD)
    assert len(blocks) > 20
    tables = [parse(block) for block in blocks]  # each block parses on its own
    whole = pa.concat_tables(tables)
    assert whole.column("i").to_pylist() == list(range(1, 501))
    assert whole.column("text").to_pylist()[:3] == ['say "hi"', "two\nlines", "a,b"]


@pytest.mark.django_db
def test_a_consumer_that_stops_early_leaves_the_connection_usable(monkeypatch):
    monkeypatch.setattr(snapshots, "BLOCK_BYTES", 64)
    monkeypatch.setattr(snapshots, "BLOCKS_AHEAD", 1)
    with transaction.atomic(), connection.cursor() as cursor:
        blocks = snapshots._copy_blocks(
            cursor.cursor, f"COPY ({AWKWARD}) TO STDOUT WITH (FORMAT csv)", {}
        )
        first = next(blocks)
        blocks.close()
        assert parse(first).num_rows > 0
        assert not [t for t in threading.enumerate() if t.name == "snapshot-copy"]
        cursor.execute("SELECT 41 + 1")
        assert cursor.fetchone() == (42,)


@pytest.mark.django_db
def test_a_failing_query_is_raised_to_the_consumer():
    with pytest.raises(Exception, match="division by zero"):
        blocks_of("SELECT 1 / (i - 3) FROM generate_series(1, 5) AS i")


def test_the_snapshot_is_the_same_whatever_the_block_size(
    make_user, monkeypatch, tmp_path
):
    agency = AgencyFactory()
    analyst = make_user(Role.ANALYST, agency=agency)
    partnership = PartnershipFactory(slug="hartlepool")
    MemberFactory(partnership=partnership, agency=agency)
    run_import(
        by=analyst,
        partnership=partnership,
        kind="lsoa_boundaries",
        path=HARTLEPOOL,
        rebuild_snapshot=False,
    )
    rows = [
        street_row(
            crime_id="" if i % 5 == 0 else f"id-{i}",
            crime_type="Anti-social behaviour" if i % 5 == 0 else "Burglary",
            lsoa="E01011949" if i % 7 else "",
            month=f"2023-{i % 12 + 1:02d}",
        )
        for i in range(300)
    ]
    run_import(
        by=analyst,
        partnership=partnership,
        kind="police_street",
        path=write_street_csv(tmp_path / "street.csv", rows),
        rebuild_snapshot=False,
    )
    whole = rebuild_snapshot(partnership)
    monkeypatch.setattr(snapshots, "BLOCK_BYTES", 200)  # a few rows per block
    pieces = rebuild_snapshot(partnership)
    assert whole.row_counts == pieces.row_counts
    assert whole.row_counts["police_street"] == 300
    assert whole.row_counts["lsoa"] > 0
    for name in snapshots.TABLES:
        assert pq.read_table(whole.path / f"{name}.parquet").equals(
            pq.read_table(pieces.path / f"{name}.parquet")
        ), name
    assert pq.ParquetFile(pieces.path / "police_street.parquet").num_row_groups > 10
    keys = pq.read_table(pieces.path / "police_street.parquet").column("record_key")
    assert keys.null_count == 60  # blank crime IDs stay blank
    assert all(len(key) == 32 for key in keys.drop_null().to_pylist())
