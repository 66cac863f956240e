"""The scrutiny dashboard's figures (issue 10 point 6; s.166(3) items): aggregates
only, with small-number suppression that cannot be undone by differencing against the
totals (core.disclosure). Every figure is computed with a fixed number of queries,
whatever the number of orders and searches."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Floor, TruncMonth
from django.utils import timezone

from svduty.core.disclosure import ProtectedCell, protect_counts, protect_table

from .models import (
    Application,
    ApplicationStatus,
    Breach,
    BreachKind,
    EthnicGroup,
    Investigation,
    Notification,
    Order,
    Reoffence,
    ResidentPopulation,
    Search,
    SearchOutcome,
    Sex,
    WeaponType,
    ethnic_group_of,
)

BREAKDOWNS = {
    "ethnicity": "Ethnic group (self-defined)",
    "age": "Age band",
    "sex": "Sex",
    "area": "Local authority area",
}
NOT_RECORDED = "Area not recorded"
AGE_BANDS = ["18 to 24", "25 to 34", "35 and over", "Not known"]
ETHNIC_LABELS = dict(EthnicGroup.choices)
SEX_LABELS = dict(Sex.choices)


def age_band(age: int | None) -> str:
    if age is None:
        return "Not known"
    if age < 25:
        return "18 to 24"
    if age < 35:
        return "25 to 34"
    return "35 and over"


def years_between(born: dt.date, day: dt.date) -> int:
    years = day.year - born.year
    return years - ((day.month, day.day) < (born.month, born.day))


@dataclass(frozen=True)
class Filters:
    start: dt.date
    end: dt.date
    by: str = "ethnicity"
    force_id: int | None = None


@dataclass
class Table:
    key: str
    title: str
    head: list[str]
    rows: list[list[Any]]
    definition: str = ""
    spec: dict[str, Any] | None = None
    suppressed: bool = False


@dataclass
class Dashboard:
    filters: Filters
    tables: list[Table] = field(default_factory=list)
    map_features: list[dict[str, Any]] = field(default_factory=list)
    map_legend: list[dict[str, Any]] = field(default_factory=list)
    computed_at: dt.datetime | None = None

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)

    @property
    def stale(self) -> bool:
        """Counted longer ago than SVDUTY_SVRO_SCRUTINY_MAX_AGE_MINUTES: shown, with
        their age, while the background task recounts them."""
        return (
            self.computed_at is not None
            and timezone.now() - self.computed_at > max_age()
        )

    @property
    def max_age_minutes(self) -> int:
        return int(settings.SVRO_SCRUTINY_MAX_AGE_MINUTES)


def threshold() -> int:
    return int(settings.SUPPRESSION_THRESHOLD)


def _show(cell: ProtectedCell) -> str:
    return cell.display(threshold())


def _two_way(
    key: str,
    title: str,
    label: str,
    counts: Mapping[str, Mapping[str, int]],
    columns: list[str],
    definition: str,
) -> Table:
    """A group-by-stage table with its totals, suppressed (primary and secondary)."""
    full = {
        row: {c: int(counts.get(row, {}).get(c, 0)) for c in columns} for row in counts
    }
    if not full:
        return Table(key, title, [label, *columns], [], definition)
    protected = protect_table(full, threshold=threshold(), row_totals=False)
    rows = [[row, *[_show(protected.cells[row][c]) for c in columns]] for row in full]
    rows.append(["All", *[_show(protected.column_totals[c]) for c in columns]])
    return Table(
        key,
        title,
        [label, *columns],
        rows,
        definition,
        suppressed=bool(protected.suppressed_cells()),
    )


def _holder_group(by: str, ethnicity: str, sex: str, born: dt.date, day: dt.date):
    if by == "age":
        return age_band(years_between(born, day))
    if by == "sex":
        return SEX_LABELS.get(sex, sex)
    return ETHNIC_LABELS[ethnic_group_of(ethnicity)]


def _ordered(groups: Mapping[str, Any], by: str) -> list[str]:
    if by == "area":
        # Areas by name, then the rows whose area was not recorded.
        return sorted(groups, key=lambda g: (g == NOT_RECORDED, g))
    if by == "age":
        order = AGE_BANDS
    elif by == "sex":
        order = list(SEX_LABELS.values())
    else:
        order = list(ETHNIC_LABELS.values())
    return [g for g in order if g in groups]


def _scoped(queryset: QuerySet, force_id: int | None, path: str) -> QuerySet:
    if force_id is None:
        return queryset
    return queryset.filter(**{path: force_id})


def _age_cutoff(day: dt.date, years: int) -> dt.date:
    """The latest date of birth of someone `years` old or more on `day`."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def _holder_group_expression(by: str, day: dt.date, prefix: str = "holder__"):
    """The holder's group (age band on `day`, sex, ethnic group or the area where
    they live) worked out in SQL, so that counts come back grouped instead of row by
    row."""
    if by == "area":
        return Coalesce(
            F(f"{prefix}local_area__name"),
            Value(NOT_RECORDED),
            output_field=CharField(),
        )
    if by == "age":
        return Case(
            When(
                **{f"{prefix}date_of_birth__gt": _age_cutoff(day, 25)},
                then=Value("18 to 24"),
            ),
            When(
                **{f"{prefix}date_of_birth__gt": _age_cutoff(day, 35)},
                then=Value("25 to 34"),
            ),
            default=Value("35 and over"),
            output_field=CharField(),
        )
    if by == "sex":
        return Case(
            *[When(**{f"{prefix}sex": k}, then=Value(v)) for k, v in Sex.choices],
            default=Value("Not known"),
            output_field=CharField(),
        )
    return _ethnic_group_expression(f"{prefix}ethnicity")


