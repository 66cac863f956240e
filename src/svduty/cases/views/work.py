"""Risk screening (with the trajectory chart), assessments, contributions, sign-off."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render

from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.cases import actions
from svduty.cases.forms import (
    AssessmentForm,
    ContributionRequestForm,
    ContributionResponseForm,
    ScreeningForm,
    SignOffForm,
    StartAssessmentForm,
)
from svduty.cases.models import (
    Assessment,
    AssessmentStatus,
    Contribution,
    ContributionStatus,
    Referral,
    Screening,
    ScreeningTool,
)
from svduty.cases.models.screening import Answer
from svduty.cases.policies import can_edit
from svduty.core.authorisation import Permission
from svduty.core.formviews import form_action
from svduty.core.policies import get_visible_or_404, has_permission, requires

from .common import (
    audit_view,
    needs_language_review,
    person_context,
    person_with_access,
)

LEVEL_VALUE = {"low": 1, "medium": 2, "high": 3}


def trajectory(screenings) -> tuple[dict | None, list, list]:
    """The risk trajectory as a Vega-Lite spec and the same figures as a table."""
    ordered = sorted(screenings, key=lambda s: (s.screened_on, s.pk))
    head = ["Date", "Agreed level", "Suggested level", "Score"]
    rows = [
        [
            s.screened_on.strftime("%-d %b %Y"),
            s.get_agreed_level_display(),
            s.get_suggested_level_display(),
            s.score,
        ]
        for s in ordered
    ]
    if not ordered:
        return None, head, rows
    values = [
        {
            "date": s.screened_on.isoformat(),
            "level": LEVEL_VALUE[s.agreed_level],
            "label": s.get_agreed_level_display(),
            "score": s.score,
        }
        for s in ordered
    ]
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": "container",
        "height": 200,
        "data": {"values": values},
        "mark": {"type": "line", "point": {"size": 80}},
        "encoding": {
            # A tick at each screening, labelled "12 Sep 2026" (the default ticks
            # labelled one screening "Sat 12"; issue 16).
            "x": {
                "field": "date",
                "type": "temporal",
                "title": "Screening date",
                "scale": {"type": "utc"},
                "axis": {
                    "format": "%-d %b %Y",
                    "labelAngle": 0,
                    "labelOverlap": True,
                    "values": [
                        {
                            "year": s.screened_on.year,
                            "month": s.screened_on.month,
                            "date": s.screened_on.day,
                            "utc": True,
                        }
                        for s in ordered
                    ],
                },
            },
            "y": {
                "field": "level",
                "type": "quantitative",
                "title": "Agreed risk level",
                "scale": {"domain": [0.5, 3.5]},
                "axis": {
                    "values": [1, 2, 3],
                    "labelExpr": "datum.value == 1 ? 'Low' : datum.value == 2 ? "
                    "'Medium' : 'High'",
                },
            },
            "tooltip": [
                {
                    "field": "date",
                    "type": "temporal",
                    "title": "Date",
                    "format": "%-d %B %Y",
                    "formatType": "utc",
                },
                {"field": "label", "title": "Level"},
                {"field": "score", "title": "Score"},
            ],
        },
    }
    return spec, head, rows


@requires(Permission.VIEW_CASES)
def screening_list(request, pk: int):
    person = person_with_access(request, pk)
    screenings = list(
        Screening.objects.filter(person=person)
        .select_related("completed_by", "tool")
        .order_by("-screened_on", "-id")
    )
    spec, head, rows = trajectory(screenings)
    audit_view(request, person, "screenings")
    context = person_context(request, person, "screening")
    context.update(screenings=screenings, spec=spec, head=head, rows=rows)
    return render(request, "cases/screening_list.html", context)


@requires(Permission.EDIT_CASES)
def screening_new(request, pk: int):
    person = person_with_access(request, pk, edit=True)
    tool = ScreeningTool.objects.filter(is_active=True).order_by("-version").first()
    if tool is None:
        raise Http404
    form = ScreeningForm(request.POST or None, tool=tool)
    suggestion = None
    findings = []
    if request.method == "POST" and form.is_valid():
        answers = form.answers()
        suggestion = actions.work.suggestion_for(tool, person, answers)
        findings = needs_language_review(request, form)

    def save(data):
        referral = Referral.objects.filter(
            person=person, pk=request.GET.get("referral") or 0
        ).first()
        return actions.record_screening(
            by=request.user,
            person=person,
            tool=tool,
            answers=form.answers(),
            agreed_level=data["agreed_level"],
            override_reason=data["override_reason"],
            danger_statement=data["danger_statement"],
            safety_goal=data["safety_goal"],
            referral=referral,
        )

    if not findings and form_action(request, form, save):
        messages.success(request, "Screening saved")
        return redirect("cases:screenings", pk=person.pk)
    context = person_context(request, person, "screening")
    context.update(form=form, tool=tool, suggestion=suggestion, findings=findings)
    return render(request, "cases/screening_form.html", context)


@requires(Permission.VIEW_CASES)
def screening_detail(request, pk: int, screening_pk: int):
    person = person_with_access(request, pk)
    screening = get_visible_or_404(
        Screening.objects.filter(person=person).select_related("completed_by", "tool"),
        request.user,
        pk=screening_pk,
    )
    answers = list(
        screening.answers.select_related("indicator__group").order_by(
            "indicator__group__order", "indicator__order"
        )
    )
    audit_view(request, person, "screening", screening=screening.pk)
    context = person_context(request, person, "screening")
    context.update(screening=screening, answers=answers, yes=Answer.YES)
    return render(request, "cases/screening.html", context)


@requires(Permission.VIEW_CASES)
def assessment_list(request, pk: int):
    person = person_with_access(request, pk)
    assessments = (
        Assessment.objects.filter(person=person)
        .select_related("assessment_type", "lead", "signed_off_by")
        .order_by("-started_on")
    )
    audit_view(request, person, "assessments")
    context = person_context(request, person, "assessments")
    context.update(assessments=assessments)
    return render(request, "cases/assessment_list.html", context)


@requires(Permission.EDIT_CASES)
def assessment_new(request, pk: int):
    person = person_with_access(request, pk, edit=True)
    form = StartAssessmentForm(request.POST or None)

    def start(data):
        referral = Referral.objects.filter(
            person=person, pk=request.GET.get("referral") or 0
        ).first()
        return actions.start_assessment(
            by=request.user,
            person=person,
            assessment_type=data["assessment_type"],
            started_on=data.get("started_on"),
            referral=referral,
        )

    if done := form_action(request, form, start):
        assessment = done.result
        messages.success(
            request,
            f"Assessment started. It is due by {assessment.due_on:%-d %B %Y}.",
        )
        return redirect("cases:assessment", pk=person.pk, assessment_pk=assessment.pk)
    context = person_context(request, person, "assessments")
    context.update(form=form, title="Start an assessment")
    return render(request, "cases/simple_form.html", context)


def _assessment(request, pk, assessment_pk):
    person = person_with_access(request, pk)
    assessment = get_visible_or_404(
        Assessment.objects.filter(person=person).select_related(
            "assessment_type", "lead", "signed_off_by"
        ),
        request.user,
        pk=assessment_pk,
    )
    return person, assessment


@requires(Permission.VIEW_CASES)
def assessment_detail(request, pk: int, assessment_pk: int):
    """Read and (while in progress) edit the assessment. Saving checks the version the
    practitioner opened, so two agencies editing at once never overwrite each other."""
    person, assessment = _assessment(request, pk, assessment_pk)
    editable = assessment.status == AssessmentStatus.IN_PROGRESS and can_edit(
        request.user, person
    )
    initial = {f: getattr(assessment, f) for f in actions.work.ASSESSMENT_SECTIONS}
    initial["version"] = assessment.version
    form = AssessmentForm(request.POST or None, initial=initial) if editable else None
    findings = []
    if request.method == "POST" and not editable:
        raise PermissionDenied
    if form is not None and request.method == "POST" and form.is_valid():
        findings = needs_language_review(request, form)

    def save(data):
        actions.update_assessment(
            by=request.user,
            assessment=assessment,
            expected_version=data["version"],
            **{k: data[k] for k in actions.work.ASSESSMENT_SECTIONS},
        )
        if request.POST.get("submit_for_sign_off"):
            assessment.refresh_from_db()
            actions.submit_assessment(
                by=request.user,
                assessment=assessment,
                expected_version=assessment.version,
            )

    if form is not None and not findings and form_action(request, form, save):
        messages.success(
            request,
            "Assessment sent for sign-off"
            if request.POST.get("submit_for_sign_off")
            else "Assessment saved",
        )
        return redirect("cases:assessment", pk=person.pk, assessment_pk=assessment.pk)
    contributions = list(
        assessment.contributions.select_related(
            "agency", "requested_by", "responded_by"
        )
    )
    audit_view(request, person, "assessment", assessment=assessment.pk)
    context = person_context(request, person, "assessments")
    context.update(
        assessment=assessment,
        form=form,
        findings=findings,
        contributions=contributions,
        gaps=actions.sign_off_gaps(assessment),
        may_sign_off=has_permission(request.user, Permission.SIGN_OFF_ASSESSMENTS)
        and assessment.status == AssessmentStatus.SUBMITTED
        and assessment.lead_id != request.user.pk,
        linked=list(assessment.linked_people.all()),
    )
    return render(request, "cases/assessment.html", context)


@requires(Permission.SIGN_OFF_ASSESSMENTS)
def assessment_sign_off(request, pk: int, assessment_pk: int):
    person, assessment = _assessment(request, pk, assessment_pk)
    form = SignOffForm(request.POST or None)
    if form_action(
        request,
        form,
        lambda data: actions.sign_off_assessment(
            by=request.user,
            assessment=assessment,
            approve=data["decision"] == "approve",
            note=data["note"],
        ),
    ):
        messages.success(request, "Decision recorded")
        return redirect("cases:assessment", pk=person.pk, assessment_pk=assessment.pk)
    audit_view(request, person, "assessment sign-off", assessment=assessment.pk)
    context = person_context(request, person, "assessments")
    context.update(
        assessment=assessment, form=form, gaps=actions.sign_off_gaps(assessment)
    )
    return render(request, "cases/assessment_sign_off.html", context)


@requires(Permission.EDIT_CASES)
def contribution_request(request, pk: int, assessment_pk: int):
    person, assessment = _assessment(request, pk, assessment_pk)
    if not can_edit(request.user, person):
        raise PermissionDenied
    form = ContributionRequestForm(request.POST or None, partnership=person.partnership)
    if form_action(
        request,
        form,
        lambda data: actions.request_contribution(
            by=request.user,
            assessment=assessment,
            agency=data["agency"],
            question=data["question"],
            due_on=data.get("due_on"),
        ),
    ):
        messages.success(request, "Contribution requested")
        return redirect("cases:assessment", pk=person.pk, assessment_pk=assessment.pk)
    context = person_context(request, person, "assessments")
    context.update(form=form, title="Ask another agency to contribute")
    return render(request, "cases/simple_form.html", context)


@requires(Permission.VIEW_CASES)
def contribution_respond(request, pk: int):
    """A practitioner in the agency asked sees the question and the child's name and
    date of birth, and answers; they do not see the rest of the record unless they
    are on the case team."""
    contribution = get_visible_or_404(
        Contribution.objects.select_related(
            "assessment__person",
            "assessment__assessment_type",
            "agency",
            "requested_by",
        ),
        request.user,
        pk=pk,
    )
    person = contribution.assessment.person
    may_answer = (
        contribution.agency_id in request.user.agency_ids()
        and contribution.status == ContributionStatus.REQUESTED
        and has_permission(request.user, Permission.EDIT_CASES)
    )
    form = ContributionResponseForm(request.POST or None) if may_answer else None
    findings = []
    if request.method == "POST" and not may_answer:
        raise PermissionDenied
    if form is not None and request.method == "POST" and form.is_valid():
        findings = needs_language_review(request, form)

    def respond(data):
        answer = data["answer"]
        return actions.respond_to_contribution(
            by=request.user,
            contribution=contribution,
            response=data["response"] if answer == ContributionStatus.RECEIVED else "",
            declined_reason=(
                data["declined_reason"] if answer == ContributionStatus.DECLINED else ""
            ),
        )

    if form is not None and not findings and form_action(request, form, respond):
        messages.success(request, "Thank you. Your contribution has been sent.")
        return redirect("cases:work")
    record(
        AuditAction.VIEW,
        actor=request.user,
        target=person,
        detail={"page": "contribution", "contribution": contribution.pk},
    )
    return render(
        request,
        "cases/contribution.html",
        {
            "contribution": contribution,
            "person": person,
            "form": form,
            "findings": findings,
        },
    )
