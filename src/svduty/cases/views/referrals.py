"""Referrals: making one, the decision queue, deciding, and what the referrer sees."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone

from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.cases import actions
from svduty.cases.forms import ReferralForm, TriageForm
from svduty.cases.models import Referral
from svduty.cases.policies import access_basis, user_partnership_ids
from svduty.cases.workdays import local_date
from svduty.core.authorisation import Permission
from svduty.core.formviews import form_action
from svduty.core.policies import get_visible_or_404, has_permission, requires

from .common import findable_or_404, needs_language_review


@requires(Permission.MAKE_REFERRAL)
def referral_new(request, pk: int):
    person = findable_or_404(request.user, pk)
    form = ReferralForm(
        request.POST or None, initial={"referrer_phone": request.user.phone}
    )
    findings = []
    if request.method == "POST" and form.is_valid():
        findings = needs_language_review(request, form)
    if not findings and (
        done := form_action(
            request,
            form,
            lambda data: actions.make_referral(
                by=request.user,
                person=person,
                reasons=data["reasons"],
                urgency=data["urgency"],
                what_is_known=data["what_is_known"],
                action_taken=data["action_taken"],
                referrer_phone=data["referrer_phone"],
                child_aware={"yes": True, "no": False}.get(data["child_aware"]),
            ),
        )
    ):
        referral = done.result
        messages.success(
            request,
            f"Referral sent. A decision is due by "
            f"{referral.decision_due_on:%-d %B %Y}.",
        )
        return redirect("cases:referral", pk=referral.pk)
    return render(
        request,
        "cases/referral_form.html",
        {"person": person, "form": form, "findings": findings},
    )


def _audit_referral(request, referral, page):
    record(
        AuditAction.VIEW,
        actor=request.user,
        target=referral.person,
        detail={"page": page, "referral": referral.pk},
    )


@requires(Permission.MAKE_REFERRAL)
def referral_detail(request, pk: int):
    """The referrer sees their referral and what happened to it; the case team and
    decision makers see it too."""
    referral = get_visible_or_404(
        Referral.objects.select_related(
            "person", "referrer_agency", "referred_by", "decided_by", "partnership"
        ),
        request.user,
        pk=pk,
    )
    _audit_referral(request, referral, "referral")
    person = referral.person
    return render(
        request,
        "cases/referral.html",
        {
            "referral": referral,
            "person": person,
            "full_record": access_basis(request.user, person) is not None,
            "may_decide": has_permission(request.user, Permission.TRIAGE_REFERRALS)
            and referral.decided_at is None
            and referral.partnership_id in user_partnership_ids(request.user),
            "today": local_date(),
        },
    )


@requires(Permission.TRIAGE_REFERRALS)
def referral_queue(request):
    status = request.GET.get("status", "waiting")
    queryset = Referral.objects.visible_to(request.user).filter(
        partnership_id__in=user_partnership_ids(request.user)
    )
    if status == "decided":
        queryset = queryset.filter(decided_at__isnull=False).order_by("-decided_at")
    else:
        status = "waiting"
        queryset = queryset.filter(decided_at__isnull=True).order_by(
            "decision_due_on", "received_at"
        )
    page = Paginator(
        queryset.select_related("person", "referrer_agency", "decided_by"), 25
    ).get_page(request.GET.get("page"))
    record(
        AuditAction.VIEW,
        actor=request.user,
        target_type="cases.referralqueue",
        target_label="Referrals",
        detail={"status": status, "referrals": [r.pk for r in page]},
    )
    return render(
        request,
        "cases/referral_queue.html",
        {"page": page, "status": status, "today": local_date()},
    )


@requires(Permission.TRIAGE_REFERRALS)
def referral_decide(request, pk: int):
    referral = get_visible_or_404(
        Referral.objects.select_related("person", "referrer_agency", "referred_by"),
        request.user,
        pk=pk,
    )
    if referral.partnership_id not in user_partnership_ids(request.user):
        return redirect("cases:referral", pk=referral.pk)
    if referral.decided_at is not None:
        messages.info(request, "This referral has already been decided")
        return redirect("cases:referral", pk=referral.pk)
    late = local_date(timezone.now()) > referral.decision_due_on
    form = TriageForm(request.POST or None, partnership=referral.partnership, late=late)
    if form_action(
        request,
        form,
        lambda data: actions.decide_referral(
            by=request.user,
            referral=referral,
            outcome=data["outcome"],
            reason=data.get("reason") or "",
            lead_professional=form.lead(),
            late_reason=data.get("late_reason") or "",
        ),
    ):
        messages.success(request, "Decision recorded. The referrer can see it.")
        return redirect("cases:referral", pk=referral.pk)
    _audit_referral(request, referral, "referral decision")
    return render(
        request,
        "cases/referral_decide.html",
        {"referral": referral, "person": referral.person, "form": form, "late": late},
    )