def _ethnic_group_expression(field_name: str):
    return Case(
        *[
            When(
                **{f"{field_name}__startswith": prefix},
                then=Value(ETHNIC_LABELS[group]),
            )
            for prefix, group in (
                ("A", EthnicGroup.ASIAN),
                ("B", EthnicGroup.BLACK),
                ("M", EthnicGroup.MIXED),
                ("W", EthnicGroup.WHITE),
                ("O", EthnicGroup.OTHER),
            )
        ],
        default=Value(ETHNIC_LABELS[EthnicGroup.NOT_STATED]),
        output_field=CharField(),
    )


def funnel(filters: Filters) -> Table:
    """Considered -> applications -> granted -> in force (at the period's end)."""
    columns = ["Considered", "Applications", "Granted", "In force"]
    counts: dict[str, Counter] = defaultdict(Counter)
    applications = (
        _scoped(
            Application.objects.filter(
                considered_on__gte=filters.start, considered_on__lte=filters.end
            ),
            filters.force_id,
            "holder__managing_force_id",
        )
        .annotate(group=_holder_group_expression(filters.by, filters.end))
        .values("group")
        .annotate(
            considered=Count("id"),
            applied=Count("id", filter=~Q(status=ApplicationStatus.CONSIDERED)),
            granted=Count("id", filter=Q(status=ApplicationStatus.GRANTED)),
        )
        .order_by()
    )
    for row in applications:
        counts[row["group"]]["Considered"] += row["considered"]
        counts[row["group"]]["Applications"] += row["applied"]
        counts[row["group"]]["Granted"] += row["granted"]
    in_force = (
        _scoped(
            Order.objects.in_force_on(filters.end),
            filters.force_id,
            "holder__managing_force_id",
        )
        .annotate(group=_holder_group_expression(filters.by, filters.end))
        .values_list("group")
        .annotate(n=Count("id"))
        .order_by()
    )
    for group, n in in_force:
        counts[group]["In force"] += n
    ordered = {g: counts[g] for g in _ordered(counts, filters.by)}
    return _two_way(
        "funnel",
        "From consideration to orders in force",
        BREAKDOWNS[filters.by],
        ordered,
        columns,
        "People considered for an order, applications made and granted, by the date "
        "considered in the period; orders in force on the period's last day."
        + (
            " Area: the local authority area where the person lives, as recorded on "
            "the register."
            if filters.by == "area"
            else ""
        ),
    )


