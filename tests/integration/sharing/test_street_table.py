"""The street-level table keeps only the indexes docs/data-model.md documents."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_street_table_has_only_the_primary_key_and_a_brin_on_batch():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.relname, a.amname, pg_get_indexdef(i.oid) "
            "FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "JOIN pg_am a ON a.oid = i.relam "
            "WHERE x.indrelid = 'sharing_policestreetrecord'::regclass "
            "ORDER BY 1"
        )
        found = cursor.fetchall()
    assert [(name, method) for name, method, _ in found] == [
        ("sharing_pol_batch_brin", "brin"),
        ("sharing_policestreetrecord_pkey", "btree"),
    ]
    assert "(batch_id)" in found[0][2]
    assert "pages_per_range='16'" in found[0][2]


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
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM sharing_importbatch WHERE id = %s", [gone.pk])
    assert not PoliceStreetRecord.objects.filter(batch_id=gone.pk).exists()
    assert PoliceStreetRecord.objects.filter(batch=kept).count() == 1
    assert ImportBatch.objects.filter(pk=kept.pk).exists()
