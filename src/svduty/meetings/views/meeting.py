"""The meeting: list, arranging, the page itself, invitations, attendance, held."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from svduty.accounts.requests import signed_in_user
from svduty.cases.policies import prime_user
from svduty.core.authorisation import Permission
from svduty.core.formviews import form_action
from svduty.core.policies import requires
from svduty.meetings import actions
from svduty.meetings.forms import (
    AttendanceForm,
    CloseForm,
    InviteForm,
    MeetingForm,
)
from svduty.meetings.models import Meeting
from svduty.meetings.reading import audit_meeting_view, meeting_for

from .common import form_page, meeting_or_404


@requires(Permission.VIEW_CASES)
def meeting_list(request: HttpRequest) -> HttpResponse:
    prime_user(request.user)
    meetings = list(
        Meeting.objects.visible_to(request.user).select_related("partnership", "chair")[
            :200
        ]
    )
    today = timezone.localdate()
    return render(
        request,
        "meetings/list.html",
        {
            "upcoming": [m for m in meetings if m.held_on >= today][::-1],
            "past": [m for m in meetings if m.held_on < today],
        },
    )


@requires(Permission.EDIT_CASES)
def meeting_new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    prime_user(user)
    form = MeetingForm(request.POST or None, user=user)
    if done := form_action(
        request,
        form,
        lambda data: actions.schedule_meeting(
            by=user,
            partnership=data["partnership"],
            meeting_type=data["meeting_type"],
            title=data["title"],
            held_on=data["held_on"],
            chair=data["chair"],
            starts_at=data["starts_at"],
            location=data["location"],
            review_on=data["review_on"],
        ),
    ):
        messages.success(request, "Meeting arranged. Now invite the agencies.")
        return redirect("meetings:detail", pk=done.result.pk)
    return form_page(request, None, form, "Arrange a meeting")


@requires(Permission.VIEW_CASES)
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk)
    user = signed_in_user(request)
    view = meeting_for(user, meeting)
    audit_meeting_view(user, view, page="meeting")
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "view": view,
            "may_manage": meeting.may_manage(user),
        },
    )


@requires(Permission.EDIT_CASES)
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk, manage=True)
    form = InviteForm(request.POST or None, meeting=meeting)
    if form_action(
        request,
        form,
        lambda data: actions.invite(
            by=signed_in_user(request),
            meeting=meeting,
            agency=data["agency"],
            user=data["user"],
        ),
    ):
        messages.success(request, "Invitation added")
        return redirect("meetings:detail", pk=meeting.pk)
    return form_page(request, meeting, form, "Invite an agency or a person")


@requires(Permission.EDIT_CASES)
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk, manage=True)
    invitations = list(meeting.invitations.select_related("agency", "user"))
    form = AttendanceForm(request.POST or None, invitations=invitations)
    if form_action(
        request,
        form,
        lambda _data: actions.record_attendance(
            by=signed_in_user(request),
            meeting=meeting,
            attendance=form.attendance(),
        ),
    ):
        messages.success(request, "Attendance recorded")
        return redirect("meetings:detail", pk=meeting.pk)
    return form_page(request, meeting, form, "Record attendance")


@requires(Permission.EDIT_CASES)
def close(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk, manage=True)
    form = CloseForm(
        request.POST or None,
        initial={
            "version": meeting.version,
            "general_minutes": meeting.general_minutes,
        },
    )
    if form_action(
        request,
        form,
        lambda data: actions.close_meeting(
            by=signed_in_user(request),
            meeting=meeting,
            expected_version=data["version"],
            general_minutes=data["general_minutes"],
        ),
    ):
        messages.success(request, "Meeting recorded as held")
        return redirect("meetings:detail", pk=meeting.pk)
    return form_page(request, meeting, form, "Record the meeting as held")