def offences(filters: Filters) -> Table:
    """The offences that were the basis of successful applications (s.166(3)(b)):
    applications granted in the period by the offence recorded, suppressed."""
    counts = dict(
        _scoped(
            Application.objects.filter(
                status=ApplicationStatus.GRANTED,
                decided_on__gte=filters.start,
                decided_on__lte=filters.end,
            ),
            filters.force_id,
            "holder__managing_force_id",
        )
        .values_list("offence")
        .annotate(n=Count("id"))
        .order_by("-n", "offence")
    )
    # The offence is free text: one recorded for few orders is not published by name
    # (it could point to a case); those are counted together.
    other = f"Other offences (each fewer than {threshold() + 1})"
    grouped: dict[str, int] = {}
    for offence, n in counts.items():
        key = offence if n > threshold() else other
        grouped[key] = grouped.get(key, 0) + n
    cells, total = protect_counts(grouped, threshold=threshold())
    rows: list[list[Any]] = [[k, _show(cells[k])] for k in grouped]
    if total is not None and grouped:
        rows.append(["All orders granted", _show(total)])
    return Table(
        "offences",
        "Offences that led to an order",
        ["Offence (as recorded)", "Orders granted"],
        rows,
        "Applications granted in the period, by the offence of conviction the "
        "application was based on.",
    )


def _searches(filters: Filters) -> QuerySet[Search]:
    start = dt.datetime.combine(filters.start, dt.time.min, tzinfo=_tz())
    end = dt.datetime.combine(filters.end + dt.timedelta(days=1), dt.time.min, _tz())
    return _scoped(
        Search.objects.filter(searched_at__gte=start, searched_at__lt=end),
        filters.force_id,
        "order__holder__managing_force_id",
    )


def _tz():
    from zoneinfo import ZoneInfo

    return ZoneInfo(settings.TIME_ZONE)


def _search_group_expression(by: str):
    if by == "area":
        return Coalesce(
            F("local_area__name"), Value(NOT_RECORDED), output_field=CharField()
        )
    if by == "age":
        return Case(
            When(age__isnull=True, then=Value("Not known")),
            When(age__lt=25, then=Value("18 to 24")),
            When(age__lt=35, then=Value("25 to 34")),
            default=Value("35 and over"),
            output_field=CharField(),
        )
    if by == "sex":
        return Case(
            *[When(sex=k, then=Value(v)) for k, v in Sex.choices],
            output_field=CharField(),
        )
    return _ethnic_group_expression("self_ethnicity")


def search_outcomes(filters: Filters) -> Table:
    """Searches -> finds (by weapon type) -> arrests -> no further action."""
    columns = [
        "Searches",
        "Knife found",
        "Other weapon found",
        "Arrests",
        "No further action",
    ]
    rows = (
        _searches(filters)
        .annotate(group=_search_group_expression(filters.by))
        .values("group")
        .annotate(
            searches=Count("id"),
            knife=Count("id", filter=Q(items_found__contains=[WeaponType.KNIFE])),
            other=Count(
                "id",
                filter=Q(
                    items_found__overlap=[WeaponType.OFFENSIVE, WeaponType.FIREARM]
                ),
            ),
            arrests=Count("id", filter=Q(outcome=SearchOutcome.ARREST)),
            nfa=Count("id", filter=Q(outcome=SearchOutcome.NFA)),
        )
        .order_by()
    )
    counts = {
        r["group"]: dict(
            zip(
                columns,
                [r["searches"], r["knife"], r["other"], r["arrests"], r["nfa"]],
                strict=True,
            )
        )
        for r in rows
    }
    ordered = {g: counts[g] for g in _ordered(counts, filters.by)}
    table = _two_way(
        "outcomes",
        "Searches and what they found",
        BREAKDOWNS[filters.by],
        ordered,
        columns,
        "Searches under s.342E in the period, by the local authority area where the "
        "search happened."
        if filters.by == "area"
        else "Searches under s.342E in the period, by the searched person's "
        f"{BREAKDOWNS[filters.by].lower()} as recorded on the search.",
    )
    table.spec = _bar_chart(
        [
            (group, row["Searches"])
            for group, row in ordered.items()
            if row["Searches"] > threshold()
        ],
        BREAKDOWNS[filters.by],
    )
    return table


