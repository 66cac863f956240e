"""Prevalence and disproportionality (outcome 16) and risk after an intervention:
counts only, small numbers suppressed, every chart with its table."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from svduty.accounts.requests import signed_in_user
from svduty.cases.models import RiskLevel
from svduty.core.authorisation import Permission
from svduty.core.policies import requires
from svduty.evidence import actions, learning_forms
from svduty.evidence import disproportionality as dp
from svduty.evidence.charts import VEGA_LITE_SCHEMA
from svduty.evidence.models import ChildPopulation, Dimension

from .learning import _add, _form, _partnership

HEAD = [
    "Group",
    "Children referred",
    "Children in the area",
    "Rate per 1,000",
    "Relative rate",
    "95% confidence interval",
]


def _spec(rows: list[dp.GroupRow]) -> dict[str, Any] | None:
    values = [
        {"group": r.group, "ratio": round(r.ratio, 2)}
        for r in rows
        if r.ratio is not None and not r.suppressed
    ]
    if not values:
        return None
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "config": {"view": {"continuousWidth": 300, "continuousHeight": 180}},
        "data": {"values": values},
        "layer": [
            {
                "mark": "bar",
                "encoding": {
                    "y": {"field": "group", "type": "nominal", "title": None},
                    "x": {
                        "field": "ratio",
                        "type": "quantitative",
                        "title": "Relative rate (1 = the same as other children)",
                    },
                },
            },
            {
                "mark": {"type": "rule", "strokeDash": [4, 4]},
                "encoding": {"x": {"datum": 1}},
            },
        ],
    }


@requires(Permission.VIEW_EVIDENCE)
def disproportionality(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug)
    user = signed_in_user(request)
    form = _form(request, learning_forms.PopulationForm)
    if _add(
        request,
        form,
        lambda d: actions.set_population(by=user, partnership=partnership, **d),
        lambda p: f"Population recorded: {p}",
    ):
        return redirect("evidence:disproportionality", slug=slug)
    children = dp.cohort(partnership.pk)
    pops = dp.populations(partnership.pk)
    sections = []
    for dimension in Dimension:
        rows = dp.table(children, pops.get(dimension, {}), dimension)
        sections.append(
            {
                "id": f"dim-{dimension.value}",
                "title": f"Children referred by {dimension.label.lower()}",
                "spec": _spec(rows) if pops.get(dimension) else None,
                "rows": [r.cells() for r in rows],
                "has_population": bool(pops.get(dimension)),
            }
        )
    sources = sorted(
        set(
            ChildPopulation.objects.filter(partnership=partnership).values_list(
                "source", flat=True
            )
        )
    )
    return render(
        request,
        "evidence/disproportionality.html",
        {
            "partnership": partnership,
            "total": len(children),
            "sections": sections,
            "head": HEAD,
            "threshold": dp.threshold(),
            "sources": sources,
            "form": form,
            "today": timezone.localdate(),
        },
    )


@requires(Permission.VIEW_EVIDENCE)
def trajectories(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug)
    data = dp.trajectories(partnership.pk)
    limit = dp.threshold()

    def shown(n: int) -> str:
        return f"fewer than {limit + 1}" if 1 <= n <= limit else f"{n:,}"

    rows = []
    values = []
    for level, counts in data.items():
        label = RiskLevel(level).label
        total = sum(counts.values())
        rows.append(
            [
                f"{label} before",
                *(shown(counts.get(t, 0)) for t in dp.TRAJECTORY),
                shown(total),
            ]
        )
        values += [
            {"before": label, "after": t, "children": counts.get(t, 0)}
            for t in dp.TRAJECTORY
            if counts.get(t, 0) > limit
        ]
    spec: dict[str, Any] | None = {
        "$schema": VEGA_LITE_SCHEMA,
        "config": {"view": {"continuousWidth": 300, "continuousHeight": 160}},
        "data": {"values": values},
        "mark": "bar",
        "encoding": {
            "y": {"field": "before", "type": "nominal", "title": "Risk before"},
            "x": {"field": "children", "type": "quantitative", "stack": "zero"},
            "color": {"field": "after", "type": "nominal", "title": "Risk after"},
        },
    }
    if not values:
        spec = None
    return render(
        request,
        "evidence/trajectories.html",
        {
            "partnership": partnership,
            "spec": spec,
            "head": ["Risk before the service", *dp.TRAJECTORY, "Children"],
            "rows": rows,
            "after_days": dp.AFTER_DAYS,
            "threshold": limit,
        },
    )
