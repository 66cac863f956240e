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
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.core.authorisation import Permission
from svduty.core.exports import csv_response, safe_cell
from svduty.core.formviews import button_action, form_action
from svduty.core.params import parse_id
from svduty.core.policies import get_visible_or_404, has_permission, requires
from svduty.partnership.models import Partnership

from . import actions
from .dashboard import SECTIONS, dashboard_results, filter_query, section_of
from .forms import FilterForm, HarmWeightsImportForm, SnaVersionForm
from .models import HarmWeightTable, SnaVersion
from .report import pdf_for, prepare_report, report_context
from .service import sna_for, snapshot_months
from .sna import month_label, parse_month
from .snapshot import current_snapshot
from .tables import definition_label, sna_tables


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
    from .service import default_period, request_definition

    definition = request_definition(partnership)
    areas = result_choices or _area_choices(partnership, snapshot)
    default_from, default_to = default_period(snapshot)
    data = {
        "period_from": request.GET.get("period_from") or month_label(default_from),
        "period_to": request.GET.get("period_to") or month_label(default_to),
        "kind": request.GET.get("kind", ""),
        "area": request.GET.get("area", ""),
    }
    form = FilterForm(data, months=months, kinds=definition["kinds"], areas=areas)
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
    section = section_of(request.GET.get("section"))
    context = {
        "partnership": partnership,
        "snapshot": snapshot,
        "form": form,
        "sections": SECTIONS,
        "section": section,
    }
    if options is None:
        return render(request, "analysis/dashboard.html", context)
    record(
        AuditAction.VIEW,
        actor=request.user,
        target=partnership,
        target_label=f"Needs assessment dashboard: {partnership}",
        detail={
            "snapshot": snapshot.pk,
            "section": section,
            **_filter_detail(options),
        },
    )
    context["results_html"] = dashboard_results(
        partnership,
        snapshot,
        options,
        all_areas=request.GET.get("areas") == "all",
        section=section,
    )
    # The page links to this view's report: the task worker makes it meanwhile.
    prepare_report(partnership, snapshot, options)
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
        f"Serious violence definition: {definition_label(result)}",
        f"Source: {chosen.source}",
        f"Data snapshot: {snapshot.label}",
        f"Counts from 1 to {settings.SUPPRESSION_THRESHOLD} are shown as 'fewer than "
        f"{settings.SUPPRESSION_THRESHOLD + 1}' and figures computed from them are withheld.",  # noqa: E501
    ]
    if fmt == "csv":
        return csv_response(f"{stem}.csv", chosen.head, rows)
    return _xlsx_response(f"{stem}.xlsx", chosen.slug, chosen.head, rows, notes)


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
    prepare_report(partnership, snapshot, options)
    return render(request, "analysis/report.html", context)


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
    pdf = pdf_for(partnership, snapshot, result)
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
    if done := form_action(
        request,
        form,
        lambda data: actions.create_sna_version(
            by=request.user,
            partnership=partnership,
            snapshot=snapshot,
            title=data["title"],
            period_from=parse_month(data["period_from"]),
            period_to=parse_month(data["period_to"]),
            **_narrative(data),
        ),
    ):
        messages.success(
            request, f"Needs assessment version {done.result.number} saved as a draft"
        )
        return redirect("analysis:version_detail", slug=slug, pk=done.result.pk)
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
            "definition_now": _definition_now(version),
        },
    )


def _definition_now(version: SnaVersion):
    """The definition in force for the version's period today, when it is not the
    one the version used (a later version was agreed, or one backdated)."""
    from svduty.partnership.definitions import definition_in_force

    now = definition_in_force(version.partnership, version.period_to)
    return now if now != version.definition else None


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
    if form_action(
        request,
        form,
        lambda data: actions.update_sna_version(
            by=request.user,
            version=version,
            expected_version=parse_id(request.POST.get("version")) or 0,
            title=data["title"],
            period_from=parse_month(data["period_from"]),
            period_to=parse_month(data["period_to"]),
            **_narrative(data),
        ),
    ):
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
    # A refusal is shown on the page, above the sign-off button.
    problems: list[str] = []
    if button_action(
        request,
        lambda: actions.sign_off_sna_version(by=request.user, version=version),
        success=f"Needs assessment version {version.number} signed off",
        refused=lambda problem: problems.extend(problem.messages),
    ):
        return redirect("analysis:version_detail", slug=slug, pk=pk)
    error = " ".join(problems) or None
    return render(
        request,
        "analysis/version_sign_off.html",
        {"partnership": version.partnership, "version": version, "error": error},
    )


# --- Harm weights


@requires(Permission.VIEW_ANALYSIS)
def harm_weights(request, slug):
    """The partnership's harm weights: every version, the one in use first, or the
    illustrative default, clearly labelled, when none has been imported."""
    from .service import harm_weights_provenance
    from .stats import ILLUSTRATIVE_POLICE_UK_HARM_WEIGHTS

    partnership = _partnership(request, slug)
    tables = list(
        HarmWeightTable.objects.visible_to(request.user)
        .filter(partnership=partnership)
        .select_related("created_by")
        .order_by("-created_at", "-id")
    )
    from svduty.partnership.definitions import POLICE_UK_CRIME_TYPES

    versions = [
        {
            "table": table,
            "provenance": harm_weights_provenance(table),
            "rows": [(t, table.weights.get(t)) for t in POLICE_UK_CRIME_TYPES],
        }
        for table in tables
    ]
    default = ILLUSTRATIVE_POLICE_UK_HARM_WEIGHTS
    return render(
        request,
        "analysis/harm_weights.html",
        {
            "partnership": partnership,
            "versions": versions,
            "default": default,
            "default_rows": [
                (t, default.weights.get(t)) for t in POLICE_UK_CRIME_TYPES
            ],
            "can_manage": has_permission(request.user, Permission.MANAGE_SNA),
        },
    )


@requires(Permission.MANAGE_SNA)
@require_http_methods(["GET", "POST"])
def harm_weights_import(request, slug):
    partnership = _partnership(request, slug)
    form = HarmWeightsImportForm(request.POST or None, request.FILES or None)
    if done := form_action(
        request,
        form,
        lambda data: actions.import_harm_weights(
            by=request.user,
            partnership=partnership,
            name=data["name"],
            owner=data["owner"],
            source=data["source"],
            effective_on=data["effective_on"],
            content=data["file"].read(actions.MAX_HARM_CSV_BYTES + 1),
        ),
    ):
        messages.success(
            request,
            f"Harm weights version {done.result.number} imported: the needs "
            "assessment uses them from now on",
        )
        return redirect("analysis:harm_weights", slug=slug)
    return render(
        request,
        "analysis/harm_weights_import.html",
        {"partnership": partnership, "form": form},
    )