def _bar_chart(values: list[tuple[str, int]], label: str) -> dict[str, Any] | None:
    """A horizontal bar chart of searches per group, drawn beside its table; only
    counts the table shows (small ones are not drawn). None when nothing is left:
    an empty chart is an unlabelled image to a screen reader."""
    if not values:
        return None
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": [{"group": g, "searches": n} for g, n in values]},
        "mark": "bar",
        "encoding": {
            "y": {"field": "group", "type": "nominal", "sort": None, "title": label},
            "x": {"field": "searches", "type": "quantitative", "title": "Searches"},
        },
    }


REPEAT_BANDS = [
    ("Not searched", 0, 0),
    ("Once", 1, 1),
    ("2 to 4 times", 2, 4),
    ("5 to 9 times", 5, 9),
    ("10 times or more", 10, None),
]


def _holders_with_power(filters: Filters) -> QuerySet[Order]:
    return _scoped(
        Order.objects.filter(
            order_type__gives_search_power=True,
            takes_effect_on__lte=filters.end,
            expires_on__gte=filters.start,
        ),
        filters.force_id,
        "holder__managing_force_id",
    )


def repeat_searches(filters: Filters) -> Table:
    """Searches per order holder in force: how many were searched 0, 1, 2-4, 5-9,
    10 or more times in the period. Counted in SQL in one query (the holders with an
    order in force at some time in the period, and those searched, with their number
    of searches, grouped into bands): no row per holder comes back."""
    searched_sql, searched_params = (
        _searches(filters)
        .values("order__holder_id")
        .annotate(n=Count("id"))
        .values_list("order__holder_id", "n")
        .order_by()
        .query.sql_with_params()
    )
    holders_sql, holders_params = (
        _holders_with_power(filters)
        .values_list("holder_id")
        .order_by()
        .query.sql_with_params()
    )
    band_sql = " ".join(
        f"WHEN coalesce(s.n, 0) <= {high} THEN {index}"
        for index, (_, _, high) in enumerate(REPEAT_BANDS)
        if high is not None
    )
    sql = f"""
        WITH searched (holder_id, n) AS ({searched_sql}),
        holders AS (
            SELECT holder_id FROM ({holders_sql}) h
            UNION SELECT holder_id FROM searched
        )
        SELECT CASE {band_sql} ELSE {len(REPEAT_BANDS) - 1} END AS band,
               count(*), coalesce(sum(s.n), 0)
        FROM holders LEFT JOIN searched s USING (holder_id)
        GROUP BY band
    """  # noqa: S608  # nosec B608 - the parts are the ORM's own SQL with parameters, and constants
    with connection.cursor() as cursor:
        cursor.execute(sql, (*searched_params, *holders_params))
        found = {band: (n, searches) for band, n, searches in cursor.fetchall()}
    bands = {
        label: int(found.get(index, (0, 0))[0])
        for index, (label, _, _) in enumerate(REPEAT_BANDS)
    }
    holders = sum(bands.values())
    searches = sum(int(s) for _, s in found.values())
    cells, total = protect_counts(bands, threshold=threshold())
    rows: list[list[Any]] = [[k, _show(cells[k])] for k in bands]
    if total is not None:
        rows.append(["All order holders", _show(total)])
    mean = searches / holders if holders else 0
    return Table(
        "repeat",
        "How often order holders were searched",
        ["Times searched in the period", "Order holders"],
        rows,
        f"Order holders whose order giving the search power was in force at some "
        f"time in the period. Average searches per holder: {mean:.1f}.",
    )


