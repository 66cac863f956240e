"""Computing the indicators into `IndicatorFigure` rows, and reading them back as
trends by month and quarter and breakdowns by agency and area.

The outcome pages read only the precomputed rows (one query), so they stay fast on a
large installation; `refresh_evidence` (daily, and after the demo loads) and the
"Refresh the figures" button recompute them. Months are calendar months; the period
is the current month and the 12 before it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from .indicators import REGISTRY, Indicator
from .indicators.common import in_period
from .models import IndicatorFigure

PERIOD_MONTHS = 13


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """First and last month of the period (both month starts)."""
    last = month_start(today or timezone.localdate())
    return add_months(last, -(PERIOD_MONTHS - 1)), last


@dataclass(frozen=True)
class Cell:
    partnership: int
    indicator: str
    month: dt.date
    agency: int | None
    numerator: int
    denominator: int
    total: float | None


def compute(
    partnership_ids: Collection[int],
    *,
    today: dt.date | None = None,
    indicators: Iterable[Indicator] | None = None,
) -> list[Cell]:
    """Every indicator's counts by partnership, month and agency, with a row for
    all agencies together. One aggregate query per indicator."""
    today = today or timezone.localdate()
    first, _last = period(today)
    cells: list[Cell] = []
    for indicator in indicators or REGISTRY.values():
        if indicator.weighted:
            counts: dict[str, Any] = {
                "den": Coalesce(Sum("ev_den"), 0),
                "num": Coalesce(Sum("ev_num", filter=Q(ev_hit=True)), 0),
            }
        else:
            counts = {"den": Count("pk"), "num": Count("pk", filter=Q(ev_hit=True))}
        rows = (
            in_period(
                indicator.records(partnership_ids),
                first,
                today + dt.timedelta(days=1),
            )
            .annotate(ev_month=TruncMonth("ev_on"))
            .values("ev_partnership", "ev_month", "ev_agency")
            .annotate(**counts, tot=Sum("ev_value"))
            .order_by()
        )
        totals: dict[tuple[int, dt.date], list[Any]] = defaultdict(lambda: [0, 0, None])
        for r in rows:
            month = r["ev_month"]
            if isinstance(month, dt.datetime):
                month = month.date()
            cells.append(
                Cell(
                    r["ev_partnership"],
                    indicator.key,
                    month,
                    r["ev_agency"],
                    r["num"],
                    r["den"],
                    r["tot"],
                )
            )
            total = totals[(r["ev_partnership"], month)]
            total[0] += r["num"]
            total[1] += r["den"]
            if r["tot"] is not None:
                total[2] = (total[2] or 0.0) + r["tot"]
        for (partnership, month), (num, den, tot) in totals.items():
            cells.append(Cell(partnership, indicator.key, month, None, num, den, tot))
    # An agency row whose agency is missing (None) is the same as the total row;
    # keep the total only.
    seen: set[tuple[int, str, dt.date, int | None]] = set()
    unique: list[Cell] = []
    for cell in reversed(cells):
        key = (cell.partnership, cell.indicator, cell.month, cell.agency)
        if key not in seen:
            seen.add(key)
            unique.append(cell)
    return unique


@dataclass(frozen=True)
class Point:
    label: str
    start: dt.date
    numerator: int
    denominator: int
    total: float | None

    def value(self, indicator: Indicator) -> float | None:
        return indicator.value(self.numerator, self.denominator, self.total)


def _add(points: Iterable[tuple[int, int, float | None]]) -> tuple[int, int, Any]:
    num = den = 0
    tot: float | None = None
    for n, d, t in points:
        num += n
        den += d
        if t is not None:
            tot = (tot or 0.0) + t
    return num, den, tot


def figures(
    partnership_ids: Collection[int], keys: Collection[str] | None = None
) -> dict[str, dict[dt.date, tuple[int, int, float | None]]]:
    """Every indicator's all-agency counts by month, summed over the partnerships:
    {key: {month: (numerator, denominator, total)}}. One query."""
    qs = IndicatorFigure.objects.filter(
        partnership_id__in=partnership_ids, agency__isnull=True
    )
    if keys is not None:
        qs = qs.filter(indicator__in=list(keys))
    out: dict[str, dict[dt.date, tuple[int, int, float | None]]] = defaultdict(dict)
    for key, month, num, den, tot in qs.values_list(
        "indicator", "month", "numerator", "denominator", "value_total"
    ):
        out[key][month] = _add([out[key].get(month, (0, 0, None)), (num, den, tot)])
    return out


def by_month(
    series: dict[dt.date, tuple[int, int, float | None]], today: dt.date | None = None
) -> list[Point]:
    first, last = period(today)
    points = []
    month = first
    while month <= last:
        num, den, tot = series.get(month, (0, 0, None))
        points.append(Point(f"{month:%b %Y}", month, num, den, tot))
        month = add_months(month, 1)
    return points


def quarter_of(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def by_quarter(months: list[Point]) -> list[Point]:
    grouped: dict[dt.date, list[Point]] = defaultdict(list)
    for p in months:
        grouped[quarter_of(p.start)].append(p)
    points = []
    for start, items in sorted(grouped.items()):
        num, den, tot = _add((p.numerator, p.denominator, p.total) for p in items)
        end = add_months(start, 2)
        points.append(Point(f"{start:%b}–{end:%b %Y}", start, num, den, tot))
    return points


def last_twelve(months: list[Point]) -> Point:
    recent = months[-12:]
    num, den, tot = _add((p.numerator, p.denominator, p.total) for p in recent)
    return Point("Last 12 months", recent[0].start, num, den, tot)


def by_agency(
    partnership_ids: Collection[int], key: str, today: dt.date | None = None
) -> list[tuple[str, int, int, float | None]]:
    """(agency name, numerator, denominator, total) over the last 12 months."""
    first, _ = period(today)
    rows = (
        IndicatorFigure.objects.filter(
            partnership_id__in=partnership_ids,
            indicator=key,
            agency__isnull=False,
            month__gte=add_months(first, 1),
        )
        .values("agency__name")
        .annotate(num=Sum("numerator"), den=Sum("denominator"), tot=Sum("value_total"))
        .order_by("agency__name")
    )
    return [(r["agency__name"], r["num"], r["den"], r["tot"]) for r in rows]


def by_partnership(
    partnership_ids: Collection[int], key: str, today: dt.date | None = None
) -> list[tuple[str, int, int, float | None]]:
    first, _ = period(today)
    rows = (
        IndicatorFigure.objects.filter(
            partnership_id__in=partnership_ids,
            indicator=key,
            agency__isnull=True,
            month__gte=add_months(first, 1),
        )
        .values("partnership__name")
        .annotate(num=Sum("numerator"), den=Sum("denominator"), tot=Sum("value_total"))
        .order_by("partnership__name")
    )
    return [(r["partnership__name"], r["num"], r["den"], r["tot"]) for r in rows]
