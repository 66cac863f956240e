"""SNA pages: the partnerships list, the dashboard, downloads, the report (HTML and
PDF) and the narrative versions with sign-off.

Every view of analysis is audited (VIEW), every download and PDF too (EXPORT), one
event each. The dashboard is for people inside the partnership and shows raw counts;
downloads and the report suppress small numbers (convention 9).
"""

from __future__ import annotations

import io

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.core.authorisation import Permission
from svduty.core.exports import csv_response, safe_cell
from svduty.core.forms import apply_validation_error
from svduty.core.params import parse_id
from svduty.core.policies import get_visible_or_404, has_permission, requires
from svduty.partnership.models import Partnership

from . import actions
from .charts import chart_specs, map_geojson, map_svg, to_svg
from .dashboard import (
    BOUNDARY_ATTRIBUTION,
    SECTIONS,
    build_sections,
    dashboard_results,
    filter_query,
)
from .forms import FilterForm, SnaVersionForm
from .models import SnaVersion
from .service import sna_for, snapshot_months
from .sna import month_label, parse_month
from .snapshot import current_snapshot
from .tables import sna_tables


def _partnership(request, slug) -> Partnership:
    return get_visible_or_404(Partnership.objects.all(), request.user, slug=slug)


@requires(Permission.VIEW_ANALYSIS)
def home(request):
    partnerships = list(Partnership.objects.visible_to(request.user).order_by("name"))
    rows = [(p, current_snapshot(p)) for p in partnerships]
    return render(request, "analysis/home.html", {"rows": rows})


def _filters(request, partnership, snapshot, result_choices=None):
    """Bind the filter form; returns (form, options dict) or (form, None)."""
    months = snapshot_months(snapshot)
    from .service import default_period, definition_for

    definition = definition_for(partnership)
    areas = result_choices or _area_choices(partnership, snapshot)
    default_from, default_to = default_period(snapshot)
    data = {
        "period_from": request.GET.get("period_from") or month_label(default_from),
        "period_to": request.GET.get("period_to") or month_label(default_to),
        "kind": request.GET.get("kind", ""),
        "area": request.GET.get("area", ""),
    }
    form = FilterForm(data, months=months, kinds=definition["types"], areas=areas)
    if not form.is_valid():
        return form, None
    return form, {
        "period_from": parse_month(form.cleaned_data["period_from"]),
        "period_to": parse_month(form.cleaned_data["period_to"]),
        "kind": form.cleaned_data["kind"] or None,
        "area": form.cleaned_data["area"] or None,
    }


def _area_choices(partnership, snapshot):
    from .service import snapshot_areas

    return snapshot_areas(snapshot)


def _filter_detail(options) -> dict:
    return {
        "period_from": month_label(options["period_from"]),
        "period_to": month_label(options["period_to"]),
        "kind": options["kind"],
        "area": options["area"],
    }


def _no_data(request, partnership):
    return render(
        request, "analysis/no_data.html", {"partnership": partnership}, status=200
    )


@requires(Permission.VIEW_ANALYSIS)
def dashboard(request, slug):
    partnership = _partnership(request, slug)
    snapshot = current_snapshot(partnership)
    if snapshot is None:
        return _no_data(request, partnership)
    form, options = _filters(request, partnership, snapshot)
    context = {
        "partnership": partnership,
        "snapshot": snapshot,
        "form": form,
        "sections": SECTIONS,
    }
    if options is None:
        return render(request, "analysis/dashboard.html", context)
    record(
        AuditAction.VIEW,
        actor=request.user,
        target=partnership,
        target_label=f"Needs assessment dashboard: {partnership}",
        detail={"snapshot": snapshot.pk, **_filter_detail(options)},
    )
    context["results_html"] = dashboard_results(
        partnership,
        snapshot,
        options,
        all_areas=request.GET.get("areas") == "all",
    )
    return render(request, "analysis/dashboard.html", context)


