"""Street rows in one partition per import batch (docs/adr/0008), against PostgreSQL:
a partition is created and attached per import, nothing is attached when an import
is rolled back, a repeated file changes nothing, and a newer file replacing a whole
batch leaves that batch's partition dropped."""

from __future__ import annotations

import logging

import pytest
from django.db import IntegrityError, connection, transaction
from psycopg import sql

from svduty.sharing import imports, partitions
from svduty.sharing.fastpath import single_write
from svduty.sharing.imports import run_import
from svduty.sharing.models import BatchStatus, ImportBatch, PoliceStreetRecord
from tests.factories.sharing import street_row, write_street_csv

pytestmark = pytest.mark.django_db


def _tables_named_like_partitions() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relname LIKE %s AND relkind = 'r' "
            "ORDER BY 1",
            [partitions.PREFIX + "%"],
        )
        return [
            row[0]
            for row in cursor.fetchall()
            if row[0].removeprefix(partitions.PREFIX).isdigit()
        ]


def _import(analyst, partnership, path):
    return run_import(
        by=analyst,
        partnership=partnership,
        kind="police_street",
        path=path,
        rebuild_snapshot=False,
    )


@pytest.mark.parametrize("route", ["single-write", "single-write-csv", "staging"])
def test_each_import_loads_its_own_partition_frozen_and_attached(
    analyst, partnership, tmp_path, monkeypatch, caplog, route
):
    monkeypatch.setattr(imports, "SINGLE_WRITE", route != "staging")
    monkeypatch.setattr(
        single_write, "BINARY", single_write.BINARY and route == "single-write"
    )
    rows = [street_row(crime_id=f"c{i}", month="2022-03") for i in range(5)]
    with caplog.at_level(logging.INFO, logger="svduty.sharing.imports"):
        batch = _import(
            analyst, partnership, write_street_csv(tmp_path / "a.csv", rows)
        )
    # Neither path declined (COPY FREEZE into the new table was accepted).
    assert "declined" not in caplog.text
    assert batch.status == BatchStatus.SUCCEEDED
    assert batch.pk in partitions.attached_partitions()
    name = partitions.partition_name(batch.pk)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_expr(c.relpartbound, c.oid) FROM pg_class c "
            "WHERE c.relname = %s",
            [name],
        )
        assert cursor.fetchone()[0] == f"FOR VALUES IN ('{batch.pk}')"
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass ORDER BY 1",
            [name],
        )
        constraints = dict(cursor.fetchall())
        assert constraints[f"{name}_pkey"] == "PRIMARY KEY (batch_id, id)"
        assert constraints[f"{name}_batch"] == f"CHECK ((batch_id = {batch.pk}))"
        # Only id keeps a default: the batch's own partnership and batch, which
        # the binary COPY leaves to the new table, went when it was attached.
        cursor.execute(
            "SELECT a.attname FROM pg_attrdef d JOIN pg_attribute a "
            "ON a.attrelid = d.adrelid AND a.attnum = d.adnum "
            "WHERE d.adrelid = %s::regclass",
            [name],
        )
        assert [row[0] for row in cursor.fetchall()] == ["id"]
        # The row of another batch cannot get into this partition.
        with pytest.raises(IntegrityError), transaction.atomic():
            cursor.execute(
                sql.SQL(
                    "INSERT INTO {} (partnership_id, batch_id, month, "
                    "falls_within, crime_type) VALUES (%s, %s, '2022-03-01', "
                    "'x', 'Drugs')"
                ).format(sql.Identifier(name)),
                [partnership.pk, batch.pk + 1],
            )
    assert PoliceStreetRecord.objects.filter(batch=batch).count() == 5
    written = PoliceStreetRecord.objects.filter(batch=batch)
    assert sorted(written.values_list("crime_id", flat=True)) == [
        f"c{i}" for i in range(5)
    ]
    assert set(written.values_list("partnership_id", flat=True)) == {partnership.pk}


def test_a_bad_row_after_rows_were_copied_attaches_nothing(
    analyst, partnership, tmp_path, monkeypatch
):
    # Small batches: several are copied into the new partition before the bad row.
    monkeypatch.setattr(single_write, "BATCH_BYTES", 1024)
    good = [street_row(crime_id=f"g{i}") for i in range(60)]
    path = write_street_csv(tmp_path / "bad.csv", [*good, street_row(month="2022-13")])
    batch = _import(analyst, partnership, path)
    assert batch.status == BatchStatus.FAILED
    assert batch.problems[0]["column"] == "Month"
    name = partitions.partition_name(batch.pk)
    assert batch.pk not in partitions.attached_partitions()
    assert name not in _tables_named_like_partitions()
    assert not PoliceStreetRecord.objects.exists()


def test_the_same_file_again_changes_nothing(analyst, partnership, tmp_path):
    path = write_street_csv(
        tmp_path / "a.csv", [street_row(crime_id=f"c{i}") for i in range(3)]
    )
    first = _import(analyst, partnership, path)
    ids = list(PoliceStreetRecord.objects.order_by("id").values_list("id", flat=True))
    again = _import(analyst, partnership, path)
    assert again.status == BatchStatus.DUPLICATE
    assert again.duplicate_of == first
    assert again.pk not in partitions.attached_partitions()
    assert partitions.partition_name(again.pk) not in _tables_named_like_partitions()
    assert first.pk in partitions.attached_partitions()
    assert (
        list(PoliceStreetRecord.objects.order_by("id").values_list("id", flat=True))
        == ids
    )


@pytest.mark.django_db(transaction=True)
def test_a_newer_file_replaces_a_batch_whose_partition_is_then_dropped(
    analyst, partnership, tmp_path
):
    old = _import(
        analyst,
        partnership,
        write_street_csv(
            tmp_path / "old.csv",
            [street_row(crime_id=f"o{i}", month="2022-01") for i in range(4)],
        ),
    )
    kept = _import(
        analyst,
        partnership,
        write_street_csv(tmp_path / "feb.csv", [street_row(month="2022-02")]),
    )
    new = _import(
        analyst,
        partnership,
        write_street_csv(
            tmp_path / "new.csv",
            [street_row(crime_id=f"n{i}", month="2022-01") for i in range(2)],
        ),
    )
    assert new.status == BatchStatus.SUCCEEDED
    old.refresh_from_db()
    assert old.superseded_by == new
    assert old.rows_replaced == 4
    assert not PoliceStreetRecord.objects.filter(batch_id=old.pk).exists()
    assert sorted(
        PoliceStreetRecord.objects.filter(batch=new).values_list("crime_id", flat=True)
    ) == ["n0", "n1"]
    # The emptied batch's partition was detached and dropped after the commit.
    attached = partitions.attached_partitions()
    assert kept.pk in attached and new.pk in attached
    assert old.pk not in attached
    assert partitions.partition_name(old.pk) not in _tables_named_like_partitions()
    assert ImportBatch.objects.filter(pk=old.pk).exists()
