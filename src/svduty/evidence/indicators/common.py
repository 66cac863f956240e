"""Helpers that give a source queryset the registry's five columns."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import (
    BooleanField,
    Expression,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone


def columns(
    qs: QuerySet[Any, Any],
    *,
    on: Expression | F | Func,
    partnership: str,
    agency: str | None,
    person: str | None,
    hit: Any,
    value: Expression | Func | None = None,
) -> QuerySet[Any, Any]:
    if isinstance(hit, bool):
        hit_expr: Any = Value(hit, output_field=BooleanField())
    elif isinstance(hit, Q):
        hit_expr = ExpressionWrapper(hit, output_field=BooleanField())
    else:
        hit_expr = hit
    return qs.annotate(
        ev_on=on,
        ev_partnership=F(partnership),
        ev_agency=F(agency) if agency else Cast(Value(None), IntegerField()),
        ev_person=F(person) if person else Cast(Value(None), IntegerField()),
        ev_hit=hit_expr,
        ev_value=value if value is not None else Cast(Value(None), FloatField()),
    )


class LocalDay(TruncDate):
    """The UK date of a timestamp (TruncDate uses the current time zone, London),
    remembering the timestamp it is taken from, so that a filter on the day can be
    made on the timestamp itself (`in_period`)."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field_name = field


def local_day(field: str) -> LocalDay:
    """The UK date of a timestamp."""
    return LocalDay(field)


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def on_field(qs: QuerySet[Any, Any]) -> str:
    """The column that orders the records by `ev_on`: the timestamp itself where
    `ev_on` is its UK day (the same order, and the database can use an index on
    it), else `ev_on`."""
    on = qs.query.annotations.get("ev_on")
    return on.field_name if isinstance(on, LocalDay) else "ev_on"


def in_period(
    qs: QuerySet[Any, Any], start: dt.date, end: dt.date | None = None
) -> QuerySet[Any, Any]:
    """The records whose `ev_on` falls on or after `start` (and before `end`).

    Where `ev_on` is the UK day of a timestamp, the filter is on the timestamp
    between the two UK midnights (the same records): a filter on the day computed
    from it cannot use the timestamp's index and computes the day for every row."""
    field = on_field(qs)
    if field == "ev_on":
        bounds = {"ev_on__gte": start} | ({"ev_on__lt": end} if end else {})
    else:
        bounds = {f"{field}__gte": _local_midnight(start)}
        if end is not None:
            bounds[f"{field}__lt"] = _local_midnight(end)
    return qs.filter(**bounds)


class DaysBetween(Func):
    """Days (with fractions) from the first timestamp to the second."""

    template = "(EXTRACT(EPOCH FROM (%(expressions)s)) / 86400.0)"
    arg_joiner = " - "
    output_field = FloatField()

    def __init__(self, start: str, end: str) -> None:
        super().__init__(F(end), F(start))


class DateDiff(Func):
    """Whole days from the first date to the second (PostgreSQL date - date)."""

    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = FloatField()

    def __init__(self, start: str, end: str) -> None:
        super().__init__(F(end), F(start))
