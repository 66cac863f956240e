"""The merged chronology: every agency's events, newest first, a page at a time
(keyset pagination on the (person, occurred_at, id) index, so page 100 costs the same
as page 1), filterable, printable and exportable, each audited."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from svduty.accounts.models import Agency
from svduty.audit.models import AuditAction
from svduty.cases import actions
from svduty.cases.forms import EventForm, ReturnForm, ReturnInterviewForm
from svduty.cases.models import Event, EventCategory, MissingEpisode, Significance
from svduty.core.authorisation import Permission
from svduty.core.exports import csv_response
from svduty.core.formviews import form_action
from svduty.core.params import parse_id
from svduty.core.policies import requires

from .common import (
    active_rules,
    audit_view,
    needs_language_review,
    person_context,
    person_with_access,
)

PAGE_SIZE = 30


def _filters(request, person):
    queryset = Event.objects.filter(person=person)
    category = [c for c in request.GET.getlist("category") if c in EventCategory.values]
    significance = [
        s for s in request.GET.getlist("significance") if s in Significance.values
    ]
    agency = [
        i for i in (parse_id(a) for a in request.GET.getlist("agency")) if i is not None
    ]
    if category:
        queryset = queryset.filter(category__in=category)
    if significance:
        queryset = queryset.filter(significance__in=significance)
    if agency:
        queryset = queryset.filter(agency_id__in=agency)
    return queryset, {
        "category": category,
        "significance": significance,
        "agency": agency,
    }


def _cursor(value: str):
    try:
        stamp, pk = value.replace(" ", "+").rsplit("_", 1)
        return dt.datetime.fromisoformat(stamp), int(pk)
    except (ValueError, TypeError):
        return None


def _page(queryset, before: str | None):
    queryset = queryset.select_related("agency", "recorded_by").order_by(
        "-occurred_at", "-id"
    )
    cursor = _cursor(before) if before else None
    if cursor:
        stamp, pk = cursor
        queryset = queryset.filter(
            Q(occurred_at__lt=stamp) | Q(occurred_at=stamp, id__lt=pk)
        )
    rows = list(queryset[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    next_cursor = f"{rows[-1].occurred_at.isoformat()}_{rows[-1].pk}" if more else None
    return rows, next_cursor


def _agencies(person):
    return Agency.objects.filter(
        pk__in=Event.objects.filter(person=person).values("agency_id").distinct()
    ).order_by("name")


@requires(Permission.VIEW_CASES)
def chronology(request, pk: int):
    person = person_with_access(request, pk)
    queryset, selected = _filters(request, person)
    events, next_cursor = _page(queryset, request.GET.get("before"))
    query = request.GET.copy()
    query.pop("before", None)
    audit_view(request, person, "chronology", filters=selected)
    context = person_context(request, person, "chronology")
    context.update(
        events=events,
        next_cursor=next_cursor,
        first_page=not request.GET.get("before"),
        query=query.urlencode(),
        selected=selected,
        categories=EventCategory.choices,
        significances=Significance.choices,
        agencies=_agencies(person),
        filters_applied=any(selected.values()),
        episodes={
            e.event_id: e
            for e in MissingEpisode.objects.filter(event__in=[ev.pk for ev in events])
        },
        now=timezone.now(),
    )
    return render(request, "cases/chronology.html", context)


MAX_PRINT = 2000


@requires(Permission.VIEW_CASES)
def chronology_print(request, pk: int):
    person = person_with_access(request, pk)
    queryset, selected = _filters(request, person)
    events = list(
        queryset.select_related("agency").order_by("occurred_at", "id")[:MAX_PRINT]
    )
    audit_view(
        request, person, "chronology", action=AuditAction.PRINT, filters=selected
    )
    return render(
        request,
        "cases/chronology_print.html",
        {
            "person": person,
            "events": events,
            "printed_at": timezone.now(),
            "truncated": len(events) == MAX_PRINT,
            "user": request.user,
        },
    )


@requires(Permission.VIEW_CASES)
def chronology_export(request, pk: int):
    person = person_with_access(request, pk)
    queryset, selected = _filters(request, person)
    audit_view(
        request, person, "chronology", action=AuditAction.EXPORT, filters=selected
    )
    rows = (
        [
            timezone.localtime(e.occurred_at).strftime("%Y-%m-%d %H:%M"),
            e.get_category_display(),
            e.agency.name,
            e.get_significance_display(),
            e.summary,
            e.detail,
            e.source_reference,
            e.decision,
            e.decision_on.isoformat() if e.decision_on else "",
        ]
        for e in queryset.select_related("agency")
        .order_by("occurred_at", "id")
        .iterator()
    )
    return csv_response(
        f"chronology-{person.pk}.csv",
        [
            "When",
            "What",
            "Agency",
            "Significance",
            "Summary",
            "Details",
            "Reference",
            "Decision",
            "Decision date",
        ],
        rows,
    )


@requires(Permission.EDIT_CASES)
def event_new(request, pk: int):
    person = person_with_access(request, pk, edit=True)
    form = EventForm(request.POST or None)
    findings = []
    if request.method == "POST" and form.is_valid():
        findings = needs_language_review(request, form)
    if not findings and form_action(
        request,
        form,
        lambda data: actions.record_event(
            by=request.user,
            person=person,
            category=data["category"],
            occurred_at=form.occurred_at(),
            summary=data["summary"],
            detail=data["detail"],
            significance=data["significance"],
            source_reference=data["source_reference"],
            decision=data["decision"],
            decision_on=data.get("decision_on"),
            returned_at=form.returned_at(),
            missing_from=data["missing_from"],
        ),
    ):
        messages.success(request, "Added to the chronology")
        return redirect("cases:chronology", pk=person.pk)
    context = person_context(request, person, "chronology")
    context.update(form=form, findings=findings, title="Add to the chronology")
    return render(request, "cases/simple_form.html", context)


def _episode(request, pk, episode_pk):
    person = person_with_access(request, pk, edit=True)
    episode = MissingEpisode.objects.filter(person=person, pk=episode_pk).first()
    if episode is None:
        raise Http404
    return person, episode


@requires(Permission.EDIT_CASES)
def missing_return(request, pk: int, episode_pk: int):
    """Record that a missing child has come back: the return home interview is then
    due within 72 hours."""
    person, episode = _episode(request, pk, episode_pk)
    form = ReturnForm(request.POST or None)
    if form_action(
        request,
        form,
        lambda data: actions.record_return(
            by=request.user,
            episode=episode,
            returned_at=form.returned_at(),
            found_at_location=data["found_at_location"],
        ),
    ):
        messages.success(
            request,
            "Return recorded. The return home interview is due in 72 hours.",
        )
        return redirect("cases:chronology", pk=person.pk)
    context = person_context(request, person, "chronology")
    context.update(form=form, title="Record the child's return")
    return render(request, "cases/simple_form.html", context)


@requires(Permission.EDIT_CASES)
def return_interview(request, pk: int, episode_pk: int):
    person, episode = _episode(request, pk, episode_pk)
    form = ReturnInterviewForm(request.POST or None)
    findings = []
    if request.method == "POST" and form.is_valid():
        findings = needs_language_review(request, form)

    def record(data):
        held = data["held"] == "yes"
        return actions.record_return_interview(
            by=request.user,
            episode=episode,
            summary=data["summary"] if held else "",
            not_held_reason="" if held else data["not_held_reason"],
        )

    if not findings and form_action(request, form, record):
        messages.success(request, "Return home interview recorded")
        return redirect("cases:chronology", pk=person.pk)
    context = person_context(request, person, "chronology")
    context.update(
        form=form,
        findings=findings,
        title="Return home interview",
        intro="Due by "
        + f"{timezone.localtime(episode.interview_due_at):%-d %B %Y at %H:%M}"
        " (72 hours after the child returned)."
        if episode.interview_due_at
        else "Record the child's return first.",
    )
    return render(request, "cases/simple_form.html", context)


@require_POST
@requires(Permission.EDIT_CASES)
def language_check(request):
    """Checks free text as the practitioner types (htmx) or from the API."""
    from svduty.cases.language import find_phrases

    text = request.POST.get("text", "")[:20000]
    findings = find_phrases(text, active_rules())
    return JsonResponse(
        {
            "findings": [
                {"phrase": f.phrase, "alternative": f.alternative, "why": f.explanation}
                for f in findings
            ]
        }
    )
