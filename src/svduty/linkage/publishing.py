"""Publishing a staged person extract: update in place, add new, close absent.

Called by the sharing import pipeline inside its publishing transaction (the
``write`` hook of the kind's ``Target``), so the import stays all or nothing.
Records are updated rather than replaced because links, pairs and merges point
at them; a record of an agency in the file that the file no longer holds is
closed (``closed_at``), never deleted.
"""

from __future__ import annotations

from typing import Any

from psycopg import sql

from svduty.linkage.extract import OUTPUT_COLUMNS
from svduty.sharing.models import ImportBatch

TABLE = "linkage_personrecord"


def publish_extract(cursor: Any, batch: ImportBatch, stage: str) -> dict[int, int]:
    """Write the staged rows; returns {earlier batch id: records taken from it}."""
    partnership = batch.partnership_id
    names = {
        "table": sql.Identifier(TABLE),
        "stage": sql.Identifier(stage),
        "columns": sql.SQL(", ").join(map(sql.Identifier, OUTPUT_COLUMNS)),
        "matched": sql.SQL(
            "t.partnership_id = %(p)s AND t.agency_code = s.agency_code "
            "AND t.local_id = s.local_id"
        ),
        "assignments": sql.SQL(", ").join(
            sql.SQL("{} = s.{}").format(sql.Identifier(c), sql.Identifier(c))
            for c in OUTPUT_COLUMNS
        ),
    }
    cursor.execute(
        sql.SQL(
            "SELECT t.batch_id, count(*) FROM {table} t JOIN {stage} s ON {matched} "
            "WHERE t.batch_id IS NOT NULL GROUP BY t.batch_id"
        ).format(**names),
        {"p": partnership},
    )
    replaced = {row[0]: row[1] for row in cursor.fetchall()}
    cursor.execute(
        sql.SQL(
            "UPDATE {table} t SET {assignments}, batch_id = %(b)s, closed_at = NULL, "
            "updated_at = now() FROM {stage} s WHERE {matched}"
        ).format(**names),
        {"p": partnership, "b": batch.pk},
    )
    cursor.execute(
        sql.SQL(
            "INSERT INTO {table} (partnership_id, batch_id, {columns}, decision, "
            "updated_at) SELECT %(p)s, %(b)s, {columns}, '', now() FROM {stage} s "
            "WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE {matched})"
        ).format(**names),
        {"p": partnership, "b": batch.pk},
    )
    cursor.execute(
        sql.SQL(
            "UPDATE {table} t SET closed_at = now(), updated_at = now() "
            "WHERE t.partnership_id = %(p)s AND t.closed_at IS NULL "
            "AND t.agency_code IN (SELECT DISTINCT agency_code FROM {stage}) "
            "AND NOT EXISTS (SELECT 1 FROM {stage} s WHERE {matched})"
        ).format(**names),
        {"p": partnership},
    )
    return replaced
