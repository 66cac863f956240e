"""The scrutiny dashboard (issue 10 point 6): aggregates only, for analysts,
partnership leads, auditors and SVRO officers (VIEW_SVRO_SCRUTINY)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from svduty.accounts.models import Agency, AgencyType
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.core.authorisation import Permission
from svduty.core.exports import csv_response
from svduty.core.policies import requires

from ..models import Holder
from ..scrutiny import BREAKDOWNS, Filters, dashboard

PERIODS = {"3": "3 months", "6": "6 months", "12": "12 months", "24": "24 months"}


def _forces() -> list[Agency]:
    used = Holder.objects.values("managing_force_id").distinct()
    return list(
        Agency.objects.filter(pk__in=used).order_by("name")
        | Agency.objects.filter(agency_type=AgencyType.POLICE).order_by("name")
    )


def filters_from(params: Mapping[str, str], forces: list[Agency]) -> Filters:
    months = params.get("months", "12")
    if months not in PERIODS:
        months = "12"
    by = params.get("by", "ethnicity")
    if by not in BREAKDOWNS:
        by = "ethnicity"
    force_ids = {f.pk for f in forces}
    try:
        force_id: int | None = int(params.get("force", ""))
    except ValueError:
        force_id = None
    if force_id not in force_ids:
        force_id = None
    end = timezone.localdate()
    start = end - dt.timedelta(days=round(int(months) * 30.44))
    return Filters(start=start, end=end, by=by, force_id=force_id)


@requires(Permission.VIEW_SVRO_SCRUTINY)
def scrutiny(request: HttpRequest) -> HttpResponse:
    forces = _forces()
    filters = filters_from(request.GET, forces)
    result = dashboard(filters)
    months = request.GET.get("months", "12")
    return render(
        request,
        "svro/scrutiny.html",
        {
            "result": result,
            "tables": result.tables,
            "geojson": {"type": "FeatureCollection", "features": result.map_features},
            "legend": result.map_legend,
            "forces": forces,
            "periods": PERIODS,
            "months": months if months in PERIODS else "12",
            "breakdowns": BREAKDOWNS,
            "query": request.GET.urlencode(),
            "small_limit": settings.SUPPRESSION_THRESHOLD + 1,
        },
    )


@requires(Permission.VIEW_SVRO_SCRUTINY)
def scrutiny_export(request: HttpRequest) -> StreamingHttpResponse:
    filters = filters_from(request.GET, _forces())
    result = dashboard(filters)
    record(
        AuditAction.EXPORT,
        actor=request.user,
        target_type="svro.scrutiny",
        target_label="SVRO scrutiny figures",
        detail={"start": str(filters.start), "end": str(filters.end), "by": filters.by},
    )
    rows = []
    for table in result.tables:
        rows.append([table.title])
        rows.append(table.head)
        rows.extend(table.rows)
        rows.append([])
    return csv_response(
        f"svro-scrutiny-{filters.start}-{filters.end}.csv",
        [f"SVRO scrutiny figures, {filters.start} to {filters.end}"],
        rows,
    )
