"""Workforce, community engagement and learning records (issue 12 points 5 and 6):
each kind has a page per partnership listing its records, with the form to add one
for those who may record the evidence. Leaders, analysts and team managers
(VIEW_EVIDENCE) read them; partnership leads and team managers (MANAGE_EVIDENCE)
record them. They name no child, so reading them is not audited; every change is."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from svduty.accounts.requests import signed_in_user
from svduty.cases.policies import prime_user
from svduty.core.authorisation import Permission
from svduty.core.formviews import form_action
from svduty.core.policies import get_visible_or_404, has_permission, requires
from svduty.evidence import actions, learning_forms, records
from svduty.evidence.models import (
    EngagementActivity,
    OversightDecision,
    PracticeReview,
    Recommendation,
    TrainingSession,
)
from svduty.partnership.models import Partnership


def _partnership(request: HttpRequest, slug: str) -> Partnership:
    prime_user(request.user)
    return get_visible_or_404(Partnership, request.user, slug=slug)


def _may_manage(request: HttpRequest) -> bool:
    return has_permission(request.user, Permission.MANAGE_EVIDENCE)


def _form(
    request: HttpRequest, form_class: type[forms.Form], **kwargs: Any
) -> forms.Form | None:
    """The add form for those who may record; a POST from anyone else is refused."""
    if not _may_manage(request):
        if request.method == "POST":
            raise PermissionDenied("You cannot record the partnership's evidence.")
        return None
    return form_class(request.POST or None, **kwargs)


def _add(
    request: HttpRequest,
    form: forms.Form | None,
    action: Callable[[dict[str, Any]], Any],
    message: Callable[[Any], str],
) -> Any:
    if form is None:
        return None
    done = form_action(request, form, action)
    if done:
        messages.success(request, message(done.result))
    return done


def list_view(kind: records.RecordKind) -> Callable[..., HttpResponse]:
    """The page of one record type (`records.KINDS`): the partnership's records,
    with the form to add one for those who may record them."""

    def view(request: HttpRequest, slug: str) -> HttpResponse:
        partnership = _partnership(request, slug)
        user = signed_in_user(request)
        extra = {"partnership": partnership} if kind.form_takes_partnership else {}
        form = _form(request, kind.form, **extra)
        if done := _add(
            request,
            form,
            lambda d: actions.record_new(kind, by=user, partnership=partnership, **d),
            kind.created,
        ):
            if kind.open_after and kind.page:
                return redirect(kind.page, pk=done.result.pk)
            return redirect(f"evidence:{kind.key}", slug=slug)
        items = kind.model._default_manager.visible_to(request.user).filter(  # type: ignore[attr-defined]
            partnership=partnership
        )
        context = {
            "partnership": partnership,
            "title": kind.title,
            "intro": kind.intro,
            "outcome": kind.outcome,
            "head": kind.head,
            "rows": kind.rows(items, _may_manage(request)),
            "numeric": kind.numeric,
            "form": form,
            "form_title": kind.form_title,
            "submit": kind.submit,
        }
        return render(request, "evidence/record_list.html", context)

    view.__name__ = view.__qualname__ = kind.key
    return requires(Permission.VIEW_EVIDENCE)(view)


#: The list page of each record type, by its URL name.
LIST_VIEWS = {kind.key: list_view(kind) for kind in records.KINDS}


@requires(Permission.VIEW_EVIDENCE)
def training_session(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_visible_or_404(
        TrainingSession.objects.select_related("partnership"), request.user, pk=pk
    )
    user = signed_in_user(request)
    form = _form(
        request, learning_forms.AttendanceForm, partnership=session.partnership
    )
    if _add(
        request,
        form,
        lambda d: actions.record_attendance(by=user, session=session, **d),
        lambda a: f"Attendance recorded: {a}",
    ):
        return redirect("evidence:training_session", pk=pk)
    attendance = list(session.attendance.select_related("agency"))
    by_role: dict[str, int] = defaultdict(int)
    for a in attendance:
        by_role[a.get_role_display()] += a.attended
    return render(
        request,
        "evidence/training_session.html",
        {
            "session": session,
            "partnership": session.partnership,
            "attendance": attendance,
            "by_role": sorted(by_role.items()),
            "total": sum(a.attended for a in attendance),
            "form": form,
        },
    )


@requires(Permission.VIEW_EVIDENCE)
def engagement_activity(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_visible_or_404(
        EngagementActivity.objects.select_related("partnership"), request.user, pk=pk
    )
    user = signed_in_user(request)
    form = _form(
        request,
        learning_forms.EngagementChangeForm,
        initial={"changed": activity.changed},
    )
    if _add(
        request,
        form,
        lambda d: actions.record_engagement_change(
            by=user, activity=activity, changed=d["changed"]
        ),
        lambda a: "What changed is recorded",
    ):
        return redirect("evidence:engagement_activity", pk=pk)
    return render(
        request,
        "evidence/engagement_activity.html",
        {"activity": activity, "partnership": activity.partnership, "form": form},
    )


@requires(Permission.VIEW_EVIDENCE)
def review(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_visible_or_404(
        PracticeReview.objects.select_related("partnership"), request.user, pk=pk
    )
    user = signed_in_user(request)
    form = _form(
        request, learning_forms.RecommendationForm, partnership=item.partnership
    )
    if _add(
        request,
        form,
        lambda d: actions.add_recommendation(by=user, review=item, **d),
        lambda r: "Recommendation added",
    ):
        return redirect("evidence:review", pk=pk)
    return render(
        request,
        "evidence/review.html",
        {
            "review": item,
            "partnership": item.partnership,
            "recommendations": item.recommendations.select_related("agency"),
            "form": form,
            "may_manage": _may_manage(request),
        },
    )


@requires(Permission.MANAGE_EVIDENCE)
def recommendation_complete(request: HttpRequest, pk: int, rec_pk: int) -> HttpResponse:
    item = get_visible_or_404(PracticeReview, request.user, pk=pk)
    rec = get_visible_or_404(
        Recommendation.objects.filter(review=item), request.user, pk=rec_pk
    )
    user = signed_in_user(request)
    form = learning_forms.CompleteRecommendationForm(request.POST or None)
    if form_action(
        request,
        form,
        lambda d: actions.complete_recommendation(by=user, recommendation=rec, **d),
    ):
        messages.success(request, "Recommendation completed")
        return redirect("evidence:review", pk=pk)
    return render(
        request,
        "evidence/form.html",
        {
            "form": form,
            "title": "Complete a recommendation",
            "intro": rec.text,
            "back": reverse("evidence:review", args=[pk]),
            "partnership": item.partnership,
            "submit": "Mark as completed",
        },
    )


@requires(Permission.MANAGE_EVIDENCE)
def oversight_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_visible_or_404(
        OversightDecision.objects.select_related("partnership"), request.user, pk=pk
    )
    user = signed_in_user(request)
    form = learning_forms.FollowUpForm(request.POST or None)
    back = reverse("evidence:oversight", kwargs={"slug": decision.partnership.slug})
    if form_action(
        request,
        form,
        lambda d: actions.record_follow_up(by=user, decision=decision, **d),
    ):
        messages.success(request, "Follow-up recorded")
        return redirect(back)
    return render(
        request,
        "evidence/form.html",
        {
            "form": form,
            "title": f"Record the follow-up: {decision.subject}",
            "intro": decision.decision,
            "back": back,
            "partnership": decision.partnership,
            "submit": "Record the follow-up",
        },
    )
