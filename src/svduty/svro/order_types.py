"""The default order types (migration 0002's rows), restored where they are missing:
a test that empties every table (transactional tests flush the database) or a fresh
database loaded without migrations would otherwise lose the configuration rows."""

from __future__ import annotations

from importlib import import_module

from .models import OrderType


def ensure_default_types() -> None:
    migration = import_module("svduty.svro.migrations.0002_order_types")
    for values in migration.TYPES:
        fields = {key: value for key, value in values.items() if key != "code"}
        OrderType.objects.get_or_create(code=values["code"], defaults=fields)
