"""SQL composed with psycopg.sql goes to the database as text.

Statements that name tables and columns are built with ``psycopg.sql`` (identifiers
quoted, values as literals), so ruff's S608 can check every other string. But
django-pghistory, while a request or action carries history context, wraps every
statement to prepend its context variable, and it reads the statement as a str:
a ``Composed`` object there raised ``AttributeError`` in the middle of an import.

This wrapper is installed first on every connection, so it runs outermost: it
renders a composed statement to its exact text (``as_string`` against the real
connection, which quotes as the server will) before pghistory or Django see it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from psycopg import sql


def render_composed(
    execute: Callable[..., Any], statement: Any, params: Any, many: bool, context: dict
) -> Any:
    if isinstance(statement, sql.Composable):
        statement = statement.as_string(context["connection"].connection)
    return execute(statement, params, many, context)


def _install(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    if render_composed not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, render_composed)


def connect() -> None:
    connection_created.connect(_install, dispatch_uid="svduty.core.composedsql")
