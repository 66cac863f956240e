"""Asking for access, deciding requests, break-glass, the access log, the case team
and disclosures."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from svduty.audit.models import AuditEvent
from svduty.cases import actions
from svduty.cases.forms import (
    AccessDecisionForm,
    AccessRequestForm,
    BreakGlassForm,
    DisclosureForm,
    RestrictForm,
    TeamMemberForm,
    WithdrawDisclosureForm,
)
from svduty.cases.models import AccessRequest, CaseTeamMember, Disclosure, Person
from svduty.cases.policies import access_basis, can_grant_access, can_see_access_log
from svduty.core.authorisation import Permission
from svduty.core.formviews import button_action, form_action
from svduty.core.policies import get_visible_or_404, has_permission, requires

from .common import (
    audit_view,
    findable_or_404,
    person_context,
    person_with_access,
)
from .person import active_team


@requires(Permission.VIEW_CASES)
def access_request(request, pk: int):
    person = findable_or_404(request.user, pk)
    if access_basis(request.user, person) is not None:
        return redirect("cases:person", pk=person.pk)
    form = AccessRequestForm(request.POST or None)
    if form_action(
        request,
        form,
        lambda data: actions.request_access(
            by=request.user, person=person, reason=data["reason"]
        ),
    ):
        messages.success(
            request,
            "Your request has been sent to the lead professional and managers. "
            "You will be able to see the record once it is granted.",
        )
        return redirect("cases:person", pk=person.pk)
    return render(
        request, "cases/access_request.html", {"person": person, "form": form}
    )


@requires(Permission.VIEW_CASES)
def access_request_decide(request, pk: int):
    access = get_visible_or_404(
        AccessRequest.objects.select_related("person", "requested_by"),
        request.user,
        pk=pk,
    )
    person = access.person
    if not can_grant_access(request.user, person):
        raise PermissionDenied
    request.cases_basis = access_basis(request.user, person)
    form = AccessDecisionForm(request.POST or None)
    if form_action(
        request,
        form,
        lambda data: actions.decide_access_request(
            by=request.user,
            request=access,
            grant=data["decision"] == "grant",
            days=data.get("days") or 30,
            note=data.get("note") or "",
        ),
    ):
        messages.success(request, "Decision recorded")
        return redirect("cases:person", pk=person.pk)
    context = person_context(request, person, "access")
    context.update(access=access, form=form)
    return render(request, "cases/access_decide.html", context)


@requires(Permission.BREAK_GLASS)
def break_glass(request, pk: int):
    person = findable_or_404(request.user, pk)
    if access_basis(request.user, person) is not None:
        return redirect("cases:person", pk=person.pk)
    form = BreakGlassForm(request.POST or None)
    if form_action(
        request,
        form,
        lambda data: actions.break_glass(
            by=request.user, person=person, reason=data["reason"]
        ),
    ):
        messages.warning(
            request,
            "Emergency access is open for 4 hours. The data protection officer "
            "has been told.",
        )
        return redirect("cases:person", pk=person.pk)
    return render(request, "cases/break_glass.html", {"person": person, "form": form})


@requires(Permission.VIEW_PARTNERSHIP)
def access_log(request, pk: int):
    """Who has looked at the record: for the case team and the data protection
    officer (auditors see this page without seeing the record itself)."""
    if has_permission(request.user, Permission.VIEW_AUDIT):
        person = Person.objects.filter(pk=pk).select_related("partnership").first()
        if person is None:
            raise Http404
    else:
        person = person_with_access(request, pk)
    if not can_see_access_log(request.user, person):
        raise Http404
    events = AuditEvent.objects.filter(
        target_type="cases.person", target_id=str(person.pk)
    ).order_by("-occurred_at", "-id")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    break_glass = person.break_glass.select_related("user")[:20]
    audit_view(request, person, "access log")
    context = person_context(request, person, "access")
    context.update(
        page=page,
        break_glass=break_glass,
        grants=AccessRequest.objects.filter(person=person)
        .select_related("requested_by", "decided_by")
        .order_by("-requested_at")[:50],
        full_record=access_basis(request.user, person) is not None,
    )
    return render(request, "cases/access_log.html", context)


@requires(Permission.VIEW_CASES)
def team(request, pk: int):
    person = person_with_access(request, pk)
    may_change = can_grant_access(request.user, person)
    form = TeamMemberForm(request.POST or None, partnership=person.partnership)
    if request.method == "POST" and not may_change:
        raise PermissionDenied
    if form_action(
        request,
        form,
        lambda data: actions.add_team_member(
            by=request.user, person=person, user=data["user"], role=data["role"]
        ),
    ):
        messages.success(request, "Case team updated")
        return redirect("cases:team", pk=person.pk)
    audit_view(request, person, "case team")
    context = person_context(request, person, "team")
    context.update(
        form=form,
        may_change=may_change,
        members=list(active_team(person)),
        past=CaseTeamMember.objects.filter(person=person, ended_at__isnull=False)
        .select_related("user", "agency")
        .order_by("-ended_at")[:20],
    )
    return render(request, "cases/team.html", context)


@requires(Permission.VIEW_CASES)
def team_leave(request, pk: int, member_pk: int):
    person = person_with_access(request, pk)
    member = CaseTeamMember.objects.filter(
        pk=member_pk, person=person, ended_at__isnull=True
    ).first()
    if member is None:
        raise Http404
    button_action(
        request,
        lambda: actions.end_team_membership(by=request.user, member=member),
        success=f"{member.user} has left the case team",
    )
    return redirect("cases:team", pk=person.pk)


@requires(Permission.VIEW_RESTRICTED)
def restrict(request, pk: int):
    person = person_with_access(request, pk)
    if not can_grant_access(request.user, person):
        raise PermissionDenied
    form = RestrictForm(
        request.POST or None,
        initial={
            "restricted": "yes" if person.is_restricted else "no",
            "reason": person.restricted_reason,
        },
    )
    if form_action(
        request,
        form,
        lambda data: actions.set_restricted(
            by=request.user,
            person=person,
            restricted=data["restricted"] == "yes",
            reason=data.get("reason") or "",
        ),
    ):
        messages.success(request, "Restriction saved")
        return redirect("cases:person", pk=person.pk)
    context = person_context(request, person, "overview")
    context.update(form=form, title="Restrict this record")
    return render(request, "cases/simple_form.html", context)


@requires(Permission.EDIT_CASES)
def disclosure_add(request, pk: int):
    person = person_with_access(request, pk, edit=True)
    form = DisclosureForm(request.POST or None, partnership=person.partnership)
    if form_action(
        request,
        form,
        lambda data: actions.record_disclosure(by=request.user, person=person, **data),
    ):
        messages.success(request, "Disclosure recorded")
        return redirect("cases:person", pk=person.pk)
    context = person_context(request, person, "overview")
    context.update(
        form=form,
        title="Record information shared outside svduty",
        intro="Record every time you share information about this child with someone "
        "who does not use svduty, and the law that allowed it.",
    )
    return render(request, "cases/simple_form.html", context)


@requires(Permission.EDIT_CASES)
def disclosure_withdraw(request, pk: int, disclosure_pk: int):
    person = person_with_access(request, pk, edit=True)
    disclosure = Disclosure.objects.filter(
        person=person, pk=disclosure_pk, withdrawn_at__isnull=True
    ).first()
    if disclosure is None:
        raise Http404
    form = WithdrawDisclosureForm(request.POST or None)
    if done := form_action(
        request,
        form,
        lambda data: actions.withdraw_disclosure(
            by=request.user, disclosure=disclosure, **data
        ),
    ):
        told = getattr(done.result, "told", [])
        messages.success(
            request,
            "Disclosure withdrawn."
            + (
                f" {', '.join(told)} {'has' if len(told) == 1 else 'have'} been "
                "told by email."
                if told
                else f" No email address was recorded: tell {disclosure.recipient} "
                "yourself to stop using the information."
            ),
        )
        return redirect("cases:person", pk=person.pk)
    context = person_context(request, person, "overview")
    context.update(
        form=form,
        title="Withdraw information shared outside svduty",
        intro=f"Shared with {disclosure.recipient}, {disclosure.recipient_organisation}"
        f", on {disclosure.disclosed_on:%-d %B %Y}: {disclosure.information_shared}. "
        "They will be asked to stop using it and to delete or return it.",
    )
    return render(request, "cases/simple_form.html", context)
