"""The test database made from a migrated template instead of by migrating.

Migrating an empty database (every app's migrations, triggers and data) takes from
half a minute on a quiet machine to several minutes on a loaded one, and every
pytest run that touches the database paid it before its first test (most of the
form fuzzer's set-up, issue 14). The first run after a change to any migration
migrates as before and then copies the result into a PostgreSQL template named by
a digest of every migration the project and its packages have
(`svduty_tpl_<digest>`); later runs create the test database from that template
(`CREATE DATABASE ... TEMPLATE`, a file copy) and Django's `migrate` then finds
nothing to do. A changed, added or removed migration changes the digest, so a
template never stands for other migrations than its own.

`SVDUTY_TEST_TEMPLATE=off` migrates every time, as before."""

from __future__ import annotations

import hashlib
import importlib
import os
from pathlib import Path

PREFIX = "svduty_tpl_"
#: Templates kept for other branches and worktrees (each has its own migrations);
#: older ones are dropped when a new one is made.
KEEP = 6


def enabled() -> bool:
    return os.environ.get("SVDUTY_TEST_TEMPLATE", "on").lower() not in (
        "0",
        "off",
        "false",
        "no",
    )


def template_name() -> str:
    """`svduty_tpl_` and a digest of every migration file Django would apply."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    digest = hashlib.sha256()
    for app_label, name in sorted(loader.disk_migrations):
        module = loader.disk_migrations[app_label, name].__module__
        digest.update(f"{app_label}.{name}:{module}\n".encode())
        source = getattr(importlib.import_module(module), "__file__", None)
        if source:
            digest.update(Path(source).read_bytes())
    return PREFIX + digest.hexdigest()[:16]


def _exists(cursor, name: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    return cursor.fetchone() is not None


def use_if_present(settings_dict: dict) -> str | None:
    """Point the test database's creation at the template when it exists; the
    template's name either way (None when templates are off)."""
    if not enabled():
        return None
    from django.db import connections

    name = template_name()
    with connections["default"]._nodb_cursor() as cursor:
        if _exists(cursor, name):
            settings_dict.setdefault("TEST", {})["TEMPLATE"] = name
    return name


def save(name: str | None, settings_dict: dict) -> None:
    """After a test database was migrated (not made from the template), copy it as
    the template for the next runs."""
    if name is None or settings_dict.get("TEST", {}).get("TEMPLATE") == name:
        return
    from django.db import connections
    from psycopg import sql

    connection = connections["default"]
    test_db = connection.settings_dict["NAME"]
    # A template is copied only while nobody is connected to it: this process's
    # own connection to the new test database is closed first.
    connection.close()
    partial = f"{name}_{os.getpid()}"
    with connection._nodb_cursor() as cursor:
        if _exists(cursor, name):  # another run made it meanwhile
            return
        cursor.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}")
            .format(sql.Identifier(partial), sql.Identifier(test_db))
            .as_string(cursor.connection)
        )
        try:
            # Whole or not at all: a run killed while copying leaves only the
            # partial name, which no run reads.
            cursor.execute(
                sql.SQL("ALTER DATABASE {} RENAME TO {}")
                .format(sql.Identifier(partial), sql.Identifier(name))
                .as_string(cursor.connection)
            )
        except Exception:
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {}")
                .format(sql.Identifier(partial))
                .as_string(cursor.connection)
            )
            return
        _prune(cursor, name)


def _prune(cursor, keep: str) -> None:
    from django.db import DatabaseError
    from psycopg import sql

    cursor.execute(
        "SELECT datname FROM pg_database WHERE datname LIKE %s ORDER BY oid DESC",
        [PREFIX.replace("_", r"\_") + "%"],
    )
    names = [row[0] for row in cursor.fetchall()]
    for old in [n for n in names if n != keep][KEEP - 1 :]:
        try:
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {}")
                .format(sql.Identifier(old))
                .as_string(cursor.connection)
            )
        except DatabaseError:
            continue  # being copied by another run right now: dropped next time
