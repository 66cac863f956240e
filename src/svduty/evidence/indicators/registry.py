"""One registry of every indicator the platform measures for the 21 outcomes.

Each indicator declares, in one place, its outcome, plain-words definition, numerator,
denominator, source app and the records it counts. `records(partnership_ids)` returns
those records as a queryset annotated with the same five columns, so that the
precomputed figures, the trends, the breakdowns and the drill-down all count exactly
the same rows:

- `ev_on` (date): the day that puts the record in a month;
- `ev_partnership` (id): the partnership (the area) it belongs to;
- `ev_agency` (id or None): the agency it is counted against;
- `ev_person` (id or None): the child, for the drill-down;
- `ev_hit` (bool): in the numerator;
- `ev_value` (number or None): for averages, the value averaged (days).

A `weighted` indicator counts records that each carry counts (a supervision return:
practitioners and how many were supervised): they also annotate `ev_den` and `ev_num`
(integers), and the figures sum those instead of counting rows.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import QuerySet


class Kind(StrEnum):
    RATE = "rate"  # numerator / denominator, as a percentage
    MEAN = "mean"  # sum of ev_value / denominator (for example days)
    COUNT = "count"  # the number of records


Records = Callable[[Collection[int]], QuerySet[Any, Any]]
#: Narrows the records to those the user may see named (the drill-down).
Scope = Callable[[QuerySet[Any, Any], Any], QuerySet[Any, Any]]
#: The page of one record in the drill-down, from its row (`pk`, the `ev_` columns
#: and `ev_link`, if the records annotate it) -> URL or "".
Link = Callable[[dict[str, Any]], str]


#: Up to this many records, the drill-down asks the policy about the records'
#: own children only (`readable_among`: a month, or an agency's year); above it
#: (a large partnership's whole year), about every record's child in one pass,
#: where reading the whole visible set once is the cheaper plan.
NARROW_RECORDS = 10_000


def children_scope(qs: QuerySet[Any, Any], user: Any) -> QuerySet[Any, Any]:
    """The records of children whose full record the user may read, asked of the
    records' own children: a month's drill-down looks up its few thousand
    children, never the whole set of children the user may see (for a manager
    whose agency is on 100,000 case teams, that set was the cost of the page)."""
    from svduty.cases.policies import (
        access_conditions,
        correlated_full_record_q,
        readable_among,
    )

    if not access_conditions(user):  # no child's record at all: counts only
        return qs.none()
    if qs.order_by().values("pk")[: NARROW_RECORDS + 1].count() <= NARROW_RECORDS:
        children = qs.order_by().filter(ev_person__isnull=False).values("ev_person")
        return qs.filter(ev_person__in=readable_among(user, children))
    q = correlated_full_record_q(user, "ev_person")
    return qs.filter(q) if q is not None else qs.none()


def child_link(row: dict[str, Any]) -> str:
    from django.urls import reverse

    person = row.get("ev_person")
    return reverse("cases:person", kwargs={"pk": person}) if person else ""


@dataclass(frozen=True)
class Indicator:
    key: str
    outcome: int
    title: str
    definition: str
    numerator: str
    denominator: str
    source: str  # the app whose records it counts
    kind: Kind
    records: Records
    record_label: str  # what one record is, for the drill-down ("referral")
    unit: str = "%"
    higher_is_better: bool | None = True
    scope: Scope = children_scope
    link: Link = child_link
    weighted: bool = False

    def value(
        self, numerator: int, denominator: int, total: float | None
    ) -> float | None:
        if self.kind == Kind.COUNT:
            return float(denominator)
        if not denominator:
            return None
        if self.kind == Kind.RATE:
            return round(100 * numerator / denominator, 1)
        return round((total or 0.0) / denominator, 1)

    def format(self, value: float | None) -> str:
        if value is None:
            return "No records"
        if self.kind == Kind.COUNT:
            return f"{int(value):,}"
        if self.kind == Kind.RATE:
            return f"{value:g}%"
        return f"{value:g} {self.unit}"


REGISTRY: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    if indicator.key in REGISTRY:
        raise ValueError(f"indicator {indicator.key} registered twice")
    REGISTRY[indicator.key] = indicator
    return indicator


def partnership_scope(qs: QuerySet[Any, Any], user: Any) -> QuerySet[Any, Any]:
    """Partnership records that name no child: whoever reads the figures of the
    partnership may see them listed."""
    from svduty.partnership.models import Partnership

    return qs.filter(
        ev_partnership__in=Partnership.objects.visible_to(user).values("pk")
    )


def for_outcome(number: int) -> list[Indicator]:
    return [i for i in REGISTRY.values() if i.outcome == number]


def get(key: str) -> Indicator | None:
    return REGISTRY.get(key)
