"""An intervention's before/after comparison, and the exports (aggregates only, with
small-number suppression: they may leave the partnership)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from svduty.analysis.snapshot import current_snapshot
from svduty.analysis.stats.rates import suppress
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.core.authorisation import Permission
from svduty.core.exports import csv_response
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


@requires(Permission.VIEW_PLACES)
def evaluation_export(
    request: HttpRequest, pk: int, intervention_pk: int
) -> StreamingHttpResponse:
    """The comparison as CSV: counts suppressed, as for anything that may be shared
    outside the partnership."""
    place = visible_place(request, pk)
    intervention = get_visible_or_404(
        PlaceIntervention.objects.filter(place=place), request.user, pk=intervention_pk
    )
    form = EvaluationForm(request.GET, place_radius=place.radius_m)
    context = comparison_for(place, intervention, form)
    result = context.get("result")
    rows: list[list[Any]] = []
    if result is not None and result.possible:
        rows = [[f"{m:%Y-%m}", period, _shown(n)] for m, n, period in result.series] + [
            [
                "Before (total)",
                f"{result.before.first:%Y-%m} to {result.before.last:%Y-%m}",
                _shown(result.before.count),
            ],
            [
                "After (total)",
                f"{result.after.first:%Y-%m} to {result.after.last:%Y-%m}",
                _shown(result.after.count),
            ],
        ]
    record(
        AuditAction.EXPORT,
        actor=request.user,
        target=intervention,
        detail={
            "place_id": place.pk,
            "radius_m": context["radius"],
            "months": context["months"],
            "crimes": str(context["crimes"]),
            "snapshot": getattr(context["snapshot"], "pk", None),
        },
    )
    return csv_response(
        f"place-{place.pk}-intervention-{intervention.pk}-before-after.csv",
        ["Month or period", "Period", "Incidents (1 to 4 shown as fewer than 5)"],
        rows,
    )


@requires(Permission.VIEW_PLACES)
def place_export(request: HttpRequest) -> StreamingHttpResponse:
    """The places list as CSV: no child is named; counts are suppressed."""
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
        target_label="Places of concern (CSV)",
        detail={"places": [p.pk for p in places]},
    )
    return csv_response(
        "places-of-concern.csv",
        [
            "Partnership",
            "Place",
            "Kind",
            "Local authority area",
            "Status",
            "Risk",
            "Children linked",
            "Incidents recorded",
            "Interventions",
        ],
        rows,
    )
