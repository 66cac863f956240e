"""The auditors' view of the trail: search and CSV export (itself audited)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone

from svduty.core.authorisation import Permission
from svduty.core.exports import csv_response
from svduty.core.policies import requires

from .forms import AuditSearchForm
from .log import record
from .models import AuditAction, AuditEvent


def _filtered(form: AuditSearchForm):
    events = AuditEvent.objects.all()
    if not form.is_valid():
        return events.none()
    data = form.cleaned_data
    if data["user"]:
        events = events.filter(actor_label__icontains=data["user"])
    if data["agency"]:
        events = events.filter(agency_label__icontains=data["agency"])
    if data["record"]:
        term = data["record"].strip()
        if ":" in term:
            target_type, _, target_id = term.partition(":")
            events = events.filter(
                target_type=target_type.strip(), target_id=target_id.strip()
            )
        else:
            events = events.filter(Q(target_label__icontains=term) | Q(target_id=term))
    if data["action"]:
        events = events.filter(action=data["action"])
    tz = timezone.get_current_timezone()
    if data["date_from"]:
        events = events.filter(
            occurred_at__gte=datetime.combine(data["date_from"], time.min, tzinfo=tz)
        )
    if data["date_to"]:
        events = events.filter(
            occurred_at__lt=datetime.combine(
                data["date_to"] + timedelta(days=1), time.min, tzinfo=tz
            )
        )
    return events


@requires(Permission.VIEW_AUDIT)
def event_list(request):
    form = AuditSearchForm(request.GET or None)
    events = _filtered(form) if request.GET else AuditEvent.objects.all()
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/event_list.html",
        {"form": form, "page": page, "querystring": query.urlencode()},
    )


@requires(Permission.EXPORT_AUDIT)
def export_csv(request):
    form = AuditSearchForm(request.GET or None)
    events = _filtered(form) if request.GET else AuditEvent.objects.all()
    count = events.count()
    record(
        AuditAction.EXPORT,
        actor=request.user,
        target_type="audit.auditevent",
        target_label="Audit trail export",
        detail={"filters": {k: v for k, v in request.GET.items() if v}, "rows": count},
    )
    header = [
        "When",
        "User",
        "Agency",
        "Action",
        "Record type",
        "Record id",
        "Record",
        "Request id",
        "IP address",
        "Detail",
    ]
    rows = (
        [
            e.occurred_at,
            e.actor_label,
            e.agency_label,
            e.action,
            e.target_type,
            e.target_id,
            e.target_label,
            e.request_id,
            e.ip_address,
            e.detail,
        ]
        for e in events.iterator(chunk_size=2000)
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return csv_response(f"svduty-audit-{stamp}.csv", header, rows)
