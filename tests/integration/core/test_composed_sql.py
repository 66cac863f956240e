"""Composed SQL runs while pghistory records context (core/composedsql.py)."""

import pghistory
import pytest
from django.db import connection
from psycopg import sql

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_a_composed_statement_runs_inside_history_context():
    statement = sql.SQL("SELECT {} FROM {} WHERE {} = {}").format(
        sql.Identifier("app_label"),
        sql.Identifier("django_content_type"),
        sql.Identifier("model"),
        sql.Literal("user"),
    )
    with pghistory.context(reason="test"), connection.cursor() as cursor:
        cursor.execute(statement)
        assert cursor.fetchone() == ("accounts",)
        cursor.execute(
            sql.SQL("CREATE TEMPORARY TABLE {} (n int)").format(sql.Identifier("t"))
        )
        cursor.execute(sql.SQL("INSERT INTO {} VALUES (1)").format(sql.Identifier("t")))
        cursor.execute("SELECT count(*) FROM t")
        assert cursor.fetchone() == (1,)