def rate_ratio(
    a: int, n_a: float, b: int, n_b: float
) -> tuple[float, float, float] | None:
    """Rate ratio of (a / n_a) to (b / n_b) with a 95% interval, treating the counts
    as Poisson (a person may be searched many times): SE(ln RR) = sqrt(1/a + 1/b)."""
    if not (a and b and n_a and n_b):
        return None
    ratio = (a / n_a) / (b / n_b)
    se = math.sqrt(1 / a + 1 / b)
    return ratio, ratio * math.exp(-1.96 * se), ratio * math.exp(1.96 * se)


def _ratio_text(result: tuple[float, float, float] | None) -> str:
    if result is None:
        return "Not calculated"
    ratio, low, high = result
    return f"{ratio:.2f} ({low:.2f} to {high:.2f})"


def disproportionality(filters: Filters) -> Table:
    """Search rates by ethnic group against order holders and against residents,
    relative to White people, with 95% confidence intervals."""
    white = ETHNIC_LABELS[EthnicGroup.WHITE]
    searches = Counter(
        dict(
            _searches(filters)
            .annotate(group=_search_group_expression("ethnicity"))
            .values_list("group")
            .annotate(n=Count("id"))
            .order_by()
        )
    )
    holders: Counter = Counter(
        dict(
            _holders_with_power(filters)
            .annotate(group=_ethnic_group_expression("holder__ethnicity"))
            .values_list("group")
            .annotate(n=Count("holder_id", distinct=True))
            .order_by()
        )
    )
    population: Counter = Counter()
    sources = set()
    for group, people, source in ResidentPopulation.objects.values_list(
        "ethnic_group", "population", "source"
    ):
        population[ETHNIC_LABELS[group]] += people
        sources.add(source)
    rows = []
    for group in _ordered(ETHNIC_LABELS | dict.fromkeys(searches), "ethnicity"):
        if group == ETHNIC_LABELS[EthnicGroup.NOT_STATED]:
            continue
        a = searches.get(group, 0)
        rows.append(
            [
                group,
                _show(ProtectedCell(a, "primary" if 0 < a <= threshold() else "")),
                f"{a / holders[group]:.1f}"
                if holders[group] and a > threshold()
                else "–",
                "Reference"
                if group == white
                else _ratio_text(
                    rate_ratio(a, holders[group], searches[white], holders[white])
                    if a > threshold()
                    else None
                ),
                f"{a / population[group] * 1000:.2f}"
                if population[group] and a > threshold()
                else "–",
                "Reference"
                if group == white
                else _ratio_text(
                    rate_ratio(a, population[group], searches[white], population[white])
                    if a > threshold()
                    else None
                ),
            ]
        )
    source = "; ".join(sorted(sources)) or "no resident population loaded"
    return Table(
        "disproportionality",
        "Search rates by ethnic group",
        [
            "Ethnic group",
            "Searches",
            "Searches per order holder",
            "Relative rate against holders (95% CI)",
            "Searches per 1,000 residents",
            "Relative rate against residents (95% CI)",
        ],
        rows,
        "Relative rate: the group's rate divided by White people's rate; above 1 "
        "means searched more often. The interval treats searches as Poisson counts. "
        f"Residents: {source}. Rates are not shown for fewer than "
        f"{threshold() + 1} searches.",
    )


def notification_compliance(filters: Filters) -> Table:
    found = _scoped(
        Notification.objects.filter(
            event_on__gte=filters.start, event_on__lte=filters.end
        ),
        filters.force_id,
        "order__holder__managing_force_id",
    ).aggregate(
        on_time=Count(
            "id",
            filter=Q(notified_on__isnull=False)
            & (Q(due_on__isnull=True) | Q(notified_on__lte=F("due_on"))),
        ),
        late=Count(
            "id", filter=Q(notified_on__isnull=False, notified_on__gt=F("due_on"))
        ),
        missed=Count("id", filter=Q(notified_on__isnull=True, due_on__lt=filters.end)),
        pending=Count(
            "id",
            filter=Q(notified_on__isnull=True)
            & (Q(due_on__isnull=True) | Q(due_on__gte=filters.end)),
        ),
    )
    bands = {
        "On time": found["on_time"],
        "Late": found["late"],
        "Missed (overdue)": found["missed"],
        "Not yet due": found["pending"],
    }
    cells, total = protect_counts(bands, threshold=threshold())
    rows: list[list[Any]] = [[k, _show(cells[k])] for k in bands]
    if total is not None:
        rows.append(["All notifications", _show(total)])
    return Table(
        "notifications",
        "Notification compliance",
        ["Notifications due from events in the period", "Number"],
        rows,
        "Whether each notifiable event was notified at a police station by its due "
        "date (custody pauses the clock).",
    )


