"""Migration sharing.0013 moves existing street rows into one partition per batch,
keeping every row and its id, and new rows take ids after them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from svduty.sharing import partitions
from svduty.sharing.models import ImportBatch, PoliceStreetRecord
from tests.factories.partnership import PartnershipFactory

BEFORE = ("sharing", "0012_batch_rows_replaced")
AFTER = ("sharing", "0013_street_partitioned_by_batch")


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


@pytest.mark.django_db(transaction=True)
def test_existing_rows_move_into_a_partition_per_batch(make_user):
    partnership = PartnershipFactory(slug="migrated", name="Migrated")
    user = make_user()
    batches = [
        ImportBatch.objects.create(
            partnership=partnership,
            kind="police_street",
            file_name=f"{n}.csv",
            sha256=f"{n:064d}",
            imported_by=user,
        )
        for n in (1, 2)
    ]
    _migrate(BEFORE)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relkind FROM pg_class WHERE relname = %s", [partitions.PARENT]
            )
            assert cursor.fetchone()[0] == "r"
            for batch, n in zip(batches, (3, 2), strict=True):
                for i in range(n):
                    cursor.execute(
                        "INSERT INTO sharing_policestreetrecord (partnership_id, "
                        "batch_id, crime_id, month, falls_within, crime_type) "
                        "VALUES (%s, %s, %s, '2022-01-01', 'Cleveland Police', "
                        "'Drugs')",
                        [partnership.pk, batch.pk, f"{batch.pk}-{i}"],
                    )
            cursor.execute("SELECT id, crime_id FROM sharing_policestreetrecord")
            before = sorted(cursor.fetchall())
    finally:
        _migrate(AFTER)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relkind FROM pg_class WHERE relname = %s", [partitions.PARENT]
        )
        assert cursor.fetchone()[0] == "p"
    attached = partitions.attached_partitions()
    assert {b.pk for b in batches} <= set(attached)
    after = sorted(PoliceStreetRecord.objects.values_list("id", "crime_id"))
    assert after == before
    assert PoliceStreetRecord.objects.filter(batch=batches[0]).count() == 3
    # New rows (here through the ORM into an existing partition) follow on.
    added = PoliceStreetRecord.objects.create(
        partnership=partnership,
        batch=batches[1],
        month="2022-02-01",
        falls_within="Cleveland Police",
        crime_type="Drugs",
    )
    assert added.pk > max(pk for pk, _ in before)
    # Deleting a batch drops its partition.
    batches[0].delete()
    assert batches[0].pk not in partitions.attached_partitions()
