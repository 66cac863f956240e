"""Fetch the parts of a child's page in one query.

The overview shows a dozen short lists (case team, identifiers, names, addresses,
recent events, referrals, latest screening, assessments, current plan and goals,
pending access requests, recent viewers, disclosures). Asked one by one that is a
dozen round trips, each with its own planning and model building; here each list is
a JSON array in one row (`JSONB_BUILD_OBJECT` per item, `ARRAY(...)` or `JSONB_AGG`
to keep the order), and the items are turned back into model instances, so that the
template and the models' own methods (`get_…_display`, `is_overdue`, `__str__`) work
exactly as before.

Building that query with the ORM is itself expensive (hundreds of expressions to
resolve and compile: about 20 ms, more than the database takes), so `fetch_row`
compiles it once per process and variant, with a stand-in for the child's id, and
then only swaps the id in (`svduty.core.compiled`, which also writes the 13 KB
statement out once instead of having the driver parse it on every request).

Every item carries all the concrete fields of its model (as `select_related` would
give them), so no field is deferred and nothing is fetched again on access. Related
users carry only the fields the pages show (no password hash in page data).
"""

from __future__ import annotations

import decimal
import json
from dataclasses import dataclass, field

from django.contrib.postgres.aggregates import JSONBAgg
from django.contrib.postgres.expressions import ArraySubquery
from django.db import models
from django.db.models import Subquery
from django.db.models.functions import JSONObject

from svduty.accounts.models import User
from svduty.core import compiled

USER_FIELDS = ("id", "username", "full_name", "email", "job_title", "phone")


@dataclass
class Related:
    """A foreign key to fetch with each item (like `select_related`)."""

    name: str
    # Extra JSON keys on the related object: {key: expression}, copied to `attribute`
    # on the related instance (for example a user's agency names).
    extra: dict = field(default_factory=dict)
    attribute: dict = field(default_factory=dict)


def _fields(model) -> list[models.Field]:
    fields = model._meta.concrete_fields
    if model is User:  # in the model's order, as Model.from_db expects
        return [f for f in fields if f.attname in USER_FIELDS]
    return list(fields)


def _json(model, prefix: str = "", related: tuple[Related, ...] = (), **extra):
    """JSONB_BUILD_OBJECT(...) of every concrete field (and the related objects)."""
    pairs = {f.attname: models.F(prefix + f.attname) for f in _fields(model)}
    for rel in related:
        target = model._meta.get_field(rel.name).related_model
        pairs[rel.name] = _json(target, f"{prefix}{rel.name}__", **rel.extra)
    pairs.update(extra)
    return JSONObject(**pairs)


def ordered(queryset) -> tuple[str, ...]:
    return tuple(queryset.query.order_by or queryset.model._meta.ordering or ("pk",))


def items(queryset, *related: Related, limit: int | None = None, **extra):
    """An expression giving the queryset's rows as a JSON array, in its order.

    A subquery without LIMIT loses its ORDER BY in Django, so an unlimited list is
    aggregated with JSONB_AGG(... ORDER BY ...) instead of ARRAY(SELECT ...)."""
    value = _json(queryset.model, related=related, **extra)
    if limit is not None:
        return ArraySubquery(
            queryset.order_by(*ordered(queryset)).values(j=value)[:limit]
        )
    return Subquery(
        queryset.order_by()
        .annotate(_one=models.Value(1))
        .values("_one")
        .annotate(j=JSONBAgg(value, order_by=ordered(queryset)))
        .values("j")
    )


def _python(model_field, value):
    if value is None:
        return None
    if isinstance(model_field, models.DecimalField):
        return decimal.Decimal(str(value))
    if isinstance(model_field, models.JSONField):
        return value
    return model_field.to_python(value)


def instance(model, row: dict | None, *related: Related):
    """A model instance from one JSON item, as if loaded from the database."""
    if row is None:
        return None
    fields = _fields(model)
    obj = model.from_db(
        "default",
        [f.attname for f in fields],
        [_python(f, row.get(f.attname)) for f in fields],
    )
    for rel in related:
        target = model._meta.get_field(rel.name).related_model
        value = row.get(rel.name)
        child = (
            instance(target, value) if value and value.get("id") is not None else None
        )
        if child is not None:
            for key, attribute in rel.attribute.items():
                setattr(child, attribute, value.get(key))
        setattr(obj, rel.name, child)
    return obj


def instances(model, rows, *related: Related) -> list:
    return [instance(model, row, *related) for row in rows or []]


def fetch_row(build, pk: int, **variant) -> dict:
    """Run `build(pk, **variant)` (a `.values(...)` queryset giving one row) with the
    SQL compiled once per process for each variant (`svduty.core.compiled`); JSON
    columns come back decoded."""
    key = ("cases.record", build.__module__, build.__qualname__, *variant.items())
    # Prepared per database session: PostgreSQL took longer to plan this query
    # (a dozen subqueries, each on the child's id) than to run it.
    rows = compiled.run(
        key, lambda *, pk: build(pk, **variant), {"pk": pk}, prepare=True
    )
    if not rows:
        raise ValueError(f"no row for {pk}")
    return {column: _decode(value) for column, value in rows[0].items()}


def _decode(value):
    if isinstance(value, str):
        return json.loads(value)
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value