def by_month(filters: Filters) -> Table:
    rows = (
        _searches(filters)
        .annotate(month=TruncMonth("searched_at", tzinfo=_tz()))
        .values("month")
        .annotate(
            n=Count("id"), arrests=Count("id", filter=Q(outcome=SearchOutcome.ARREST))
        )
        .order_by("month")
    )
    counts = {
        r["month"].strftime("%B %Y"): {"Searches": r["n"], "Arrests": r["arrests"]}
        for r in rows
    }
    table = _two_way(
        "months",
        "Searches by month",
        "Month",
        counts,
        ["Searches", "Arrests"],
        "Searches under s.342E by the month they happened (UK time).",
    )
    values = [
        {"month": month, "searches": c["Searches"]}
        for month, c in counts.items()
        if c["Searches"] > threshold()
    ]
    if not values:
        # Nothing to draw (no searches, or every month suppressed): the table alone
        # says so; an empty chart is an unlabelled image to a screen reader.
        return table
    table.spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": values},
        "mark": "bar",
        "encoding": {
            "x": {"field": "month", "type": "ordinal", "sort": None, "title": "Month"},
            "y": {"field": "searches", "type": "quantitative", "title": "Searches"},
        },
    }
    return table


GRID = (0.01, 0.015)  # about 1.1 km by 1 km in the north of England


