"""The agenda (from triggers, by hand, papers), minutes and decisions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from svduty.accounts.requests import signed_in_user
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.cases.models import Person
from svduty.core.authorisation import Permission
from svduty.core.formviews import form_action
from svduty.core.policies import get_visible_or_404, requires
from svduty.core.viewing import note_choices, note_shown
from svduty.meetings import actions, triggers
from svduty.meetings.forms import (
    AgendaItemForm,
    DecisionActionForm,
    DecisionForm,
    MinuteForm,
    PaperForm,
    TriggerForm,
)
from svduty.meetings.models import AgendaItem, Decision, Meeting
from svduty.places.models import PeerGroup, Place

from .common import form_page, meeting_or_404


@requires(Permission.EDIT_CASES)
def agenda_triggers(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk, manage=True)
    suggestions = triggers.suggestions_for(meeting, signed_in_user(request))
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
    if done := form_action(
        request,
        form,
        lambda _data: actions.add_suggested_items(
            by=signed_in_user(request),
            meeting=meeting,
            suggestions=form.chosen_suggestions(),
        ),
    ):
        items = done.result
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
    meeting = meeting_or_404(request, pk, manage=True)
    user = signed_in_user(request)
    form = AgendaItemForm(request.POST or None, meeting=meeting, user=user)
    note_choices(form, "person")
    if form_action(
        request,
        form,
        lambda data: actions.add_agenda_item(
            by=user,
            meeting=meeting,
            person=data["person"],
            place=data["place"],
            peer_group=data["peer_group"],
            title=data["title"],
            paper=data["paper"],
        ),
    ):
        messages.success(request, "Agenda item added")
        return redirect("meetings:detail", pk=meeting.pk)
    return form_page(request, meeting, form, "Add an agenda item")


@requires(Permission.EDIT_CASES)
def paper(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk)
    item = get_visible_or_404(
        AgendaItem.objects.filter(meeting=meeting).select_related("person"),
        request.user,
        pk=item_pk,
    )
    form = PaperForm(request.POST or None, initial={"paper": item.paper})
    if form_action(
        request,
        form,
        lambda data: actions.write_paper(
            by=signed_in_user(request),
            item=item,
            paper=data["paper"],
        ),
    ):
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
    return form_page(request, meeting, form, f"Briefing paper: {about}")


def _agenda_children(request: HttpRequest, meeting: Meeting) -> list[Person]:
    items = AgendaItem.objects.filter(meeting=meeting, person__isnull=False)
    return list(
        Person.objects.visible_to(request.user).filter(pk__in=items.values("person_id"))
    )


def _agenda_contexts(request: HttpRequest, meeting: Meeting) -> list:
    """The places and peer groups on the agenda that the user may see."""
    items = AgendaItem.objects.filter(meeting=meeting)
    return [
        *Place.objects.visible_to(request.user).filter(
            pk__in=items.filter(place__isnull=False).values("place_id")
        ),
        *PeerGroup.objects.visible_to(request.user).filter(
            pk__in=items.filter(peer_group__isnull=False).values("peer_group_id")
        ),
    ]


@requires(Permission.EDIT_CASES)
def minute_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk, manage=True)
    children = _agenda_children(request, meeting)
    form = MinuteForm(request.POST or None, children=children)
    note_shown(*children)
    if form_action(
        request,
        form,
        lambda data: actions.record_minute(
            by=signed_in_user(request),
            meeting=meeting,
            heading=data["heading"],
            text=data["text"],
            parts=form.parts(),
        ),
    ):
        messages.success(request, "Minute recorded")
        return redirect("meetings:detail", pk=meeting.pk)
    return form_page(
        request,
        meeting,
        form,
        "Record a minute",
        intro="Write what was said about each child in that child's box: each "
        "child's record shows only its own part.",
    )


@requires(Permission.EDIT_CASES)
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk, manage=True)
    children = _agenda_children(request, meeting)
    note_shown(*children)
    contexts = _agenda_contexts(request, meeting)
    if not children and not contexts:
        messages.info(request, "Add a child to the agenda before recording decisions")
        return redirect("meetings:detail", pk=meeting.pk)
    form = DecisionForm(
        request.POST or None,
        meeting=meeting,
        children=children,
        contexts=contexts,
        initial={"person": request.GET.get("subject")},
    )

    def record_decision(data: dict[str, Any]) -> None:
        spec = form.action()
        actions.record_decision(
            by=signed_in_user(request),
            meeting=meeting,
            **form.chosen_subject(),
            text=data["text"],
            agreed_risk_level=data["agreed_risk_level"],
            actions=[actions.ActionSpec(*spec)] if spec else [],
        )

    if form_action(request, form, record_decision):
        messages.success(request, "Decision recorded")
        return redirect("meetings:detail", pk=meeting.pk)
    return form_page(
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
    meeting = meeting_or_404(request, pk, manage=True)
    decision = get_visible_or_404(
        Decision.objects.filter(meeting=meeting).select_related("person"),
        request.user,
        pk=decision_pk,
    )
    form = DecisionActionForm(request.POST or None, meeting=meeting)

    def add(_data: dict[str, Any]) -> None:
        spec = form.action()
        assert spec is not None  # the form requires the text, the lead and the date
        text, owner, due_on = spec
        actions.add_decision_action(
            by=signed_in_user(request),
            decision=decision,
            text=text,
            owner=owner,
            due_on=due_on,
        )

    if form_action(request, form, add):
        messages.success(request, "Action added to the child's plan")
        return redirect("meetings:detail", pk=meeting.pk)
    return form_page(request, meeting, form, f"Add an action for {decision.person}")
