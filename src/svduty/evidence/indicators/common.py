"""Helpers that give a source queryset the registry's five columns."""

from __future__ import annotations

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


def local_day(field: str) -> TruncDate:
    """The UK date of a timestamp (TruncDate uses the current time zone, London)."""
    return TruncDate(field)


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
