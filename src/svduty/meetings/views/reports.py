"""The child's part of every meeting, and attendance and actions by agency."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone

from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.cases.models import Person
from svduty.cases.policies import prime_user, user_partnership_ids
from svduty.core.authorisation import Permission
from svduty.core.exports import csv_response, xlsx_response
from svduty.core.policies import get_visible_or_404, requires
from svduty.meetings import stats
from svduty.meetings.models import AgendaItem, Decision, MinutePart


@requires(Permission.VIEW_CASES)
def child_meetings(request: HttpRequest, pk: int) -> HttpResponse:
    """The child's own part of every meeting: agenda reasons, minute parts,
    decisions and actions, and nothing about other children."""
    prime_user(request.user)
    person = get_visible_or_404(Person, request.user, pk=pk)
    items = list(
        AgendaItem.objects.filter(person=person)
        .select_related("meeting", "meeting__chair")
        .order_by("-meeting__held_on")
    )
    parts = list(
        MinutePart.objects.filter(person=person).select_related("minute__meeting")
    )
    decisions = list(
        Decision.objects.filter(person=person)
        .select_related("meeting")
        .prefetch_related(
            "actions__plan_action__owner", "actions__plan_action__owner_agency"
        )
    )
    rows: list[dict[str, Any]] = []
    for item in items:
        meeting_id = item.meeting_id
        rows.append(
            {
                "item": item,
                "meeting": item.meeting,
                "parts": [p for p in parts if p.minute.meeting_id == meeting_id],
                "decisions": [d for d in decisions if d.meeting_id == meeting_id],
            }
        )
    record(
        AuditAction.VIEW,
        actor=request.user,
        target=person,
        detail={"page": "meetings", "meetings": [r["meeting"].pk for r in rows]},
    )
    template = (
        "meetings/_child_panel.html"
        if getattr(request, "htmx", False)
        else "meetings/child.html"
    )
    return render(request, template, {"person": person, "rows": rows})


@requires(Permission.VIEW_CASES)
def performance(request: HttpRequest) -> HttpResponse:
    prime_user(request.user)
    partnership_ids = user_partnership_ids(request.user)
    attendance_rows = stats.attendance_by_agency(partnership_ids)
    action_rows = stats.actions_by_agency(partnership_ids)
    return render(
        request,
        "meetings/performance.html",
        {
            "attendance_spec": stats.rate_chart(
                attendance_rows, title_y="Attended or sent a report (%)"
            ),
            "attendance_head": stats.ATTENDANCE_HEAD,
            "attendance_rows": stats.table(attendance_rows),
            "actions_spec": stats.rate_chart(action_rows, title_y="Done on time (%)"),
            "actions_head": stats.ACTIONS_HEAD,
            "actions_rows": stats.table(action_rows),
        },
    )


ATTENDANCE_TITLE = "Attendance by agency and month"
ACTIONS_TITLE = "Actions done on time by agency and month"
# The exports: both tables in the PDF and the workbook; one table per CSV.
EXPORTS = {
    "export.pdf": "both",
    "export.xlsx": "both",
    "attendance.csv": "attendance",
    "actions.csv": "actions",
}


@requires(Permission.VIEW_CASES)
def performance_export(request: HttpRequest, name: str) -> HttpResponseBase:
    """The performance page's tables for the partnership board (they leave the
    case teams): counts only, small numbers suppressed (`stats.protected_table`).
    The PDF is tagged (PDF/UA-1)."""
    prime_user(request.user)
    partnership_ids = user_partnership_ids(request.user)
    threshold = settings.SUPPRESSION_THRESHOLD
    tables = [
        (
            "attendance",
            ATTENDANCE_TITLE,
            stats.ATTENDANCE_HEAD,
            stats.protected_table(
                stats.attendance_by_agency(partnership_ids),
                good=stats.ATTENDANCE_GOOD,
                threshold=threshold,
            ),
        ),
        (
            "actions",
            ACTIONS_TITLE,
            stats.ACTIONS_HEAD,
            stats.protected_table(
                stats.actions_by_agency(partnership_ids),
                good=stats.ACTIONS_GOOD,
                threshold=threshold,
            ),
        ),
    ]
    which = EXPORTS[name]
    chosen = [t for t in tables if which in ("both", t[0])]
    record(
        AuditAction.EXPORT,
        actor=request.user,
        target_type="meetings.meeting",
        target_label=f"Meeting attendance and actions by agency ({name})",
        detail={
            "export": "meetings performance",
            "format": name,
            "partnerships": sorted(partnership_ids),
            "rows": sum(len(t[3]) for t in chosen),
        },
    )
    today = timezone.localdate()
    stem = f"meetings-{which if which != 'both' else 'attendance-and-actions'}"
    stem += f"-{today:%Y-%m-%d}"
    if name == "export.pdf":
        from svduty.strategy.pdf import pdf_response, render_pdf

        content = render_pdf(
            "meetings/performance_pdf.html",
            {
                "today": today,
                "threshold": threshold,
                "tables": [(title, head, rows) for _, title, head, rows in chosen],
            },
        )
        response = pdf_response(content, f"{stem}.pdf")
        response["Cache-Control"] = "no-store"
        return response
    if name == "export.xlsx":
        return xlsx_response(
            f"{stem}.xlsx",
            [(key.capitalize(), head, rows) for key, _, head, rows in chosen],
        )
    _, _, head, rows = chosen[0]
    return csv_response(f"{stem}.csv", head, rows)
