"""The scrutiny dashboard (issue 10 point 6): aggregates only, for analysts,
partnership leads, auditors and SVRO officers (VIEW_SVRO_SCRUTINY)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from svduty.accounts.models import Agency, AgencyType
from svduty.accounts.requests import signed_in_user
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.core.authorisation import Permission
from svduty.core.exports import csv_response, safe_cell
from svduty.core.formviews import button_action
from svduty.core.policies import requires
from svduty.strategy.pdf import pdf_response, render_pdf

from ..models import Holder
from ..scrutiny import BREAKDOWNS, Filters, report_sections, summary

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
    return filters_for(months, by, force_id)


def filters_for(months: str, by: str, force_id: int | None) -> Filters:
    end = timezone.localdate()
    start = end - dt.timedelta(days=round(int(months) * 30.44))
    return Filters(start=start, end=end, by=by, force_id=force_id)


def usual_filters() -> list[Filters]:
    """Every period and breakdown the page offers, for all forces and for each force
    that manages orders: what `svduty svro_scrutiny_refresh` computes ahead."""
    used = sorted(set(Holder.objects.values_list("managing_force_id", flat=True)))
    return [
        filters_for(months, by, force_id)
        for months in PERIODS
        for by in BREAKDOWNS
        for force_id in [None, *used]
    ]


@requires(Permission.VIEW_SVRO_SCRUTINY)
def scrutiny(request: HttpRequest) -> HttpResponse:
    forces = _forces()
    filters = filters_from(request.GET, forces)
    result = summary(filters)
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
            "max_age_minutes": settings.SVRO_SCRUTINY_MAX_AGE_MINUTES,
        },
    )


@requires(Permission.VIEW_SVRO_SCRUTINY)
def scrutiny_export(request: HttpRequest) -> StreamingHttpResponse:
    filters = filters_from(request.GET, _forces())
    result = summary(filters)
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


# --- The transparency report (HTML, tagged PDF) and the XLSX workbook ---------------


def report_context(params: Mapping[str, str], *, for_pdf: bool) -> dict:
    forces = _forces()
    base = filters_from(params, forces)
    main, sections = report_sections(base)
    tables = {t.key: t for section in sections for t in section["tables"]}
    svgs = {}
    if for_pdf:
        from svduty.analysis.charts import to_svg

        svgs = {k: to_svg(t.spec) for k, t in tables.items() if t.spec}
    force = next((f for f in forces if f.pk == base.force_id), None)
    months = params.get("months", "12")
    return {
        "filters": base,
        "result": main,
        "sections": sections,
        "svgs": svgs,
        "force": force,
        "geojson": {"type": "FeatureCollection", "features": main.map_features},
        "legend": main.map_legend,
        "small_limit": settings.SUPPRESSION_THRESHOLD + 1,
        "generated_at": timezone.now(),
        "for_pdf": for_pdf,
        "query": urlencode(
            {
                "months": months if months in PERIODS else "12",
                **({"force": base.force_id} if base.force_id else {}),
            }
        ),
        "periods": PERIODS,
        "forces": forces,
        "months": months if months in PERIODS else "12",
    }


@requires(Permission.VIEW_SVRO_SCRUTINY)
def report(request: HttpRequest) -> HttpResponse:
    """The transparency report for publication: the s.166(3) items (a) to (g) with
    every figure suppressed; aggregates only."""
    from ..policies import may_publish_for

    context = report_context(request.GET, for_pdf=False)
    context["can_publish"] = may_publish_for(request.user, context["filters"].force_id)
    return render(request, "svro/report.html", context)


@requires(Permission.VIEW_SVRO_SCRUTINY)
def report_pdf(request: HttpRequest) -> HttpResponse:
    context = report_context(request.GET, for_pdf=True)
    content = render_pdf("svro/report_pdf.html", context)
    filters = context["filters"]
    record(
        AuditAction.EXPORT,
        actor=request.user,
        target_type="svro.scrutiny",
        target_label="SVRO transparency report (PDF)",
        detail={"start": str(filters.start), "end": str(filters.end), "format": "pdf"},
    )
    response = pdf_response(
        content, f"svro-transparency-report-{filters.start}-to-{filters.end}.pdf"
    )
    response["Cache-Control"] = "no-store"
    return response


@requires(Permission.VIEW_SVRO_SCRUTINY)
def scrutiny_xlsx(request: HttpRequest) -> HttpResponse:
    """Every table of the dashboard (as filtered) in one workbook: a sheet per
    table, the same suppressed figures, and an About sheet."""
    from openpyxl import Workbook

    filters = filters_from(request.GET, _forces())
    result = summary(filters)
    workbook = Workbook(write_only=True)
    for table in result.tables:
        sheet = workbook.create_sheet(title=table.title[:31])
        sheet.append([safe_cell(table.title)])
        sheet.append([safe_cell(h) for h in table.head])
        for row in table.rows:
            sheet.append([safe_cell(v) for v in row])
        sheet.append([])
        sheet.append([safe_cell(table.definition)])
    about = workbook.create_sheet(title="About")
    for line in [
        "Serious Violence Reduction Orders: scrutiny figures",
        f"Period: {filters.start} to {filters.end}",
        f"Broken down by: {BREAKDOWNS[filters.by]}",
        f"Counts from 1 to {settings.SUPPRESSION_THRESHOLD} are shown as 'fewer than "
        f"{settings.SUPPRESSION_THRESHOLD + 1}'; [c] marks further cells withheld so "
        "that hidden counts cannot be worked out from the totals.",
        f"Figures as at {result.computed_at:%Y-%m-%d %H:%M}"
        if result.computed_at
        else "",
    ]:
        about.append([safe_cell(line)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    record(
        AuditAction.EXPORT,
        actor=request.user,
        target_type="svro.scrutiny",
        target_label="SVRO scrutiny figures (XLSX)",
        detail={"start": str(filters.start), "end": str(filters.end), "by": filters.by},
    )
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="svro-scrutiny-{filters.start}-{filters.end}.xlsx"'
    )
    response["Cache-Control"] = "no-store"
    return response


@requires(Permission.PUBLISH_SVRO_REPORT)
def report_publish(request: HttpRequest) -> HttpResponse:
    """Publish the report for the period and force chosen on the report page (issue
    10 point 6): a confirmation page, then the figures as they are now are frozen
    into the publication that the public pages show."""
    from django.http import Http404
    from django.shortcuts import redirect

    from .. import actions
    from ..policies import may_publish_for

    params = request.POST if request.method == "POST" else request.GET
    forces = _forces()
    filters = filters_from(params, forces)
    if not may_publish_for(request.user, filters.force_id):
        raise Http404  # another partnership's force area (audited as a refusal)
    done = button_action(
        request,
        lambda: actions.publish_report(by=signed_in_user(request), filters=filters),
        success="The transparency report is published",
    )
    if done:
        return redirect("public_svro:detail", pk=done.result.pk)
    months = params.get("months", "12")
    return render(
        request,
        "svro/report_publish.html",
        {
            "filters": filters,
            "force": next((f for f in forces if f.pk == filters.force_id), None),
            "months": months if months in PERIODS else "12",
            "query": urlencode(
                {
                    "months": months if months in PERIODS else "12",
                    **({"force": filters.force_id} if filters.force_id else {}),
                }
            ),
        },
    )


@requires(Permission.PUBLISH_SVRO_REPORT)
def report_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw a published report, with the reason the public page will give in
    place of its figures."""
    from django.http import Http404
    from django.urls import reverse

    from .. import actions
    from ..forms import WithdrawReportForm
    from ..models import PublishedReport
    from ..policies import may_publish_for
    from .common import save_form

    report = PublishedReport.objects.filter(pk=pk).first()
    if report is None or not may_publish_for(request.user, report.force_id):
        raise Http404  # another partnership's force area (audited as a refusal)
    public_url = reverse("public_svro:detail", args=[report.pk])
    return save_form(
        request,
        WithdrawReportForm(request.POST or None),
        lambda data: actions.withdraw_report(
            by=signed_in_user(request), report=report, reason=data["reason"]
        ),
        success="The transparency report is withdrawn",
        next_url=lambda _: public_url,
        context={
            "title": "Withdraw the transparency report",
            "intro": f"{report}, published {report.published_at:%-d %B %Y}. Its "
            "public page will say that it was withdrawn, when and why, and will no "
            "longer give the figures or the downloads. This cannot be undone: to "
            "correct figures, publish the report again and say so in the reason.",
            "back_url": public_url,
            "back_label": "Back to the report",
            "button": "Withdraw the report",
        },
    )
