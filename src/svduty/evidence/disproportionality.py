"""Prevalence and disproportionality (outcome 16) and risk after an intervention.

The cohort is the partnership's children referred in the last 12 months. Each child
is put in one group per dimension (ethnic group at the ONS high level, sex, age band
on the day of their latest referral, disability). Against the child population of
the area (`ChildPopulation`, entered with its source), each group's rate per 1,000
children and its **relative rate** against every other child in the area, with a 95%
confidence interval (Katz log method, `svduty.analysis.stats.rates`). Counts from 1
to the suppression threshold, and anything computed from them, are suppressed (the
groups are small enough to identify a child).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from svduty.analysis.stats.rates import relative_rate
from svduty.cases.models import Person, Referral, RiskLevel, Screening

from .models import ChildPopulation, Dimension

ETHNIC_GROUPS = {
    "asian": "Asian or Asian British",
    "black": "Black, Black British, Caribbean or African",
    "mixed": "Mixed or multiple ethnic groups",
    "white": "White",
    "other": "Other ethnic group",
}
AGE_BANDS: tuple[tuple[int, int, str], ...] = (
    (0, 9, "Under 10"),
    (10, 13, "10 to 13"),
    (14, 15, "14 to 15"),
    (16, 17, "16 to 17"),
    (18, 24, "18 to 24"),
)
NOT_KNOWN = "Not known"

#: The groups of each dimension, in the order shown (the population form offers
#: these; "Not known" has no population and no rate).
GROUPS: dict[str, list[str]] = {
    Dimension.ETHNICITY: list(ETHNIC_GROUPS.values()),
    Dimension.SEX: ["Female", "Male"],
    Dimension.AGE: [label for _, _, label in AGE_BANDS],
    Dimension.DISABILITY: ["Disabled", "Not recorded as disabled"],
}


def threshold() -> int:
    return int(settings.SUPPRESSION_THRESHOLD)


def ethnic_group(value: str) -> str:
    return ETHNIC_GROUPS.get(value.split("_", 1)[0], NOT_KNOWN)


def age_band(born: dt.date | None, on: dt.date) -> str:
    if born is None:
        return NOT_KNOWN
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    for low, high, label in AGE_BANDS:
        if low <= age <= high:
            return label
    return NOT_KNOWN


def groups_of(child: dict[str, Any]) -> dict[str, str]:
    return {
        Dimension.ETHNICITY: ethnic_group(child["ethnicity"]),
        Dimension.SEX: {"female": "Female", "male": "Male"}.get(
            child["sex"], NOT_KNOWN
        ),
        Dimension.AGE: age_band(child["date_of_birth"], child["referred_on"]),
        Dimension.DISABILITY: "Disabled"
        if child["disability"] or child["learning_disability"]
        else "Not recorded as disabled",
    }


def cohort(partnership_id: int, today: dt.date | None = None) -> list[dict[str, Any]]:
    """The children referred in the last 12 months, one row each."""
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=365)
    latest = (
        Referral.objects.filter(
            partnership_id=partnership_id, received_at__date__gt=since
        )
        .values("person_id")
        .annotate(last=Max("received_at"))
    )
    last = {r["person_id"]: timezone.localtime(r["last"]).date() for r in latest}
    rows: list[dict[str, Any]] = [
        dict(row)
        for row in Person.objects.filter(pk__in=list(last)).values(
            "pk",
            "ethnicity",
            "sex",
            "date_of_birth",
            "disability",
            "learning_disability",
        )
    ]
    for row in rows:
        row["referred_on"] = last[row["pk"]]
    return rows


@dataclass(frozen=True)
class GroupRow:
    group: str
    children: int
    population: int | None
    rate: float | None  # per 1,000
    ratio: float | None
    lower: float | None
    upper: float | None
    suppressed: bool

    def cells(self) -> list[str]:
        def num(value: float | None, places: int = 2) -> str:
            return "" if value is None else f"{value:.{places}f}"

        shown = "fewer than " + str(threshold() + 1) if self.suppressed else ""
        return [
            self.group,
            shown or f"{self.children:,}",
            f"{self.population:,}" if self.population else "Not entered",
            "" if self.suppressed else num(self.rate, 1),
            "" if self.suppressed else num(self.ratio),
            ""
            if self.suppressed or self.lower is None
            else f"{num(self.lower)} to {num(self.upper)}",
        ]


def table(
    children: list[dict[str, Any]], populations: dict[str, int], dimension: str
) -> list[GroupRow]:
    counts = Counter(groups_of(c)[dimension] for c in children)
    limit = threshold()
    total_pop = sum(populations.values())
    known = sum(counts[g] for g in populations)
    rows = []
    for group in [*GROUPS[dimension], NOT_KNOWN]:
        n = counts.get(group, 0)
        if group == NOT_KNOWN and not n:
            continue
        pop = populations.get(group)
        suppressed = 1 <= n <= limit
        rate = ratio = lower = upper = None
        if pop and n <= pop:
            rest_n, rest_pop = known - n, total_pop - pop
            if rest_pop > 0 and rest_n <= rest_pop:
                rr = relative_rate(n, pop, rest_n, rest_pop)
                rate, ratio, lower, upper = rr.rate_a, rr.ratio, rr.lower, rr.upper
                # A comparison group of 1..threshold children would let the
                # group's own count be worked out from the total.
                suppressed = suppressed or 1 <= rest_n <= limit
            else:
                rate = n / pop * 1000
        rows.append(GroupRow(group, n, pop, rate, ratio, lower, upper, suppressed))
    return rows


def populations(partnership_id: int) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for dim, group, pop in ChildPopulation.objects.filter(
        partnership_id=partnership_id
    ).values_list("dimension", "group", "population"):
        out[dim][group] = pop
    return out


# --- Risk after an intervention --------------------------------------------------

LEVEL_ORDER: dict[str, int] = {
    RiskLevel.LOW.value: 1,
    RiskLevel.MEDIUM.value: 2,
    RiskLevel.HIGH.value: 3,
}
#: A screening counts as "after" the start of a service from this many days on
#: (local rule: long enough for the intervention to have had some effect).
AFTER_DAYS = 28
TRAJECTORY = ("Lower", "The same", "Higher", "Not screened again")


def trajectories(
    partnership_id: int, today: dt.date | None = None
) -> dict[str, Counter[str]]:
    """For each risk level before a service started (the latest screening on or
    before the start), how many children's latest screening at least AFTER_DAYS
    after the start was lower, the same or higher (or none yet). Services started
    in the last 12 months; a child counts once, from their first start."""
    from svduty.services.models import ServiceReferral

    today = today or timezone.localdate()
    since = today - dt.timedelta(days=365)
    starts: dict[int, dt.date] = {}
    for person_id, started in (
        ServiceReferral.objects.filter(
            person__partnership_id=partnership_id,
            started_on__gt=since,
            started_on__lte=today,
        )
        .order_by("started_on")
        .values_list("person_id", "started_on")
    ):
        if started is not None:
            starts.setdefault(person_id, started)
    screenings: dict[int, list[tuple[dt.date, int, str]]] = defaultdict(list)
    for person_id, on, pk, level in Screening.objects.filter(
        person_id__in=list(starts)
    ).values_list("person_id", "screened_on", "pk", "agreed_level"):
        screenings[person_id].append((on, pk, level))
    out: dict[str, Counter[str]] = {level: Counter() for level in LEVEL_ORDER}
    for person_id, started in starts.items():
        items = sorted(screenings.get(person_id, []))
        before = [s for s in items if s[0] <= started]
        if not before:
            continue
        level_before = before[-1][2]
        after = [s for s in items if s[0] >= started + dt.timedelta(days=AFTER_DAYS)]
        if not after:
            out[level_before]["Not screened again"] += 1
            continue
        change = LEVEL_ORDER[after[-1][2]] - LEVEL_ORDER[level_before]
        out[level_before][
            "Lower" if change < 0 else "Higher" if change > 0 else "The same"
        ] += 1
    return out