def search_map(filters: Filters) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Searches counted in grid squares of about 1 km (never single points), as
    GeoJSON squares for the map and the list beside it."""
    cells: Counter[tuple[int, int]] = Counter(
        {
            (int(row), int(column)): n
            for row, column, n in _searches(filters)
            .filter(latitude__isnull=False, longitude__isnull=False)
            .annotate(
                grid_row=Floor(F("latitude") / GRID[0]),
                grid_column=Floor(F("longitude") / GRID[1]),
            )
            .values_list("grid_row", "grid_column")
            .annotate(n=Count("id"))
            .order_by()
        }
    )
    counts = sorted(cells.items(), key=lambda item: (-item[1], item[0]))
    shown = [n for _, n in counts if n > threshold()]
    top = max(shown) if shown else 1
    features: list[dict[str, Any]] = []
    for (row, column), n in counts:
        south, west = row * GRID[0], column * GRID[1]
        small = n <= threshold()
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [
                            [round(west, 5), round(south, 5)],
                            [round(west + GRID[1], 5), round(south, 5)],
                            [round(west + GRID[1], 5), round(south + GRID[0], 5)],
                            [round(west, 5), round(south + GRID[0], 5)],
                            [round(west, 5), round(south, 5)],
                        ]
                    ],
                },
                "properties": {
                    "name": f"Square at {south + GRID[0] / 2:.3f}, "
                    f"{west + GRID[1] / 2:.3f}",
                    "value": None if small else n,
                    "band": None if small else min(5, 1 + int(4 * n / top)),
                    "value_label": f"fewer than {threshold() + 1}" if small else "",
                },
            }
        )
    legend: list[dict[str, Any]] = [
        {"band": 1, "label": "Fewest"},
        {"band": 3, "label": "Middle"},
        {"band": 5, "label": "Most"},
        {"band": None, "label": f"Fewer than {threshold() + 1}"},
    ]
    return features, legend


def breaches(filters: Filters) -> Table:
    """s.342G offences committed and suspected offences investigated (s.166(3)(g))."""
    columns = [label for _, label in Investigation.choices]
    counts: dict[str, Counter] = defaultdict(Counter)
    kinds = dict(BreachKind.choices)
    statuses = dict(Investigation.choices)
    for kind, status, n in (
        _scoped(
            Breach.objects.filter(
                occurred_on__gte=filters.start, occurred_on__lte=filters.end
            ),
            filters.force_id,
            "order__holder__managing_force_id",
        )
        .values_list("kind", "investigation")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[kinds[kind]][statuses[status]] += n
    return _two_way(
        "breaches",
        "Breaches and suspected breaches",
        "Offence (s.342G)",
        {kinds[k]: counts[kinds[k]] for k in kinds if kinds[k] in counts},
        columns,
        "Breaches that happened in the period, by where the investigation stands.",
    )


def reoffending(filters: Filters) -> Table:
    """An initial look at reoffending (s.166(3)(e)): of the people given an order in
    the period, how many were convicted of an offence committed after it was made."""
    made = _scoped(
        Order.objects.filter(made_on__gte=filters.start, made_on__lte=filters.end),
        filters.force_id,
        "holder__managing_force_id",
    )
    first = (
        made.filter(holder_id=OuterRef("holder_id"))
        .order_by()
        .values("holder_id")
        .annotate(first=Min("made_on"))
        .values("first")
    )
    people = made.values("holder_id").distinct().count()
    later = Reoffence.objects.filter(
        holder_id__in=made.values("holder_id"), offence_date__gte=Subquery(first)
    )
    found = later.aggregate(
        any=Count("holder_id", distinct=True),
        weapon=Count("holder_id", distinct=True, filter=Q(weapon_related=True)),
    )
    bands = {
        "People given an order in the period": people,
        "Convicted of a later offence": found["any"],
        "Convicted of a later weapon offence": found["weapon"],
    }
    rows = [
        [label, _show(ProtectedCell(n, "primary" if 0 < n <= threshold() else ""))]
        for label, n in bands.items()
    ]
    return Table(
        "reoffending",
        "Reoffending after an order (initial assessment)",
        ["People", "Number"],
        rows,
        "Convictions recorded by officers (or a conviction feed) for offences "
        "committed after the person's first order in the period. Not a comparison "
        "with people not given an order: see the evaluation for that.",
    )


def panel_reviews(filters: Filters) -> Table:
    """What scrutiny panels found in the searches they reviewed in the period."""
    from .models import Assessment, SampleItem

    columns = ["Grounds and information given", "Officers' conduct"]
    reviewed = _scoped(
        SampleItem.objects.filter(
            reviewed_at__date__gte=filters.start, reviewed_at__date__lte=filters.end
        ),
        filters.force_id,
        "sample__force_id",
    )
    counts: dict[str, Counter] = defaultdict(Counter)
    labels = dict(Assessment.choices)
    for field_name, column in (("grounds", columns[0]), ("conduct", columns[1])):
        for value, n in (
            reviewed.values_list(field_name).annotate(n=Count("id")).order_by()
        ):
            counts[labels[value]][column] += n
    return _two_way(
        "reviews",
        "Scrutiny panels' reviews of sampled searches",
        "Assessment",
        {labels[k]: counts[labels[k]] for k in labels if labels[k] in counts},
        columns,
        "Searches reviewed by a scrutiny panel in the period (from a random sample "
        "of the force's searches), with how the panel assessed them.",
    )


def dashboard(filters: Filters) -> Dashboard:
    result = Dashboard(filters)
    result.tables = [
        funnel(filters),
        offences(filters),
        search_outcomes(filters),
        repeat_searches(filters),
        disproportionality(filters),
        notification_compliance(filters),
        breaches(filters),
        panel_reviews(filters),
        reoffending(filters),
        by_month(filters),
    ]
    result.map_features, result.map_legend = search_map(filters)
    return result


# --- The materialised summary ------------------------------------------------------


def summary_key(filters: Filters) -> str:
    force = filters.force_id if filters.force_id is not None else "all"
    return f"{filters.start}:{filters.end}:{filters.by}:{force}"


def to_json(result: Dashboard) -> dict[str, Any]:
    return {
        "tables": [asdict(t) for t in result.tables],
        "map_features": result.map_features,
        "map_legend": result.map_legend,
    }


def from_json(filters: Filters, data: Mapping[str, Any]) -> Dashboard:
    return Dashboard(
        filters,
        tables=[Table(**t) for t in data["tables"]],
        map_features=list(data["map_features"]),
        map_legend=list(data["map_legend"]),
    )


def max_age() -> dt.timedelta:
    return dt.timedelta(minutes=settings.SVRO_SCRUTINY_MAX_AGE_MINUTES)


def refresh(filters: Filters) -> Dashboard:
    """Compute the figures for one filter and keep them."""
    from .models import ScrutinySummary

    result = dashboard(filters)
    ScrutinySummary.objects.update_or_create(
        key=summary_key(filters),
        defaults={
            "computed_at": timezone.now(),
            "refresh_requested_at": None,
            "data": to_json(result),
        },
    )
    result.computed_at = timezone.now()
    return result


def summary(filters: Filters) -> Dashboard:
    """The figures for one filter, from the materialised summary: one query when they
    were computed less than `SVDUTY_SVRO_SCRUTINY_MAX_AGE_MINUTES` ago. Older ones are
    shown (with the time they were computed) while a background task recomputes
    them; a filter never seen before is computed now and kept."""
    from .models import ScrutinySummary
    from .tasks import refresh_summary

    key = summary_key(filters)
    row = ScrutinySummary.objects.filter(key=key).first()
    if row is None:
        with transaction.atomic():
            # One computation per filter at a time: the others wait and reuse it.
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(hashtext(%s))", [f"svro:{key}"]
                )
            row = ScrutinySummary.objects.filter(key=key).first()
            if row is None:
                return refresh(filters)
    now = timezone.now()
    if now - row.computed_at > max_age() and (
        row.refresh_requested_at is None or now - row.refresh_requested_at > max_age()
    ):
        claimed = ScrutinySummary.objects.filter(
            pk=row.pk, refresh_requested_at=row.refresh_requested_at
        ).update(refresh_requested_at=now)
        if claimed:
            refresh_summary.enqueue(
                filters.start.isoformat(),
                filters.end.isoformat(),
                filters.by,
                filters.force_id,
            )
            row.refresh_from_db()
    result = from_json(filters, row.data)
    result.computed_at = row.computed_at
    return result


# --- The transparency report ---------------------------------------------------------

ITEMS = [
    ("a", "People made subject to an order", ["funnel", "funnel_area"]),
    ("b", "Offences that were the basis of successful applications", ["offences"]),
    (
        "c",
        "How constables used the search power (s.342E)",
        ["outcomes", "outcomes_area", "repeat", "months", "reviews"],
    ),
    (
        "d",
        "Impact on people with protected characteristics",
        ["disproportionality", "outcomes_age", "outcomes_sex"],
    ),
    ("e", "An initial assessment of reoffending", ["reoffending"]),
    ("f", "Impact on people subject to an order", ["notifications"]),
    ("g", "Offences under s.342G and suspected offences investigated", ["breaches"]),
]


def report_sections(base: Filters) -> tuple[Dashboard, list[dict[str, Any]]]:
    """The transparency report's tables for a period and force, laid out by the
    s.166(3) items: the dashboard's (suppressed) figures by ethnicity, with the search
    outcomes by age, sex and area and the funnel by area added."""
    main = summary(Filters(base.start, base.end, "ethnicity", base.force_id))
    tables = {t.key: t for t in main.tables}
    for by in ("age", "sex", "area"):
        other = summary(Filters(base.start, base.end, by, base.force_id))
        table = other.table("outcomes")
        table.key = f"outcomes_{by}"
        table.title = f"Searches and what they found, by {BREAKDOWNS[by].lower()}"
        tables[table.key] = table
        if by == "area":
            funnel = other.table("funnel")
            funnel.key = "funnel_area"
            funnel.title = "From consideration to orders in force, by area"
            tables[funnel.key] = funnel
    sections = [
        {"item": item, "title": title, "tables": [tables[k] for k in keys]}
        for item, title, keys in ITEMS
    ]
    return main, sections
