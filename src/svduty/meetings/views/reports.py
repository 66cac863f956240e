"""The child's part of every meeting, and attendance and actions by agency."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.cases.models import Person
from svduty.cases.policies import prime_user, user_partnership_ids
from svduty.core.authorisation import Permission
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
