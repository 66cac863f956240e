"""The child's services, reachable moments, NRM referrals, return home interviews
and disruption tools: the Services panel on the child's record (cases loads it with
htmx through its panel registry; without JavaScript it is a page of its own) and the
forms that add to it."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from svduty.accounts.requests import signed_in_user
from svduty.cases.models import MissingEpisode, Person
from svduty.cases.policies import can_edit, prime_user
from svduty.core.authorisation import Permission
from svduty.core.policies import get_visible_or_404, requires
from svduty.core.viewing import note_shown

from .. import actions
from ..forms import (
    AttendanceForm,
    DecideForm,
    DisruptionEndForm,
    DisruptionForm,
    EndForm,
    FollowUpForm,
    GroundsForm,
    MomentForm,
    MomentResponseForm,
    NrmForm,
    OfferForm,
    OutcomeForm,
    ReconsiderationAnswerForm,
    ReconsiderationForm,
    ReferralForm,
    S45Form,
    StartForm,
    WithdrawForm,
)
from ..models import (
    DisruptionTool,
    GroundsStage,
    NrmReconsideration,
    NrmReferral,
    ReachableMoment,
    ReturnInterview,
    ServiceReferral,
)
from .common import audit_view, form_page


def _panel_url(person_id: int) -> str:
    return reverse("services:person_panel", args=[person_id])


def _child(request: HttpRequest, pk: int) -> Person:
    prime_user(request.user)
    return get_visible_or_404(Person, request.user, pk=pk)


@requires(Permission.VIEW_CASES)
def person_panel(request: HttpRequest, pk: int) -> HttpResponse:
    person = _child(request, pk)
    today = timezone.localdate()
    referrals = list(
        ServiceReferral.objects.filter(person=person)
        .select_related("service")
        .order_by("-referred_on", "-id")
    )
    moments = list(
        ReachableMoment.objects.filter(person=person).select_related("referral")
    )
    nrms = list(
        NrmReferral.objects.filter(person=person)
        .select_related("first_responder")
        .prefetch_related("reconsiderations")
    )
    episodes = list(
        MissingEpisode.objects.filter(person=person, returned_at__isnull=False)
        .select_related("return_offer")
        .order_by("-started_at")
    )
    tools = list(
        DisruptionTool.objects.filter(person=person).select_related("issued_by")
    )
    for referral in referrals:
        referral.days_waiting = referral.waiting_days(today)  # type: ignore[attr-defined]
    for tool in tools:
        tool.in_force = tool.is_in_force(today)  # type: ignore[attr-defined]
    for nrm in nrms:
        nrm.overdue = nrm.rg_overdue(today)  # type: ignore[attr-defined]
    for episode in episodes:
        episode.offer = getattr(episode, "return_offer", None)  # type: ignore[attr-defined]
    audit_view(
        request,
        person,
        "services",
        referrals=[r.pk for r in referrals],
        nrm=[n.pk for n in nrms],
    )
    template = (
        "services/_person_panel.html"
        if getattr(request, "htmx", False)
        else "services/person_panel.html"
    )
    return render(
        request,
        template,
        {
            "person": person,
            "referrals": referrals,
            "moments": moments,
            "nrms": nrms,
            "episodes": episodes,
            "tools": tools,
            "can_edit": can_edit(request.user, person),
        },
    )


def _child_form(
    request: HttpRequest,
    person: Person,
    form: Any,
    action: Any,
    title: str,
    success: str,
    next_url: Any = None,
) -> HttpResponse:
    return form_page(
        request,
        form,
        action,
        title=title,
        success=success,
        next_url=next_url or (lambda _r: _panel_url(person.pk)),
        back_url=_panel_url(person.pk),
        back_label=f"Back to {person}'s services",
    )


@requires(Permission.EDIT_CASES)
def refer(request: HttpRequest, pk: int) -> HttpResponse:
    person = _child(request, pk)
    user = signed_in_user(request)
    form = ReferralForm(request.POST or None, person=person)
    return _child_form(
        request,
        person,
        form,
        lambda d: actions.refer_to_service(by=user, person=person, **d),
        f"Refer {person} to a service",
        "Referral made",
        lambda r: reverse("services:referral", args=[r.pk]),
    )


@requires(Permission.EDIT_CASES)
def moment_new(request: HttpRequest, pk: int) -> HttpResponse:
    person = _child(request, pk)
    user = signed_in_user(request)
    return _child_form(
        request,
        person,
        MomentForm(request.POST or None),
        lambda d: actions.record_reachable_moment(by=user, person=person, **d),
        "Record a reachable moment",
        "Reachable moment recorded",
    )


@requires(Permission.EDIT_CASES)
def nrm_new(request: HttpRequest, pk: int) -> HttpResponse:
    person = _child(request, pk)
    user = signed_in_user(request)
    return _child_form(
        request,
        person,
        NrmForm(request.POST or None, person=person),
        lambda d: actions.record_nrm_referral(by=user, person=person, **d),
        "Record a National Referral Mechanism referral",
        "NRM referral recorded",
    )


@requires(Permission.EDIT_CASES)
def disruption_new(request: HttpRequest, pk: int) -> HttpResponse:
    person = _child(request, pk)
    user = signed_in_user(request)
    return _child_form(
        request,
        person,
        DisruptionForm(request.POST or None, person=person),
        lambda d: actions.record_disruption(by=user, person=person, **d),
        "Record a notice or order",
        "Notice or order recorded",
    )


# Referral page and its steps ------------------------------------------------------

STEPS: dict[str, tuple[Any, Any, str, str]] = {
    "decide": (
        DecideForm,
        actions.decide_referral,
        "Record the service's decision",
        "Decision recorded",
    ),
    "start": (StartForm, actions.start_service, "Record the start", "Start recorded"),
    "attendance": (
        AttendanceForm,
        actions.record_attendance,
        "Record attendance",
        "Attendance recorded",
    ),
    "end": (
        EndForm,
        actions.end_service,
        "Record the end and outcome",
        "Outcome recorded",
    ),
    "withdraw": (
        WithdrawForm,
        actions.withdraw_referral,
        "Withdraw the referral",
        "Referral withdrawn",
    ),
}


def _referral(request: HttpRequest, pk: int) -> ServiceReferral:
    prime_user(request.user)
    return get_visible_or_404(
        ServiceReferral.objects.select_related("service", "person", "referring_agency"),
        request.user,
        pk=pk,
    )


@requires(Permission.VIEW_CASES)
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk)
    from ..states import TRANSITIONS, ReferralStatus

    allowed = TRANSITIONS[ReferralStatus(referral.status)]
    steps = []
    editable = can_edit(request.user, referral.person)
    if editable:
        if ReferralStatus.ACCEPTED in allowed:
            steps.append(("decide", "Record the service's decision"))
        if ReferralStatus.STARTED in allowed:
            steps.append(("start", "Record the start"))
        if referral.status == ReferralStatus.STARTED:
            steps.append(("attendance", "Record attendance"))
        if ReferralStatus.ENDED in allowed:
            steps.append(("end", "Record the end and outcome"))
        if ReferralStatus.WITHDRAWN in allowed:
            steps.append(("withdraw", "Withdraw the referral"))
    audit_view(request, referral.person, "service referral", referral=referral.pk)
    return render(
        request,
        "services/referral.html",
        {
            "referral": referral,
            "person": referral.person,
            "steps": steps,
            "days_waiting": referral.waiting_days(),
        },
    )


@requires(Permission.EDIT_CASES)
def referral_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if step not in STEPS:
        raise Http404
    referral = _referral(request, pk)
    user = signed_in_user(request)
    form_class, action, title, success = STEPS[step]
    return form_page(
        request,
        form_class(request.POST or None),
        lambda d: action(by=user, referral=referral, **d),
        title=f"{title}: {referral.service.name}",
        success=success,
        next_url=lambda r: reverse("services:referral", args=[r.pk]),
        back_url=reverse("services:referral", args=[referral.pk]),
        back_label="Back to the referral",
    )


# Steps on the other records ---------------------------------------------------------


@requires(Permission.EDIT_CASES)
def moment_response(request: HttpRequest, pk: int) -> HttpResponse:
    prime_user(request.user)
    moment = get_visible_or_404(
        ReachableMoment.objects.select_related("person"), request.user, pk=pk
    )
    user = signed_in_user(request)
    return _child_form(
        request,
        moment.person,
        MomentResponseForm(request.POST or None, person=moment.person),
        lambda d: actions.record_moment_response(by=user, moment=moment, **d),
        "Record the young person's answer",
        "Answer recorded",
    )


@requires(Permission.EDIT_CASES)
def moment_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    prime_user(request.user)
    moment = get_visible_or_404(
        ReachableMoment.objects.select_related("person"), request.user, pk=pk
    )
    user = signed_in_user(request)
    return _child_form(
        request,
        moment.person,
        FollowUpForm(request.POST or None),
        lambda d: actions.record_moment_follow_up(by=user, moment=moment, **d),
        "Record a follow-up",
        "Follow-up recorded",
    )


@requires(Permission.EDIT_CASES)
def nrm_decision(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    if stage not in ("reasonable", "conclusive"):
        raise Http404
    prime_user(request.user)
    nrm = get_visible_or_404(
        NrmReferral.objects.select_related("person"), request.user, pk=pk
    )
    user = signed_in_user(request)
    action = (
        actions.record_rg_decision
        if stage == "reasonable"
        else actions.record_cg_decision
    )
    return _child_form(
        request,
        nrm.person,
        GroundsForm(request.POST or None),
        lambda d: action(by=user, nrm=nrm, **d),
        f"Record the {stage} grounds decision",
        "Decision recorded",
    )


@requires(Permission.EDIT_CASES)
def nrm_reconsideration(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    """Ask for a negative reasonable or conclusive grounds decision to be
    reconsidered."""
    if stage not in GroundsStage.values:
        raise Http404
    prime_user(request.user)
    nrm = get_visible_or_404(
        NrmReferral.objects.select_related("person"), request.user, pk=pk
    )
    user = signed_in_user(request)
    return _child_form(
        request,
        nrm.person,
        ReconsiderationForm(request.POST or None),
        lambda d: actions.request_nrm_reconsideration(
            by=user, nrm=nrm, stage=stage, **d
        ),
        f"Ask for the {GroundsStage(stage).label.lower()} decision to be reconsidered",
        "Request for reconsideration recorded",
    )


@requires(Permission.EDIT_CASES)
def nrm_reconsideration_answer(request: HttpRequest, pk: int) -> HttpResponse:
    prime_user(request.user)
    reconsideration = get_visible_or_404(
        NrmReconsideration.objects.select_related("nrm__person"), request.user, pk=pk
    )
    # The page names the child (through the referral the request is about), so
    # it is audited as a view of the child's record.
    note_shown(reconsideration.nrm)
    user = signed_in_user(request)
    return _child_form(
        request,
        reconsideration.nrm.person,
        ReconsiderationAnswerForm(request.POST or None),
        lambda d: actions.answer_nrm_reconsideration(
            by=user, reconsideration=reconsideration, **d
        ),
        "Record the answer to the reconsideration",
        "Answer recorded",
    )


@requires(Permission.EDIT_CASES)
def nrm_s45(request: HttpRequest, pk: int) -> HttpResponse:
    """A prosecution of the child linked to the NRM referral, and whether the
    section 45 defence was raised in it."""
    prime_user(request.user)
    nrm = get_visible_or_404(
        NrmReferral.objects.select_related("person"), request.user, pk=pk
    )
    user = signed_in_user(request)
    return _child_form(
        request,
        nrm.person,
        S45Form(request.POST or None),
        lambda d: actions.record_s45_defence(by=user, nrm=nrm, **d),
        "Record a linked prosecution and the section 45 defence",
        "Prosecution recorded",
    )


@requires(Permission.EDIT_CASES)
def interview_offer(request: HttpRequest, pk: int) -> HttpResponse:
    prime_user(request.user)
    episode = get_visible_or_404(
        MissingEpisode.objects.select_related("person"), request.user, pk=pk
    )
    user = signed_in_user(request)
    return _child_form(
        request,
        episode.person,
        OfferForm(request.POST or None),
        lambda d: actions.offer_return_interview(by=user, episode=episode, **d),
        "Record the offer of a return home interview",
        "Offer recorded",
    )


@requires(Permission.EDIT_CASES)
def interview_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    prime_user(request.user)
    offer = get_visible_or_404(
        ReturnInterview.objects.select_related("missing_episode__person"),
        request.user,
        pk=pk,
    )
    user = signed_in_user(request)
    return _child_form(
        request,
        offer.missing_episode.person,
        OutcomeForm(request.POST or None),
        lambda d: actions.record_interview_outcome(by=user, offer=offer, **d),
        "Record the return home interview",
        "Return home interview recorded",
    )


@requires(Permission.EDIT_CASES)
def disruption_end(request: HttpRequest, pk: int) -> HttpResponse:
    prime_user(request.user)
    tool = get_visible_or_404(
        DisruptionTool.objects.select_related("person"), request.user, pk=pk
    )
    user = signed_in_user(request)
    return _child_form(
        request,
        tool.person,
        DisruptionEndForm(request.POST or None),
        lambda d: actions.end_disruption(by=user, tool=tool, **d),
        f"End the {tool.get_kind_display().lower()}",
        "Recorded as ended",
    )
