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
