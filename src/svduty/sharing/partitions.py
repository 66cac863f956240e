"""Street-level rows: one partition of ``sharing_policestreetrecord`` per import batch.

Why (docs/adr/0008): a row-by-row B-tree insert and the WAL of every row were most
of the cost of writing a million rows into one big table. Each import now, inside
its publishing transaction:

1. creates ``sharing_policestreetrecord_b<batch id>``: the parent's columns and
   defaults (``id`` from the parent's sequence), no index, and
   ``CHECK (batch_id = <batch id>)``, so no other batch's row can get in;
2. loads it (the single-write path with ``COPY … (FORMAT binary, FREEZE)``, the
   batch's ``partnership_id`` and ``batch_id`` filled in by the table's defaults
   until it is attached: a table created in the same transaction is written
   frozen and, at ``wal_level = minimal``, without WAL);
3. builds its primary key ``(batch_id, id)`` once, from rows already in ``id``
   order, and attaches it to the parent. The check constraint lets ``ATTACH``
   skip its validating scan, and it takes ``SHARE UPDATE EXCLUSIVE`` on the
   parent, so readers are not blocked.

A declined or failed import rolls the transaction back, so nothing is attached and
the table it created is gone with it. Rows are only ever written by the import
pipeline; a row whose batch has no partition is refused by PostgreSQL.

A batch whose rows have all been replaced by newer files keeps an empty partition
until the publishing transaction has committed; then it is detached
``CONCURRENTLY`` (waiting for readers, never blocking them) and dropped
(:func:`drop_partitions`). Deleting a batch drops its partition (trigger of
migration ``sharing.0013``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import DatabaseError, connection, transaction
from psycopg import sql

logger = logging.getLogger(__name__)

PARENT = "sharing_policestreetrecord"
PREFIX = f"{PARENT}_b"


def partition_name(batch_id: int) -> str:
    return f"{PREFIX}{int(batch_id)}"


def create_partition(
    cursor, batch_id: int, *, partnership_id: int | None = None
) -> sql.Identifier:
    """A new, unindexed table for the batch's rows, not yet attached.

    With ``partnership_id``, ``partnership_id`` and ``batch_id`` default to the
    batch's, so a ``COPY`` need not send them with every row (the defaults go
    when the table is attached)."""
    name = sql.Identifier(partition_name(batch_id))
    cursor.execute(
        sql.SQL(
            "CREATE TABLE {name} (LIKE {parent} INCLUDING DEFAULTS, "
            "CONSTRAINT {check} CHECK (batch_id = {batch}))"
        ).format(
            name=name,
            parent=sql.Identifier(PARENT),
            check=sql.Identifier(f"{partition_name(batch_id)}_batch"),
            batch=sql.Literal(int(batch_id)),
        )
    )
    if partnership_id is not None:
        cursor.execute(
            sql.SQL(
                "ALTER TABLE {name} ALTER COLUMN batch_id SET DEFAULT {batch}, "
                "ALTER COLUMN partnership_id SET DEFAULT {partnership}"
            ).format(
                name=name,
                batch=sql.Literal(int(batch_id)),
                partnership=sql.Literal(int(partnership_id)),
            )
        )
    return name


def attach_partition(cursor, batch_id: int) -> None:
    """Index the loaded partition once and attach it to the parent."""
    name = sql.Identifier(partition_name(batch_id))
    cursor.execute(
        sql.SQL(
            "ALTER TABLE {name} ALTER COLUMN batch_id DROP DEFAULT, "
            "ALTER COLUMN partnership_id DROP DEFAULT, "
            "ADD CONSTRAINT {pkey} PRIMARY KEY (batch_id, id)"
        ).format(name=name, pkey=sql.Identifier(f"{partition_name(batch_id)}_pkey"))
    )
    cursor.execute(
        sql.SQL(
            "ALTER TABLE {parent} ATTACH PARTITION {name} FOR VALUES IN ({batch})"
        ).format(
            parent=sql.Identifier(PARENT),
            name=name,
            batch=sql.Literal(int(batch_id)),
        )
    )


def attached_partitions() -> list[int]:
    """Batch ids that have a partition attached, in order."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = %s::regclass",
            [PARENT],
        )
        names = [row[0] for row in cursor.fetchall()]
    return sorted(int(n.removeprefix(PREFIX)) for n in names if n.startswith(PREFIX))


def drop_partitions(batch_ids: Iterable[int]) -> None:
    """Detach (``CONCURRENTLY``) and drop the partitions of emptied batches.

    Called after the publishing transaction commits, in autocommit mode (``DETACH
    … CONCURRENTLY`` cannot run in a transaction). Inside a transaction (tests
    that wrap each test in one) the partitions are dropped directly. Best effort:
    an empty partition left behind costs nothing but a name, and is logged."""
    for batch_id in batch_ids:
        name = sql.Identifier(partition_name(batch_id))
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT 1 FROM pg_inherits WHERE inhrelid = to_regclass(%s)",
                    [partition_name(batch_id)],
                )
                attached = cursor.fetchone() is not None
                if attached and not connection.in_atomic_block:
                    cursor.execute(
                        sql.SQL(
                            "ALTER TABLE {parent} DETACH PARTITION {name} CONCURRENTLY"
                        ).format(parent=sql.Identifier(PARENT), name=name)
                    )
                with transaction.atomic():
                    cursor.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(name))
        except DatabaseError as error:
            logger.warning("Empty partition %s not dropped: %s", batch_id, error)
