"""The catalogue of services, a service's page with its waiting list, and the
catalogue export.

The list answers in a constant number of queries whatever the page: one count, one
page of services (a keyed index on partnership, name, id), and one aggregate of the
referral counts of only the services on that page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from svduty.accounts.requests import signed_in_user
from svduty.analysis.stats.rates import suppress
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.cases.policies import prime_user
from svduty.core.authorisation import Permission
from svduty.core.exports import csv_response, safe_cell
from svduty.core.policies import get_visible_or_404, has_permission, requires

from .. import actions
from ..forms import ServiceForm
from ..models import Service, ServiceReferral, ServiceType
from ..models.catalogue import partnership_ids_of
from ..states import WAITING, ReferralStatus
from .common import form_page

PAGE_SIZE = 25
EXPORT_HEAD = [
    "Service",
    "Provider",
    "Type",
    "Therapeutic",
    "Youngest age",
    "Oldest age",
    "Needs",
    "Capacity",
    "Receiving the service",
    "Waiting",
    "Contact",
    "Youth Endowment Fund strategy",
    "Estimated impact",
    "Evidence security",
    "Source",
    "Taking referrals",
]


def _filtered(request: HttpRequest) -> tuple[Any, dict[str, str]]:
    prime_user(request.user)
    services = Service.objects.visible_to(request.user)
    chosen = {
        "type": request.GET.get("type", ""),
        "age": request.GET.get("age", ""),
        "q": request.GET.get("q", "")[:100],
    }
    if chosen["type"] in ServiceType.values:
        services = services.filter(service_type=chosen["type"])
    else:
        chosen["type"] = ""
    if chosen["age"].isdigit() and int(chosen["age"]) < 100:
        age = int(chosen["age"])
        services = services.filter(min_age__lte=age, max_age__gte=age)
    else:
        chosen["age"] = ""
    if chosen["q"].strip():
        services = services.filter(
            Q(name__icontains=chosen["q"]) | Q(provider__icontains=chosen["q"])
        )
    return services.order_by("name", "id"), chosen


def counts_for(service_ids: list[int]) -> dict[int, dict[str, int]]:
    """Children receiving each service and waiting for it, in one query."""
    rows = (
        ServiceReferral.objects.filter(service_id__in=service_ids)
        .values("service_id")
        .annotate(
            active=Count("id", filter=Q(status=ReferralStatus.STARTED)),
            waiting=Count("id", filter=Q(status__in=WAITING)),
        )
    )
    counts = {pk: {"active": 0, "waiting": 0} for pk in service_ids}
    for row in rows:
        counts[row["service_id"]] = {"active": row["active"], "waiting": row["waiting"]}
    return counts


@requires(Permission.VIEW_PARTNERSHIP)
def catalogue(request: HttpRequest) -> HttpResponse:
    services, chosen = _filtered(request)
    paginator = Paginator(services, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = list(page.object_list)
    counts = counts_for([s.pk for s in rows])
    for service in rows:
        service.counts = counts[service.pk]  # type: ignore[attr-defined]
    query = "&".join(f"{k}={v}" for k, v in chosen.items() if v)
    return render(
        request,
        "services/catalogue.html",
        {
            "page": page,
            "services": rows,
            "chosen": chosen,
            "query": query,
            "types": ServiceType.choices,
            "can_manage": has_permission(request.user, Permission.MANAGE_SERVICES),
        },
    )


def _shown(count: int) -> str:
    """Counts of children leave the case teams in an export: small numbers are
    suppressed (convention 9; SVDUTY_SUPPRESSION_THRESHOLD)."""
    return suppress(count, settings.SUPPRESSION_THRESHOLD).display


def _export_rows(services: Any) -> list[list[Any]]:
    rows = []
    services = list(services)
    counts = counts_for([s.pk for s in services])
    for s in services:
        rows.append(
            [
                s.name,
                s.provider,
                s.get_service_type_display(),
                "yes" if s.is_therapeutic else "no",
                s.min_age,
                s.max_age,
                "; ".join(s.needs) or "any",
                s.capacity,
                _shown(counts[s.pk]["active"]),
                _shown(counts[s.pk]["waiting"]),
                ", ".join(
                    x for x in (s.contact_name, s.contact_email, s.contact_phone) if x
                ),
                s.yef_strategy,
                s.get_yef_impact_display() if s.yef_impact else "",
                s.yef_evidence_security or "",
                s.evidence_source,
                "yes" if s.is_active else "no",
            ]
        )
    return rows


@requires(Permission.VIEW_PARTNERSHIP)
def catalogue_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The catalogue with its counts (no child is named), as CSV or a workbook."""
    services, chosen = _filtered(request)
    rows = _export_rows(services)
    record(
        AuditAction.EXPORT,
        actor=request.user,
        target=None,
        detail={
            "export": "service catalogue",
            "format": fmt,
            "rows": len(rows),
            **chosen,
        },
    )
    stem = f"services-{timezone.localdate():%Y-%m-%d}"
    if fmt == "csv":
        return csv_response(f"{stem}.csv", EXPORT_HEAD, rows)
    if fmt == "pdf":
        return _pdf(f"{stem}.pdf", rows, chosen)
    return _xlsx(f"{stem}.xlsx", rows)


