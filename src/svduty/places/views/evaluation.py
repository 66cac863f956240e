"""An intervention's before/after comparison, and the exports (aggregates only, with
small-number suppression: they may leave the partnership)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
)
from django.shortcuts import render
from django.utils import timezone

from svduty.analysis.snapshot import current_snapshot
from svduty.analysis.stats.rates import suppress
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.core.authorisation import Permission
from svduty.core.exports import csv_response, xlsx_response
from svduty.core.policies import get_visible_or_404, has_permission, requires

from ..evaluation import CAVEAT, Comparison, SnapshotWithoutPoints, evaluate
from ..forms import EvaluationForm
from ..models import (
    Place,
    PlaceChild,
    PlaceIntervention,
    PlaceReport,
    PlaceStatus,
    ReportKind,
)
from .places import count_of, visible_place

SOURCE = (
    "Street-level crime and anti-social behaviour, data.police.uk (Open Government "
    "Licence v3.0), from the partnership's analytic snapshot. Each record is at "
    "police.uk's anonymised map point, not the exact spot."
)


def _shown(count: int) -> str:
    return suppress(count, settings.SUPPRESSION_THRESHOLD).display


def chart_spec(result: Comparison) -> dict[str, Any]:
    """Incidents per month, coloured by period (Vega-Lite, with its table)."""
    values = [
        {"month": f"{month:%b %Y}", "count": count, "period": period}
        for month, count, period in result.series
    ]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.4.1.json",
        "data": {"values": values},
        "mark": {"type": "bar"},
        "width": "container",
        "height": 220,
        "encoding": {
            "x": {
                "field": "month",
                "type": "ordinal",
                "sort": None,
                "title": "Month",
                "axis": {"labelAngle": -40},
            },
            "y": {"field": "count", "type": "quantitative", "title": "Incidents"},
            "color": {
                "field": "period",
                "type": "nominal",
                "title": "Period",
                "scale": {
                    "domain": ["Before", "After"],
                    "range": ["#505a5f", "#1d70b8"],
                },
            },
            "tooltip": [
                {"field": "month", "title": "Month"},
                {"field": "period", "title": "Period"},
                {"field": "count", "title": "Incidents"},
            ],
        },
    }


def comparison_for(place: Place, intervention: PlaceIntervention, form) -> dict:
    """The comparison and what the page needs to explain it (or why there is none)."""
    radius, months, crimes = form.settings()
    snapshot = current_snapshot(place.partnership)
    context: dict[str, Any] = {
        "radius": radius,
        "months": months,
        "crimes": crimes,
        "snapshot": snapshot,
    }
    if place.latitude is None or place.longitude is None:  # not place.has_point
        context["unavailable"] = (
            "This place has no point on the map (for example an online platform), "
            "so police.uk incidents cannot be counted around it."
        )
    elif snapshot is None:
        context["unavailable"] = (
            "The partnership has no analytic snapshot yet: import police.uk "
            "street-level data first."
        )
    else:
        try:
            result = evaluate(
                snapshot.path,
                latitude=place.latitude,
                longitude=place.longitude,
                radius_m=radius,
                started_on=intervention.started_on,
                months=months,
                crimes=crimes,
            )
        except SnapshotWithoutPoints as error:
            context["unavailable"] = str(error)
        else:
            context["result"] = result
            context["unavailable"] = result.unavailable
    return context


@requires(Permission.VIEW_PLACES)
def evaluation(request: HttpRequest, pk: int, intervention_pk: int) -> HttpResponse:
    place = visible_place(request, pk)
    intervention = get_visible_or_404(
        PlaceIntervention.objects.filter(place=place).select_related("lead_agency"),
        request.user,
        pk=intervention_pk,
    )
    form = EvaluationForm(request.GET, place_radius=place.radius_m)
    context = comparison_for(place, intervention, form)
    result = context.get("result")
    if result is not None and result.possible:
        context.update(
            spec=chart_spec(result),
            head=["Month", "Period", "Incidents"],
            rows=[[f"{m:%B %Y}", period, n] for m, n, period in result.series],
        )
    context.update(
        place=place,
        intervention=intervention,
        form=form,
        caveat=CAVEAT,
        source=SOURCE,
        may_manage=has_permission(request.user, Permission.MANAGE_PLACES)
        and place.status == PlaceStatus.OF_CONCERN,
    )
    return render(request, "places/evaluation.html", context)


def protected_comparison(result: Comparison, threshold: int) -> dict[str, Any]:
    """The comparison as it may leave the partnership (convention 9): monthly counts
    and period totals with small numbers suppressed, and a further count withheld
    ("[c]") where a small one could be worked out from its period's total
    (`core.disclosure`). A period's rate, the change and its percentage are left out
    when they would give a hidden count away, and so is the test of chance."""
    from svduty.core.disclosure import protect_table

    if result.before is None or result.after is None:
        return {"months": [], "periods": [], "change": "", "percent": "", "chance": ""}
    by_period: dict[str, dict[Any, int]] = {"Before": {}, "After": {}}
    for month, count, period in result.series:
        by_period[period][month] = count
    table = protect_table(
        by_period, threshold=threshold, column_totals=False, grand_total=False
    )

    def shown(cell) -> int | str:
        return cell.display(threshold) if cell.suppressed else cell.value

    months = [
        [f"{month:%Y-%m}", period, shown(table.cells[period][month])]
        for month, _count, period in result.series
    ]
    periods = []
    for name, span in (("Before", result.before), ("After", result.after)):
        total = table.row_totals[name]
        periods.append(
            [
                name,
                f"{span.first:%B %Y} to {span.last:%B %Y}",
                span.months,
                shown(total),
                "" if total.suppressed else round(span.rate, 1),
            ]
        )
    hidden = any(table.row_totals[name].suppressed for name in by_period)
    percent = result.percent_change
    return {
        "months": months,
        "periods": periods,
        "change": "" if hidden else result.change,
        "percent": "" if hidden or percent is None else round(percent),
        "chance": "" if hidden else result.chance_words,
    }


MONTH_HEAD = ["Month", "Period", "Incidents"]
PERIOD_HEAD = ["Period", "Months", "Number of months", "Incidents", "Per month"]


@requires(Permission.VIEW_PLACES)
def evaluation_export(
    request: HttpRequest, pk: int, intervention_pk: int, fmt: str = "csv"
) -> HttpResponseBase:
    """The comparison as CSV, a workbook or a tagged PDF (PDF/UA-1): counts
    suppressed (`protected_comparison`), as for anything that may be shared outside
    the partnership, with the comparison period and the caveat."""
    place = visible_place(request, pk)
    intervention = get_visible_or_404(
        PlaceIntervention.objects.filter(place=place).select_related("lead_agency"),
        request.user,
        pk=intervention_pk,
    )
    form = EvaluationForm(request.GET, place_radius=place.radius_m)
    context = comparison_for(place, intervention, form)
    result = context.get("result")
    threshold = settings.SUPPRESSION_THRESHOLD
    protected = (
        protected_comparison(result, threshold)
        if result is not None and result.possible
        else protected_comparison(Comparison(requested_months=0), threshold)
    )
    record(
        AuditAction.EXPORT,
        actor=request.user,
        target=intervention,
        detail={
            "place_id": place.pk,
            "format": fmt,
            "radius_m": context["radius"],
            "months": context["months"],
            "crimes": str(context["crimes"]),
            "snapshot": getattr(context["snapshot"], "pk", None),
        },
    )
    stem = f"place-{place.pk}-intervention-{intervention.pk}-before-after"
    if fmt == "pdf":
        from svduty.strategy.pdf import pdf_response, render_pdf

        content = render_pdf(
            "places/evaluation_pdf.html",
            {
                **context,
                "place": place,
                "intervention": intervention,
                "protected": protected,
                "month_head": MONTH_HEAD,
                "period_head": PERIOD_HEAD,
                "caveat": CAVEAT,
                "source": SOURCE,
                "threshold": threshold,
                "today": timezone.localdate(),
            },
        )
        response = pdf_response(content, f"{stem}.pdf")
        response["Cache-Control"] = "no-store"
        return response
    totals = [
        [f"{name} (total)", months, count]
        for name, months, _n, count, _rate in protected["periods"]
    ]
    if fmt == "xlsx":
        return xlsx_response(
            f"{stem}.xlsx",
            [
                ("Periods", PERIOD_HEAD, protected["periods"]),
                ("Months", MONTH_HEAD, protected["months"]),
            ],
        )
    return csv_response(
        f"{stem}.csv",
        ["Month or period", "Period", "Incidents (1 to 4 shown as fewer than 5)"],
        protected["months"] + totals,
    )


PLACE_HEAD = [
    "Partnership",
    "Place",
    "Kind",
    "Local authority area",
    "Status",
    "Risk",
    "Children linked",
    "Incidents recorded",
    "Interventions",
]


@requires(Permission.VIEW_PLACES)
def place_export(request: HttpRequest, fmt: str = "csv") -> HttpResponseBase:
    """The places list as CSV, a workbook or a tagged PDF: no child is named;
    counts of children and incidents are suppressed (each place's counts stand
    alone: no total is published beside them)."""
    places = (
        Place.objects.visible_to(request.user)
        .select_related("area", "partnership")
        .annotate(
            children_count=count_of(PlaceChild.objects.filter(ended_on__isnull=True)),
            incidents_count=count_of(
                PlaceReport.objects.filter(kind=ReportKind.INCIDENT)
            ),
            interventions_count=count_of(PlaceIntervention.objects.all()),
        )
        .order_by("partnership__name", "name")
    )
    rows = [
        [
            p.partnership.name,
            p.name,
            p.get_kind_display(),
            p.area.name if p.area else "",
            p.get_status_display(),
            p.get_risk_level_display() or "Not assessed",
            _shown(p.children_count),
            _shown(p.incidents_count),
            p.interventions_count,
        ]
        for p in places
    ]
    record(
        AuditAction.EXPORT,
        actor=request.user,
        target_type="places.place",
        target_label=f"Places of concern ({fmt.upper()})",
        detail={"places": [p.pk for p in places], "format": fmt},
    )
    if fmt == "pdf":
        from svduty.strategy.pdf import pdf_response, render_pdf

        content = render_pdf(
            "places/place_list_pdf.html",
            {
                "head": PLACE_HEAD,
                "rows": rows,
                "today": timezone.localdate(),
                "threshold": settings.SUPPRESSION_THRESHOLD,
            },
        )
        response = pdf_response(content, "places-of-concern.pdf")
        response["Cache-Control"] = "no-store"
        return response
    if fmt == "xlsx":
        return xlsx_response(
            "places-of-concern.xlsx", [("Places of concern", PLACE_HEAD, rows)]
        )
    return csv_response("places-of-concern.csv", PLACE_HEAD, rows)