def _xlsx_response(filename: str, title: str, head: list, rows: list, notes: list[str]):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([safe_cell(h) for h in head])
    for row in rows:
        sheet.append(
            [
                v
                if isinstance(v, (int, float)) and not isinstance(v, bool)
                else safe_cell(v)
                for v in row
            ]
        )
    about = workbook.create_sheet(title="About")
    for line in notes:
        about.append([safe_cell(line)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@requires(Permission.VIEW_ANALYSIS)
def export(request, slug, table, fmt):
    partnership = _partnership(request, slug)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    snapshot = current_snapshot(partnership)
    if snapshot is None:
        raise Http404
    form, options = _filters(request, partnership, snapshot)
    if options is None:
        raise Http404
    result = sna_for(partnership, snapshot=snapshot, **options)
    chosen = next((t for t in sna_tables(result) if t.slug == table), None)
    if chosen is None:
        raise Http404
    rows = chosen.display(suppressed=True)
    record(
        AuditAction.EXPORT,
        actor=request.user,
        target=partnership,
        target_label=f"Needs assessment table {chosen.title}: {partnership}",
        detail={
            "table": table,
            "format": fmt,
            "snapshot": snapshot.pk,
            **_filter_detail(options),
        },
    )
    stem = f"svduty-sna-{partnership.slug}-{table}-{result['period']['from']}-to-{result['period']['to']}"  # noqa: E501
    notes = [
        chosen.title,
        f"Partnership: {partnership.name}",
        f"Period: {result['period']['from']} to {result['period']['to']}",
        f"Definition: {chosen.definition}",
        f"Source: {chosen.source}",
        f"Data snapshot: {snapshot.label}",
        f"Counts from 1 to {settings.SUPPRESSION_THRESHOLD} are shown as 'fewer than "
        f"{settings.SUPPRESSION_THRESHOLD + 1}' and figures computed from them are withheld.",  # noqa: E501
    ]
    if fmt == "csv":
        return csv_response(f"{stem}.csv", chosen.head, rows)
    return _xlsx_response(f"{stem}.xlsx", chosen.slug, chosen.head, rows, notes)


def report_context(partnership, snapshot, result, *, for_pdf: bool) -> dict:
    """Everything the report template needs, with small numbers suppressed."""
    tables = {t.slug: t for t in sna_tables(result)}
    specs = chart_specs(tables, suppressed=True)
    geojson, legend = map_geojson(
        result, tables["areas"], str(snapshot.path), suppressed=True
    )
    context = {
        "partnership": partnership,
        "snapshot": snapshot,
        "result": result,
        "threshold": settings.SUPPRESSION_THRESHOLD,
        "boundary_attribution": BOUNDARY_ATTRIBUTION,
        "generated_at": timezone.now(),
        "for_pdf": for_pdf,
    }
    svgs = {key: to_svg(spec) for key, spec in specs.items()} if for_pdf else None
    context["page_sections"] = build_sections(
        tables, suppressed=True, specs=specs, svgs=svgs
    )
    context["geojson"] = geojson
    context["legend"] = legend
    if for_pdf:
        context["map_svg"] = map_svg(
            geojson, legend, title="Map: serious violence per 1,000 residents by LSOA"
        )
    return context


@requires(Permission.VIEW_ANALYSIS)
def report(request, slug):
    partnership = _partnership(request, slug)
    snapshot = current_snapshot(partnership)
    if snapshot is None:
        return _no_data(request, partnership)
    form, options = _filters(request, partnership, snapshot)
    if options is None:
        return redirect(
            reverse("analysis:dashboard", args=[slug]) + "?" + request.GET.urlencode()
        )
    result = sna_for(partnership, snapshot=snapshot, **options)
    record(
        AuditAction.VIEW,
        actor=request.user,
        target=partnership,
        target_label=f"Needs assessment report: {partnership}",
        detail={"snapshot": snapshot.pk, **_filter_detail(options)},
    )
    context = report_context(partnership, snapshot, result, for_pdf=False)
    context["query"] = filter_query(options)
    return render(request, "analysis/report.html", context)


def render_pdf(partnership, snapshot, result) -> bytes:
    from weasyprint import HTML

    context = report_context(partnership, snapshot, result, for_pdf=True)
    html = render_to_string("analysis/report_pdf.html", context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        pdf_variant="pdf/ua-1"
    )


def render_html_document(partnership, snapshot, result) -> str:
    context = report_context(partnership, snapshot, result, for_pdf=True)
    return render_to_string("analysis/report_pdf.html", context)


@requires(Permission.VIEW_ANALYSIS)
def report_pdf(request, slug):
    partnership = _partnership(request, slug)
    snapshot = current_snapshot(partnership)
    if snapshot is None:
        raise Http404
    form, options = _filters(request, partnership, snapshot)
    if options is None:
        raise Http404
    result = sna_for(partnership, snapshot=snapshot, **options)
    pdf = render_pdf(partnership, snapshot, result)
    record(
        AuditAction.EXPORT,
        actor=request.user,
        target=partnership,
        target_label=f"Needs assessment report (PDF): {partnership}",
        detail={"format": "pdf", "snapshot": snapshot.pk, **_filter_detail(options)},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="svduty-sna-{partnership.slug}-'
        f'{result["period"]["from"]}-to-{result["period"]["to"]}.pdf"'
    )
    response["Cache-Control"] = "no-store"
    return response


# --- Narrative versions -------------------------------------------------------------


@requires(Permission.VIEW_ANALYSIS)
def version_list(request, slug):
    partnership = _partnership(request, slug)
    versions = SnaVersion.objects.visible_to(request.user).filter(
        partnership=partnership
    )
    return render(
        request,
        "analysis/version_list.html",
        {
            "partnership": partnership,
            "versions": versions.select_related("snapshot", "signed_off_by"),
            "can_manage": has_permission(request.user, Permission.MANAGE_SNA),
            "has_snapshot": current_snapshot(partnership) is not None,
        },
    )


def _version(request, slug, pk) -> SnaVersion:
    partnership = _partnership(request, slug)
    return get_visible_or_404(
        SnaVersion.objects.select_related("partnership", "snapshot"),
        request.user,
        pk=pk,
        partnership=partnership,
    )


def _narrative(data) -> dict:
    return {name: data[name] for name in SnaVersion.NARRATIVE_FIELDS}


@requires(Permission.MANAGE_SNA)
@require_http_methods(["GET", "POST"])
def version_new(request, slug):
    partnership = _partnership(request, slug)
    snapshot = current_snapshot(partnership)
    if snapshot is None:
        return _no_data(request, partnership)
    months = snapshot_months(snapshot)
    from .service import default_period

    start, end = default_period(snapshot)
    form = SnaVersionForm(
        request.POST or None,
        months=months,
        initial={"period_from": month_label(start), "period_to": month_label(end)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = actions.create_sna_version(
                by=request.user,
                partnership=partnership,
                snapshot=snapshot,
                title=form.cleaned_data["title"],
                period_from=parse_month(form.cleaned_data["period_from"]),
                period_to=parse_month(form.cleaned_data["period_to"]),
                **_narrative(form.cleaned_data),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request, f"Needs assessment version {version.number} saved as a draft"
            )
            return redirect("analysis:version_detail", slug=slug, pk=version.pk)
    return render(
        request,
        "analysis/version_form.html",
        {
            "partnership": partnership,
            "form": form,
            "snapshot": snapshot,
            "version": None,
        },
    )


@requires(Permission.VIEW_ANALYSIS)
def version_detail(request, slug, pk):
    version = _version(request, slug, pk)
    record(AuditAction.VIEW, actor=request.user, target=version)
    query = filter_query(
        {
            "period_from": version.period_from,
            "period_to": version.period_to,
            "kind": None,
            "area": None,
        }
    )
    return render(
        request,
        "analysis/version_detail.html",
        {
            "partnership": version.partnership,
            "version": version,
            "can_manage": has_permission(request.user, Permission.MANAGE_SNA),
            "query": query,
        },
    )


@requires(Permission.MANAGE_SNA)
@require_http_methods(["GET", "POST"])
def version_edit(request, slug, pk):
    version = _version(request, slug, pk)
    if version.is_signed_off:
        messages.error(
            request, "This needs assessment has been signed off and cannot be changed"
        )
        return redirect("analysis:version_detail", slug=slug, pk=pk)
    months = snapshot_months(version.snapshot) if version.snapshot.files_kept else []
    initial = {
        "title": version.title,
        "period_from": month_label(version.period_from),
        "period_to": month_label(version.period_to),
        **{name: getattr(version, name) for name in SnaVersion.NARRATIVE_FIELDS},
    }
    form = SnaVersionForm(request.POST or None, months=months, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_sna_version(
                by=request.user,
                version=version,
                expected_version=parse_id(request.POST.get("version")) or 0,
                title=form.cleaned_data["title"],
                period_from=parse_month(form.cleaned_data["period_from"]),
                period_to=parse_month(form.cleaned_data["period_to"]),
                **_narrative(form.cleaned_data),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Changes saved")
            return redirect("analysis:version_detail", slug=slug, pk=pk)
    return render(
        request,
        "analysis/version_form.html",
        {
            "partnership": version.partnership,
            "form": form,
            "snapshot": version.snapshot,
            "version": version,
        },
    )


@requires(Permission.MANAGE_SNA)
@require_http_methods(["GET", "POST"])
def version_sign_off(request, slug, pk):
    version = _version(request, slug, pk)
    error = None
    if request.method == "POST":
        try:
            actions.sign_off_sna_version(by=request.user, version=version)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(
                request, f"Needs assessment version {version.number} signed off"
            )
            return redirect("analysis:version_detail", slug=slug, pk=pk)
    return render(
        request,
        "analysis/version_sign_off.html",
        {"partnership": version.partnership, "version": version, "error": error},
    )
