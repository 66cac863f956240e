"""A partnership's strategy: its versions, content, consultation, sign-off, the
lifecycle transitions and reviews."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from svduty.core.authorisation import Permission
from svduty.core.formviews import button_action, form_action
from svduty.core.policies import has_permission, requires

from .. import actions
from ..checklist import publish_checklist
from ..forms import (
    ConfirmForm,
    ConsultationForm,
    ReviewForm,
    SectionForm,
    StrategyForm,
)
from ..publication import current_version
from ..states import StrategyState, Transition, transitions_from
from .common import scoped_partnership, version_or_404

#: Transitions confirmed on a simple page; reviews have their own form.
SIMPLE_TRANSITIONS = {
    Transition.START_CONSULTATION: (
        "Start consultation",
        "The draft goes to consultation. Record each educational, prison and youth "
        "custody authority's response on the strategy page.",
    ),
    Transition.CLOSE_CONSULTATION: (
        "Close consultation",
        "Consultation closes and the strategy waits for each specified authority to "
        "sign it off. You cannot add consultation records after this.",
    ),
    Transition.PUBLISH: (
        "Publish the strategy",
        "The strategy is published on its public page with today's date. A "
        "published version cannot be changed: later changes need a review and a "
        "new version.",
    ),
    Transition.START_REVIEW: (
        "Start the annual review",
        "The strategy stays published while the partnership reviews it.",
    ),
}

# What the success banner says after each step, in plain words (issue 16: "Publish the
# strategy: done" read like machine output).
DONE_MESSAGES = {
    Transition.START_CONSULTATION: "Consultation has started",
    Transition.CLOSE_CONSULTATION: (
        "Consultation is closed: the strategy now waits for sign-off"
    ),
    Transition.PUBLISH: "The strategy is published on its public page",
    Transition.START_REVIEW: "The annual review has started",
}


@requires(Permission.VIEW_PARTNERSHIP)
def overview(request, slug):
    partnership = scoped_partnership(request, slug)
    versions = partnership.strategy_versions.order_by("-number")
    form = None
    can_manage = has_permission(request.user, Permission.MANAGE_STRATEGY)
    if can_manage and not versions.exists():
        form = StrategyForm(request.POST or None)
        if done := form_action(
            request,
            form,
            lambda data: actions.start_strategy(
                by=request.user,
                partnership=partnership,
                title=data["title"],
                period_start=data["period_start"],
                period_end=data["period_end"],
            ),
        ):
            messages.success(request, "Draft strategy started")
            return redirect("strategy:version", slug=slug, number=done.result.number)
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "strategy/overview.html",
        {
            "partnership": partnership,
            "versions": versions,
            "current": current_version(partnership),
            "form": form,
        },
    )


@requires(Permission.VIEW_PARTNERSHIP)
def version_detail(request, slug, number):
    partnership = scoped_partnership(request, slug)
    version = version_or_404(request, partnership, number)
    consultations = {
        c.authority_id: c
        for c in version.consultations.select_related("recorded_by")
        if c.authority_id
    }
    consultees = [
        (a, consultations.get(a.pk)) for a in actions.required_consultees(version)
    ]
    legacy_consultations = version.consultations.filter(
        member__isnull=False
    ).select_related("member__agency")
    signatories = actions.sign_off_status(version)
    can_manage = has_permission(request.user, Permission.MANAGE_STRATEGY)
    can_sign = has_permission(request.user, Permission.SIGN_OFF_STRATEGY)
    steps = publish_checklist(version) if version.is_editable else []
    ready = all(step.done for step in steps[:-1])
    available = []
    for move in transitions_from(version.state):
        # Publishing is offered only once the checklist is complete.
        needed = (
            (can_sign and can_manage and ready)
            if move == Transition.PUBLISH
            else can_manage
        )
        if needed:
            available.append(move)
    return render(
        request,
        "strategy/version.html",
        {
            "partnership": partnership,
            "version": version,
            "sections": version.sections.all(),
            "consultees": consultees,
            "legacy_consultations": legacy_consultations,
            "consultation_gaps": actions.consultation_gaps(version)
            if version.state in (StrategyState.DRAFT, StrategyState.CONSULTATION)
            else [],
            "consultation_open": version.state
            in (StrategyState.DRAFT, StrategyState.CONSULTATION),
            "signatories": signatories,
            "sign_off_history": version.sign_offs.exclude(
                pk__in=[s.pk for _m, s in signatories if s is not None]
            ).select_related("member__agency", "withdrawn_by", "evidence"),
            "publish_steps": steps,
            "my_agencies": request.user.agency_ids(),
            "sign_off_open": version.state == StrategyState.AWAITING_SIGN_OFF,
            "reviews": version.reviews.select_related("started_by", "completed_by"),
            "transitions": available,
            "can_manage": can_manage,
            "can_sign": can_sign,
            "overdue": version.is_review_overdue(),
            "other_versions": partnership.strategy_versions.exclude(pk=version.pk),
        },
    )


@requires(Permission.MANAGE_STRATEGY)
def version_edit(request, slug, number):
    partnership = scoped_partnership(request, slug)
    version = version_or_404(request, partnership, number)
    form = StrategyForm(
        request.POST or None,
        initial={
            "title": version.title,
            "period_start": version.period_start,
            "period_end": version.period_end,
            "version": version.version,
        },
    )
    if form_action(
        request,
        form,
        lambda data: actions.update_strategy(
            by=request.user,
            strategy_version=version,
            expected_version=data["version"],
            title=data["title"],
            period_start=data["period_start"],
            period_end=data["period_end"],
        ),
    ):
        messages.success(request, "Strategy details saved")
        return redirect("strategy:version", slug=slug, number=number)
    return render(
        request,
        "strategy/version_edit.html",
        {"partnership": partnership, "version": version, "form": form},
    )


def _section(version, pk):
    section = version.sections.filter(pk=pk).first()
    if section is None:
        raise Http404
    return section


@requires(Permission.MANAGE_STRATEGY)
def section_form(request, slug, number, pk=None):
    partnership = scoped_partnership(request, slug)
    version = version_or_404(request, partnership, number)
    section = _section(version, pk) if pk else None
    initial = (
        {
            "kind": section.kind,
            "heading": section.heading,
            "body": section.body,
            "publishable": section.publishable,
            "version": section.version,
        }
        if section
        else None
    )
    form = SectionForm(request.POST or None, initial=initial)
    if form_action(
        request,
        form,
        lambda data: actions.save_section(
            by=request.user,
            strategy_version=version,
            section=section,
            expected_version=data["version"],
            kind=data["kind"],
            heading=data["heading"],
            body=data["body"],
            publishable=data["publishable"],
        ),
    ):
        messages.success(request, "Section saved")
        return redirect("strategy:version", slug=slug, number=number)
    return render(
        request,
        "strategy/section_form.html",
        {
            "partnership": partnership,
            "version": version,
            "section": section,
            "form": form,
        },
    )


@requires(Permission.MANAGE_STRATEGY)
@require_POST
def section_remove(request, slug, number, pk):
    partnership = scoped_partnership(request, slug)
    version = version_or_404(request, partnership, number)
    section = _section(version, pk)
    button_action(
        request,
        lambda: actions.remove_section(by=request.user, section=section),
        success=f"Section ‘{section.heading}’ removed",
    )
    return redirect("strategy:version", slug=slug, number=number)


def _member(members, pk):
    for member in members:
        if member.pk == pk:
            return member
    raise Http404


@requires(Permission.MANAGE_STRATEGY)
def consultation(request, slug, number, authority_pk):
    partnership = scoped_partnership(request, slug)
    version = version_or_404(request, partnership, number)
    authority = _member(actions.required_consultees(version), authority_pk)
    existing = version.consultations.filter(authority=authority).first()
    initial = None
    if existing:
        initial = {
            "outcome": "exception" if existing.is_exception else "consulted",
            "consulted_on": existing.consulted_on,
            "method": existing.method,
            "consulted_person": existing.consulted_person,
            "response": existing.response,
            "how_considered": existing.how_considered,
            "exception_reason": existing.exception_reason,
            "version": existing.version,
        }
    form = ConsultationForm(request.POST or None, initial=initial)

    def record_it(data):
        if data["outcome"] == "exception":
            return actions.record_consultation_exception(
                by=request.user,
                strategy_version=version,
                authority=authority,
                reason=data["exception_reason"],
                expected_version=data["version"],
            )
        return actions.record_consultation(
            by=request.user,
            strategy_version=version,
            authority=authority,
            consulted_on=data["consulted_on"],
            method=data["method"],
            consulted_person=data["consulted_person"],
            response=data["response"],
            how_considered=data["how_considered"],
            expected_version=data["version"],
        )

    if form_action(request, form, record_it):
        messages.success(request, f"Consultation with {authority.name} recorded")
        return redirect("strategy:version", slug=slug, number=number)
    return render(
        request,
        "strategy/consultation_form.html",
        {
            "partnership": partnership,
            "version": version,
            "authority": authority,
            "form": form,
        },
    )


@requires(Permission.MANAGE_STRATEGY)
@require_POST
def consultation_approve(request, slug, number, pk):
    """A second person approves a reason for not consulting an authority."""
    partnership = scoped_partnership(request, slug)
    version = version_or_404(request, partnership, number)
    record_ = get_object_or_404(version.consultations, pk=pk)
    try:
        actions.approve_consultation_exception(by=request.user, consultation=record_)
    except (ValidationError, PermissionDenied) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else exc
        messages.error(request, str(text))
    else:
        messages.success(
            request, f"Reason for not consulting {record_.authority_name} approved"
        )
    url = reverse("strategy:version", args=[slug, number])
    return redirect(f"{url}#consultation")


@requires(Permission.MANAGE_STRATEGY)
def transition(request, slug, number, name):
    partnership = scoped_partnership(request, slug)
    version = version_or_404(request, partnership, number)
    try:
        move = Transition(name)
    except ValueError:
        raise Http404 from None
    if move in (Transition.RECONFIRM, Transition.REVISE):
        return redirect("strategy:review", slug=slug, number=number)
    if move == Transition.PUBLISH and not has_permission(
        request.user, Permission.SIGN_OFF_STRATEGY
    ):
        raise Http404
    heading, explanation = SIMPLE_TRANSITIONS[move]
    form = ConfirmForm(request.POST or None, initial={"version": version.version})
    if form_action(
        request,
        form,
        lambda data: actions.transition(
            by=request.user,
            strategy_version=version,
            transition=move,
            expected_version=data["version"],
        ),
    ):
        messages.success(request, DONE_MESSAGES[move])
        return redirect("strategy:version", slug=slug, number=number)
    return render(
        request,
        "strategy/transition.html",
        {
            "partnership": partnership,
            "version": version,
            "form": form,
            "heading": heading,
            "explanation": explanation,
        },
    )


@requires(Permission.MANAGE_STRATEGY)
def review(request, slug, number):
    partnership = scoped_partnership(request, slug)
    version = version_or_404(request, partnership, number)
    if version.state != StrategyState.UNDER_REVIEW:
        messages.error(request, "Start the review before recording its outcome")
        return redirect("strategy:version", slug=slug, number=number)
    form = ReviewForm(request.POST or None, initial={"version": version.version})

    def outcome(data):
        return (
            Transition.RECONFIRM
            if data["outcome"] == "reconfirm"
            else Transition.REVISE
        )

    if done := form_action(
        request,
        form,
        lambda data: actions.transition(
            by=request.user,
            strategy_version=version,
            transition=outcome(data),
            expected_version=data["version"],
            on=data["on"],
            decisions=data["decisions"],
            changes=data["changes"],
        ),
    ):
        result = done.result
        if outcome(form.cleaned_data) == Transition.REVISE:
            messages.success(
                request,
                f"Review recorded. Version {result.number} is a draft for you to "
                "revise",
            )
        else:
            messages.success(request, "Review recorded: the strategy is re-confirmed")
        return redirect("strategy:version", slug=slug, number=result.number)
    return render(
        request,
        "strategy/review_form.html",
        {"partnership": partnership, "version": version, "form": form},
    )
