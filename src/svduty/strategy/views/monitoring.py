"""Side-by-side monitoring of the partnerships in a force area (s.14)."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.core.authorisation import Permission
from svduty.core.exports import csv_response
from svduty.core.policies import requires
from svduty.partnership.models import Partnership

from ..monitoring import CSV_HEADER, monitoring_rows


def _rows(request):
    partnerships = Partnership.objects.visible_to(request.user).order_by("name")
    return monitoring_rows(partnerships, timezone.localdate())


@requires(Permission.VIEW_PARTNERSHIP)
def monitoring(request):
    return render(
        request,
        "strategy/monitoring.html",
        {"rows": _rows(request), "today": timezone.localdate()},
    )


@requires(Permission.VIEW_PARTNERSHIP)
def monitoring_export(request):
    rows = _rows(request)
    record(
        AuditAction.EXPORT,
        actor=request.user,
        detail={"what": "partnership monitoring (s.14)", "rows": len(rows)},
    )
    return csv_response(
        f"partnership-monitoring-{timezone.localdate()}.csv",
        CSV_HEADER,
        (row.csv for row in rows),
    )