# The PDF is a table to read on paper: the columns a reader needs to choose a service.
PDF_COLUMNS = [0, 1, 2, 4, 5, 7, 8, 9, 10, 12, 13, 15]


def _pdf(filename: str, rows: list[list[Any]], chosen: dict[str, str]) -> HttpResponse:
    """The catalogue as a tagged PDF (PDF/UA-1), the same suppressed counts as
    the CSV."""
    from svduty.strategy.pdf import pdf_response, render_pdf

    content = render_pdf(
        "services/catalogue_pdf.html",
        {
            "head": [EXPORT_HEAD[i] for i in PDF_COLUMNS],
            "rows": [[row[i] for i in PDF_COLUMNS] for row in rows],
            "today": timezone.localdate(),
            "threshold": settings.SUPPRESSION_THRESHOLD,
            "filters": ", ".join(f"{k}: {v}" for k, v in chosen.items() if v),
        },
    )
    response = pdf_response(content, filename)
    response["Cache-Control"] = "no-store"
    return response


def _xlsx(filename: str, rows: list[list[Any]]) -> HttpResponse:
    import io

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="Services")
    sheet.append(EXPORT_HEAD)
    for row in rows:
        sheet.append(
            [
                v if isinstance(v, int) and not isinstance(v, bool) else safe_cell(v)
                for v in row
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _service_initial(service: Service) -> dict[str, Any]:
    return {field: getattr(service, field) for field in actions.catalogue.FIELDS}


@requires(Permission.MANAGE_SERVICES)
def service_new(request: HttpRequest) -> HttpResponse:
    prime_user(request.user)
    from svduty.partnership.models import Partnership

    partnerships = Partnership.objects.filter(
        pk__in=partnership_ids_of(request.user)
    ).order_by("name")
    form = ServiceForm(request.POST or None)
    if len(partnerships) > 1:
        from django import forms as dj_forms

        from svduty.core.widgets import GovukSelect

        form.fields["partnership"] = dj_forms.ModelChoiceField(
            label="Partnership", queryset=partnerships, widget=GovukSelect
        )

    def save(data: dict[str, Any]) -> Service:
        partnership = data.pop("partnership", None) or partnerships.first()
        if partnership is None:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied("You are not in a partnership.")
        return actions.add_service(
            by=signed_in_user(request), partnership=partnership, **data
        )

    return form_page(
        request,
        form,
        save,
        title="Add a service",
        success="Service added",
        next_url=lambda s: reverse("services:detail", args=[s.pk]),
        back_url=reverse("services:catalogue"),
        back_label="Back to services",
    )


@requires(Permission.MANAGE_SERVICES)
def service_edit(request: HttpRequest, pk: int) -> HttpResponse:
    prime_user(request.user)
    service = get_visible_or_404(Service, request.user, pk=pk)
    form = ServiceForm(request.POST or None, initial=_service_initial(service))
    return form_page(
        request,
        form,
        lambda data: actions.change_service(
            by=signed_in_user(request), service=service, **data
        ),
        title=f"Change {service.name}",
        success="Service changed",
        next_url=lambda s: reverse("services:detail", args=[s.pk]),
        back_url=reverse("services:detail", args=[service.pk]),
        back_label=f"Back to {service.name}",
    )
