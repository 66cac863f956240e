"""The street-level table: partitioned by batch, with only the primary key
(docs/adr/0008, docs/data-model.md)."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_street_table_is_partitioned_by_batch_with_only_its_primary_key():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_partkeydef('sharing_policestreetrecord'::regclass)"
        )
        assert cursor.fetchone()[0] == "LIST (batch_id)"
        cursor.execute(
            "SELECT i.relname, pg_get_indexdef(i.oid) "
            "FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "WHERE x.indrelid = 'sharing_policestreetrecord'::regclass "
            "ORDER BY 1"
        )
        found = cursor.fetchall()
    assert [name for name, _ in found] == ["sharing_policestreetrecord_pkey"]
    assert "(batch_id, id)" in found[0][1]


def test_street_rows_have_no_row_level_foreign_key():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_constraint "
            "WHERE conrelid = 'sharing_policestreetrecord'::regclass AND contype = 'f'"
        )
        assert cursor.fetchone()[0] == 0


@pytest.mark.django_db(transaction=True)
def test_deleting_a_batch_deletes_its_street_rows_even_with_raw_sql(
    make_user, tmp_path
):
    from svduty.core.authorisation import Role
    from svduty.partnership.models import Partnership, PartnershipMember, StatutoryRole
    from svduty.sharing import partitions
    from svduty.sharing.imports import run_import
    from svduty.sharing.models import ImportBatch, PoliceStreetRecord
    from tests.factories.sharing import street_row, write_street_csv

    analyst = make_user(Role.ANALYST)
    partnership = Partnership.objects.create(slug="rows", name="Rows partnership")
    PartnershipMember.objects.create(
        partnership=partnership,
        agency=analyst.agencies.first(),
        statutory_role=StatutoryRole.SPECIFIED,
    )
    kept = run_import(
        by=analyst,
        partnership=partnership,
        kind="police_street",
        path=write_street_csv(tmp_path / "a.csv", [street_row(month="2022-01")]),
        rebuild_snapshot=False,
    )
    gone = run_import(
        by=analyst,
        partnership=partnership,
        kind="police_street",
        path=write_street_csv(tmp_path / "b.csv", [street_row(month="2022-02")] * 3),
        rebuild_snapshot=False,
    )
    assert PoliceStreetRecord.objects.filter(batch=gone).count() == 3
    assert {kept.pk, gone.pk} <= set(partitions.attached_partitions())
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM sharing_importbatch WHERE id = %s", [gone.pk])
    assert not PoliceStreetRecord.objects.filter(batch_id=gone.pk).exists()
    # Its partition went with it.
    assert gone.pk not in partitions.attached_partitions()
    assert kept.pk in partitions.attached_partitions()
    assert PoliceStreetRecord.objects.filter(batch=kept).count() == 1
    assert ImportBatch.objects.filter(pk=kept.pk).exists()
