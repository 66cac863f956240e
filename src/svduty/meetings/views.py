"""Meeting pages. Reads go through `reading.meeting_for` (split by child, filtered by
the cases policy); writes through `actions`; every view of a child's part audited."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.cases.models import Person
from svduty.cases.policies import prime_user, user_partnership_ids
from svduty.core.authorisation import Permission
from svduty.core.forms import apply_validation_error
from svduty.core.policies import get_visible_or_404, requires

from . import actions, stats, triggers
from .forms import (
    AgendaItemForm,
    AttendanceForm,
    CloseForm,
    DecisionActionForm,
    DecisionForm,
    InviteForm,
    MeetingForm,
    MinuteForm,
    PaperForm,
    TriggerForm,
)
from .models import AgendaItem, Decision, Meeting, MinutePart
from .reading import audit_meeting_view, meeting_for


def _meeting(request: HttpRequest, pk: int, *, manage: bool = False) -> Meeting:
    prime_user(request.user)
    meeting = get_visible_or_404(
        Meeting.objects.select_related("partnership", "chair"), request.user, pk=pk
    )
    if manage and not meeting.may_manage(request.user):
        raise PermissionDenied
    return meeting


def _form_page(
    request: HttpRequest, meeting: Meeting | None, form, title: str, **extra
) -> HttpResponse:
    context = {"meeting": meeting, "form": form, "title": title, **extra}
    return render(request, "meetings/form.html", context)


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
    prime_user(request.user)
    form = MeetingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = actions.schedule_meeting(
                by=request.user,
                partnership=data["partnership"],
                meeting_type=data["meeting_type"],
                title=data["title"],
                held_on=data["held_on"],
                chair=data["chair"],
                starts_at=data["starts_at"],
                location=data["location"],
                review_on=data["review_on"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Meeting arranged. Now invite the agencies.")
            return redirect("meetings:detail", pk=meeting.pk)
    return _form_page(request, None, form, "Arrange a meeting")


@requires(Permission.VIEW_CASES)
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    view = meeting_for(request.user, meeting)
    audit_meeting_view(request.user, view, page="meeting")
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "view": view,
            "may_manage": meeting.may_manage(request.user),
        },
    )


@requires(Permission.EDIT_CASES)
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, manage=True)
    form = InviteForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            actions.invite(
                by=request.user,
                meeting=meeting,
                agency=form.cleaned_data["agency"],
                user=form.cleaned_data["user"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Invitation added")
            return redirect("meetings:detail", pk=meeting.pk)
    return _form_page(request, meeting, form, "Invite an agency or a person")


@requires(Permission.EDIT_CASES)
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, manage=True)
    invitations = list(meeting.invitations.select_related("agency", "user"))
    form = AttendanceForm(request.POST or None, invitations=invitations)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_attendance(
                by=request.user, meeting=meeting, attendance=form.attendance()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Attendance recorded")
            return redirect("meetings:detail", pk=meeting.pk)
    return _form_page(request, meeting, form, "Record attendance")


@requires(Permission.EDIT_CASES)
def agenda_triggers(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, manage=True)
    suggestions = triggers.suggestions_for(meeting, request.user)
    labels = {
        p.pk: str(p)
        for p in Person.objects.filter(
            pk__in={s.person_id for s in suggestions if s.person_id}
        )
    }
    trigger_labels = {p.key: p.label for p in triggers.providers()}
    form = TriggerForm(
        request.POST or None,
        suggestions=suggestions,
        labels=labels,
        trigger_labels=trigger_labels,
    )
    if request.method == "POST" and form.is_valid():
        try:
            items = actions.add_suggested_items(
                by=request.user, meeting=meeting, suggestions=form.chosen_suggestions()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"{len(items)} agenda items added or updated")
            return redirect("meetings:detail", pk=meeting.pk)
    record(
        AuditAction.VIEW,
        actor=request.user,
        target=meeting,
        detail={"page": "agenda triggers", "people": sorted(labels)},
    )
    return render(
        request,
        "meetings/triggers.html",
        {
            "meeting": meeting,
            "form": form,
            "since": triggers.since_for(meeting),
            "providers": triggers.providers(),
            "has_suggestions": bool(suggestions),
        },
    )


@requires(Permission.EDIT_CASES)
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, manage=True)
    form = AgendaItemForm(request.POST or None, meeting=meeting, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.add_agenda_item(
                by=request.user,
                meeting=meeting,
                person=data["person"],
                title=data["title"],
                paper=data["paper"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Agenda item added")
            return redirect("meetings:detail", pk=meeting.pk)
    return _form_page(request, meeting, form, "Add an agenda item")


@requires(Permission.EDIT_CASES)
def paper(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    item = get_visible_or_404(
        AgendaItem.objects.filter(meeting=meeting).select_related("person"),
        request.user,
        pk=item_pk,
    )
    form = PaperForm(request.POST or None, initial={"paper": item.paper})
    if request.method == "POST" and form.is_valid():
        try:
            actions.write_paper(
                by=request.user, item=item, paper=form.cleaned_data["paper"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Briefing paper saved")
            return redirect("meetings:detail", pk=meeting.pk)
    if item.person_id:
        record(
            AuditAction.VIEW,
            actor=request.user,
            target=item.person,
            detail={"page": "meeting paper", "meeting": meeting.pk},
        )
    about = str(item.person) if item.person_id else item.title
    return _form_page(request, meeting, form, f"Briefing paper: {about}")


def _agenda_children(request: HttpRequest, meeting: Meeting) -> list[Person]:
    items = AgendaItem.objects.filter(meeting=meeting, person__isnull=False)
    return list(
        Person.objects.visible_to(request.user).filter(pk__in=items.values("person_id"))
    )


@requires(Permission.EDIT_CASES)
def minute_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, manage=True)
    children = _agenda_children(request, meeting)
    form = MinuteForm(request.POST or None, children=children)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_minute(
                by=request.user,
                meeting=meeting,
                heading=form.cleaned_data["heading"],
                text=form.cleaned_data["text"],
                parts=form.parts(),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Minute recorded")
            return redirect("meetings:detail", pk=meeting.pk)
    return _form_page(
        request,
        meeting,
        form,
        "Record a minute",
        intro="Write what was said about each child in that child's box: each "
        "child's record shows only its own part.",
    )


@requires(Permission.EDIT_CASES)
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, manage=True)
    children = _agenda_children(request, meeting)
    if not children:
        messages.info(request, "Add a child to the agenda before recording decisions")
        return redirect("meetings:detail", pk=meeting.pk)
    form = DecisionForm(
        request.POST or None,
        meeting=meeting,
        children=children,
        initial={"person": request.GET.get("person")},
    )
    if request.method == "POST" and form.is_valid():
        spec = form.action()
        try:
            actions.record_decision(
                by=request.user,
                meeting=meeting,
                person=form.chosen_person(),
                text=form.cleaned_data["text"],
                agreed_risk_level=form.cleaned_data["agreed_risk_level"],
                actions=[actions.ActionSpec(*spec)] if spec else [],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Decision recorded")
            return redirect("meetings:detail", pk=meeting.pk)
    return _form_page(
        request,
        meeting,
        form,
        "Record a decision",
        intro="An action agreed here is added to the child's plan: the plan and "
        "this meeting show the same action.",
    )


@requires(Permission.EDIT_CASES)
def decision_action_add(
    request: HttpRequest, pk: int, decision_pk: int
) -> HttpResponse:
    meeting = _meeting(request, pk, manage=True)
    decision = get_visible_or_404(
        Decision.objects.filter(meeting=meeting).select_related("person"),
        request.user,
        pk=decision_pk,
    )
    form = DecisionActionForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        text, owner, due_on = form.action() or ("", None, None)
        try:
            actions.add_decision_action(
                by=request.user,
                decision=decision,
                text=text,
                owner=owner,
                due_on=due_on,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Action added to the child's plan")
            return redirect("meetings:detail", pk=meeting.pk)
    return _form_page(request, meeting, form, f"Add an action for {decision.person}")


@requires(Permission.EDIT_CASES)
def close(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, manage=True)
    form = CloseForm(
        request.POST or None,
        initial={
            "version": meeting.version,
            "general_minutes": meeting.general_minutes,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.close_meeting(
                by=request.user,
                meeting=meeting,
                expected_version=form.cleaned_data["version"],
                general_minutes=form.cleaned_data["general_minutes"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Meeting recorded as held")
            return redirect("meetings:detail", pk=meeting.pk)
    return _form_page(request, meeting, form, "Record the meeting as held")


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
    rows = []
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
    return render(request, "meetings/child.html", {"person": person, "rows": rows})


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
