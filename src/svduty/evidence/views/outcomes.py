"""The 21 outcomes, one outcome, one indicator and its drill-down."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.db.models import Count, Q, Window
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from svduty.accounts.models import Agency
from svduty.accounts.requests import signed_in_user
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.core.authorisation import Permission
from svduty.core.policies import has_permission, may_open, requires
from svduty.evidence import charts, figures, outcomes, record_types
from svduty.evidence.actions import refresh_figures
from svduty.evidence.indicators import REGISTRY, Indicator, for_outcome, get
from svduty.evidence.indicators.common import in_period, on_field
from svduty.evidence.models import SelfAssessment

from .assessment import self_assessment_context
from .common import chosen_partnership, latest_run

DRILL_LIMIT = 200


def _summary(indicator: Indicator, series: dict[Any, Any]) -> dict[str, Any]:
    months = figures.by_month(series)
    quarters = figures.by_quarter(months)
    year = figures.last_twelve(months)
    latest = quarters[-2] if len(quarters) > 1 else quarters[-1]  # last full quarter
    return {
        "indicator": indicator,
        "year": indicator.format(year.value(indicator)),
        "year_denominator": year.denominator,
        "quarter_label": latest.label,
        "quarter": indicator.format(latest.value(indicator)),
        "months": months,
        "quarters": quarters,
    }


def _record_types(number: int, partnership: Any, user: Any) -> list[dict[str, str]]:
    """The outcome's evidence records the user may open (case audits need
    AUDIT_CASES, which an analyst does not hold): a link shown is a page opened."""
    found = (
        {"title": r.title, "url": r.url(partnership)}
        for r in record_types.for_outcome(number)
    )
    return [r for r in found if may_open(user, r["url"])]


# How long rendered outcome cards are kept. Their key names every input (the
# figures' run, the period, the grades), so a change is never served stale; the
# limit only bounds memory for runs no longer shown.
CARDS_SECONDS = 3600


def _outcome_cards(
    partnership: Any, run: Any, assessed: dict[int, SelfAssessment], user: Any
) -> str:
    """The 21 outcome cards, rendered once for each state of what they show and
    kept in the cache: the figures change only when they are refreshed (a new
    FigureRun, in the same transaction that replaces them), the period with the
    month, the cards' self-assessment with its grade. Counts only, the same for
    every user who may read them, so the cards are shared between users."""
    first, _ = figures.period()
    grades = ",".join(f"{n}={sa.grade}" for n, sa in sorted(assessed.items()))
    stamp = f"{run.pk}@{run.computed_at.isoformat()}" if run else "none"
    # The cards link only the evidence records the user may open (an analyst may
    # not open the case audits): users who may open different ones share none.
    opens = "".join(
        "1" if may_open(user, r.url(partnership)) else "0"
        for r in record_types.RECORD_TYPES
    )
    key = (
        f"evidence:outcome-cards:{partnership.pk}:{stamp}:{first:%Y-%m}:{grades}"
        f":{opens}"
    )
    cards: str | None = cache.get(key)
    if cards is not None:
        return cards
    data = figures.figures([partnership.pk])
    rows = [
        {
            "outcome": outcome,
            "sa": assessed.get(outcome.number),
            "record_types": _record_types(outcome.number, partnership, user),
            "indicators": [
                _summary(i, data.get(i.key, {})) for i in for_outcome(outcome.number)
            ],
        }
        for outcome in outcomes.OUTCOMES
    ]
    # A SafeString, kept as one by the cache.
    cards = render_to_string(
        "evidence/_outcome_cards.html", {"rows": rows, "partnership": partnership}
    )
    cache.set(key, cards, CARDS_SECONDS)
    return cards


@requires(Permission.VIEW_EVIDENCE)
def outcome_list(request: HttpRequest) -> HttpResponse:
    partnership, options = chosen_partnership(request)
    assessed = {
        sa.outcome: sa
        for sa in SelfAssessment.objects.filter(partnership=partnership).only(
            "outcome", "grade"
        )
    }
    run = latest_run(partnership)
    return render(
        request,
        "evidence/outcomes.html",
        {
            "partnership": partnership,
            "options": options,
            "cards": _outcome_cards(partnership, run, assessed, request.user),
            "run": run,
            "may_audit": has_permission(request.user, Permission.AUDIT_CASES),
            "may_export": has_permission(
                request.user, Permission.EXPORT_INSPECTION_DATA
            ),
        },
    )


@require_POST
@requires(Permission.VIEW_EVIDENCE)
def refresh(request: HttpRequest) -> HttpResponse:
    partnership, _ = chosen_partnership(request)
    run = refresh_figures(by=signed_in_user(request), partnership=partnership)
    messages.success(
        request,
        f"Figures refreshed: {run.rows} figures from {run.indicators} indicators.",
    )
    return redirect(f"{reverse('evidence:outcomes')}?partnership={partnership.pk}")


def _table(indicator: Indicator, points: list[figures.Point]) -> list[list[Any]]:
    return [
        [
            p.label,
            p.numerator if indicator.kind != "count" else "",
            p.denominator,
            indicator.format(p.value(indicator)),
        ]
        for p in points
    ]


def _head(indicator: Indicator, first: str) -> list[str]:
    if indicator.kind == "count":
        return [first, "", "Records", "Figure"]
    if indicator.kind == "mean":
        return [first, "Records counted", "Records", "Average"]
    return [first, "Numerator", "Denominator", "Share"]


@requires(Permission.VIEW_EVIDENCE)
def outcome_detail(request: HttpRequest, number: int) -> HttpResponse:
    outcome = outcomes.get(number)
    if outcome is None:
        raise Http404("No such outcome")
    partnership, options = chosen_partnership(request)
    indicators = for_outcome(number)
    data = figures.figures([partnership.pk], [i.key for i in indicators])
    items = []
    for indicator in indicators:
        s = _summary(indicator, data.get(indicator.key, {}))
        s["spec"] = charts.trend(indicator, s["months"])
        s["head"] = _head(indicator, "Month")
        s["rows"] = _table(indicator, s["months"])
        items.append(s)
    context: dict[str, Any] = {
        "outcome": outcome,
        "partnership": partnership,
        "options": options,
        "items": items,
        "run": latest_run(partnership),
        "record_types": _record_types(number, partnership, request.user),
    }
    context.update(self_assessment_context(request, partnership, number))
    return render(request, "evidence/outcome.html", context)


def _indicator_or_404(key: str) -> Indicator:
    indicator = get(key)
    if indicator is None:
        raise Http404("No such indicator")
    return indicator


@requires(Permission.VIEW_EVIDENCE)
def indicator_detail(request: HttpRequest, key: str) -> HttpResponse:
    indicator = _indicator_or_404(key)
    partnership, options = chosen_partnership(request)
    data = figures.figures([partnership.pk], [key])
    s = _summary(indicator, data.get(key, {}))
    agencies = figures.by_agency([partnership.pk], key)
    areas = figures.by_partnership([o.pk for o in options], key)

    def breakdown(rows: list[tuple[str, int, int, float | None]]) -> list[list[Any]]:
        return [
            [
                name,
                num if indicator.kind != "count" else "",
                den,
                indicator.format(indicator.value(num, den, tot)),
            ]
            for name, num, den, tot in rows
        ]

    return render(
        request,
        "evidence/indicator.html",
        {
            "indicator": indicator,
            "outcome": outcomes.get(indicator.outcome),
            "partnership": partnership,
            "options": options,
            "summary": s,
            "month_spec": charts.trend(indicator, s["months"]),
            "month_head": _head(indicator, "Month"),
            "month_rows": _table(indicator, s["months"]),
            "quarter_head": _head(indicator, "Quarter"),
            "quarter_rows": _table(indicator, s["quarters"]),
            "agency_spec": charts.bars(
                indicator,
                [(n, indicator.value(a, b, t)) for n, a, b, t in agencies],
            ),
            "agency_head": _head(indicator, "Agency"),
            "agency_rows": breakdown(agencies),
            "area_head": _head(indicator, "Partnership (area)"),
            "area_rows": breakdown(areas),
            "run": latest_run(partnership),
            "may_drill": indicator.scope is not None,
        },
    )


def _month_param(raw: str | None) -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.datetime.strptime(raw, "%Y-%m").date()
    except ValueError:
        raise Http404("Not found") from None


@requires(Permission.VIEW_EVIDENCE)
def indicator_records(request: HttpRequest, key: str) -> HttpResponse:
    """The records behind a figure: named (with a link) where the user may see the
    child or the record, counted only otherwise."""
    indicator = _indicator_or_404(key)
    partnership, options = chosen_partnership(request)
    first, _ = figures.period()
    month = _month_param(request.GET.get("month"))
    qs = indicator.records([partnership.pk])
    if month is not None and month >= first:
        qs = in_period(qs, month, figures.add_months(month, 1))
    elif month is not None:
        qs = qs.none()  # before the period of the figures
    else:
        qs = in_period(qs, first)
    agency = None
    raw_agency = request.GET.get("agency")
    if raw_agency:
        if not raw_agency.isdigit():
            raise Http404("Not found")
        agency = Agency.objects.filter(pk=int(raw_agency)).first()
        if agency is None:
            raise Http404("Not found")
        qs = qs.filter(ev_agency=agency.pk)
    # One pass over the records for both counts.
    counts = qs.order_by().aggregate(
        total=Count("pk"), hits=Count("pk", filter=Q(ev_hit=True))
    )
    total, in_numerator = counts["total"], counts["hits"]
    visible = indicator.scope(qs, request.user)
    fields = ["pk", "ev_on", "ev_hit", "ev_value", "ev_person", "ev_partnership"]
    if "ev_link" in qs.query.annotations:
        fields.append("ev_link")
    newest = f"-{on_field(qs)}"
    # The newest records the user may see and how many they may see in one pass
    # (a window count over the same rows): asking twice would check every record's
    # child against the policy twice.
    rows = list(
        visible.annotate(ev_visible=Window(Count("pk")))
        .order_by(newest, "-pk")
        .values(*fields, "ev_visible")[:DRILL_LIMIT]
    )
    visible_count = rows[0]["ev_visible"] if rows else 0
    people = _people(rows)
    label = indicator.record_label[:1].upper() + indicator.record_label[1:]
    for r in rows:
        # Written here once rather than worked out by the template for each of
        # the 200 rows (most of the page's time after the queries).
        r["url"] = indicator.link(r)
        person = people.get(r["ev_person"])
        r["text"] = f"{label} about {person}" if person else label
        if r["ev_value"] is not None:
            r["text"] += f" ({r['ev_value']:.1f} {indicator.unit})"
        r["when"] = f"{r['ev_on'].day} {r['ev_on']:%b %Y}" if r["ev_on"] else ""
    if rows:
        record(
            AuditAction.VIEW,
            actor=request.user,
            target=partnership,
            detail={
                "evidence": "indicator drill-down",
                "indicator": key,
                "month": f"{month:%Y-%m}" if month else "",
                "people": sorted({r["ev_person"] for r in rows if r["ev_person"]}),
                "records": len(rows),
            },
        )
    return render(
        request,
        "evidence/records.html",
        {
            "indicator": indicator,
            "partnership": partnership,
            "options": options,
            "month": month,
            "agency": agency,
            "total": total,
            "in_numerator": in_numerator,
            "rows": rows,
            "visible_count": visible_count,
            "hidden_count": total - visible_count,
            "limit": DRILL_LIMIT,
        },
    )


def _people(rows: list[dict[str, Any]]) -> dict[int, str]:
    from svduty.cases.models import Person

    ids = {r["ev_person"] for r in rows if r["ev_person"]}
    if not ids:
        return {}
    return {
        p.pk: p.display_name
        for p in Person.objects.filter(pk__in=ids).only(
            "pk", "first_name", "last_name", "preferred_name"
        )
    }


__all__ = [
    "REGISTRY",
    "indicator_detail",
    "indicator_records",
    "outcome_detail",
    "outcome_list",
    "refresh",
]
