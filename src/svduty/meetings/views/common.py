"""What every meeting page shares: fetching the meeting within the policy, and
the form page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from svduty.cases.policies import prime_user
from svduty.core.policies import get_visible_or_404
from svduty.meetings.models import Meeting


def meeting_or_404(request: HttpRequest, pk: int, *, manage: bool = False) -> Meeting:
    prime_user(request.user)
    meeting = get_visible_or_404(
        Meeting.objects.select_related("partnership", "chair"), request.user, pk=pk
    )
    if manage and not meeting.may_manage(request.user):
        raise PermissionDenied
    return meeting


def form_page(
    request: HttpRequest, meeting: Meeting | None, form, title: str, **extra
) -> HttpResponse:
    context = {"meeting": meeting, "form": form, "title": title, **extra}
    return render(request, "meetings/form.html", context)
