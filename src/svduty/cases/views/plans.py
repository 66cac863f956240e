"""Plans: goals, actions with named leads, reviews and the version history."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render

from svduty.cases import actions
from svduty.cases.actions.plans import diff
from svduty.cases.forms import (
    PlanActionForm,
    PlanActionStatusForm,
    PlanEndForm,
    PlanForm,
    PlanReviewForm,
)
from svduty.cases.models import (
    Plan,
    PlanAction,
    PlanStatus,
)
from svduty.core.authorisation import Permission
from svduty.core.formviews import form_action
from svduty.core.policies import get_visible_or_404, requires

from .common import audit_view, person_context, person_with_access


def _plan(request, pk, plan_pk, *, edit=False):
    person = person_with_access(request, pk, edit=edit)
    plan = get_visible_or_404(
        Plan.objects.filter(person=person).select_related("created_by"),
        request.user,
        pk=plan_pk,
    )
    return person, plan


@requires(Permission.VIEW_CASES)
def plan_list(request, pk: int):
    person = person_with_access(request, pk)
    # Only plans the user may open: a link to one they may not would be a 404.
    plans = list(
        Plan.objects.visible_to(request.user)
        .filter(person=person)
        .order_by("-created_at")
    )
    current = next((p for p in plans if p.status == PlanStatus.CURRENT), None)
    if current is not None:
        return redirect("cases:plan", pk=person.pk, plan_pk=current.pk)
    audit_view(request, person, "plans")
    context = person_context(request, person, "plan")
    context.update(plans=plans)
    return render(request, "cases/plan_list.html", context)


@requires(Permission.EDIT_CASES)
def plan_new(request, pk: int):
    person = person_with_access(request, pk, edit=True)
    form = PlanForm(request.POST or None)
    if done := form_action(
        request,
        form,
        lambda data: actions.create_plan(
            by=request.user,
            person=person,
            title=data["title"],
            review_on=data["review_on"],
            goals=form.goal_list(),
            reason=data["reason"],
        ),
    ):
        plan = done.result
        messages.success(request, "Plan created. Now add the actions.")
        return redirect("cases:plan", pk=person.pk, plan_pk=plan.pk)
    context = person_context(request, person, "plan")
    context.update(form=form, title="Make a plan")
    return render(request, "cases/simple_form.html", context)


@requires(Permission.VIEW_CASES)
def plan_detail(request, pk: int, plan_pk: int):
    person, plan = _plan(request, pk, plan_pk)
    goals = list(plan.goals.all())
    plan_actions = list(
        plan.actions.select_related("owner", "owner_agency", "goal").order_by(
            "due_on", "id"
        )
    )
    audit_view(request, person, "plan", plan=plan.pk)
    context = person_context(request, person, "plan")
    context.update(
        plan=plan,
        goals=goals,
        plan_actions=plan_actions,
        versions=list(plan.versions.select_related("created_by")[:5]),
        other_plans=Plan.objects.filter(person=person).exclude(pk=plan.pk),
    )
    return render(request, "cases/plan.html", context)


@requires(Permission.EDIT_CASES)
def plan_action_add(request, pk: int, plan_pk: int):
    person, plan = _plan(request, pk, plan_pk, edit=True)
    form = PlanActionForm(
        request.POST or None, plan=plan, initial={"version": plan.version}
    )

    def add(data):
        goal = plan.goals.filter(pk=data["goal"]).first() if data["goal"] else None
        return actions.add_plan_action(
            by=request.user,
            plan=plan,
            expected_version=data["version"],
            text=data["text"],
            owner=data["owner"],
            due_on=data["due_on"],
            goal=goal,
        )

    if form_action(request, form, add):
        messages.success(request, "Action added")
        return redirect("cases:plan", pk=person.pk, plan_pk=plan.pk)
    context = person_context(request, person, "plan")
    context.update(form=form, title="Add an action to the plan")
    return render(request, "cases/simple_form.html", context)


@requires(Permission.EDIT_CASES)
def plan_action_update(request, pk: int, plan_pk: int, action_pk: int):
    person, plan = _plan(request, pk, plan_pk, edit=True)
    action = PlanAction.objects.filter(plan=plan, pk=action_pk).first()
    if action is None:
        from django.http import Http404

        raise Http404
    form = PlanActionStatusForm(
        request.POST or None, initial={"status": action.status, "version": plan.version}
    )
    if form_action(
        request,
        form,
        lambda data: actions.update_plan_action(
            by=request.user,
            action=action,
            expected_version=data["version"],
            status=data["status"],
        ),
    ):
        messages.success(request, "Action updated")
        return redirect("cases:plan", pk=person.pk, plan_pk=plan.pk)
    context = person_context(request, person, "plan")
    context.update(form=form, title=f"Update: {action.text}")
    return render(request, "cases/simple_form.html", context)


@requires(Permission.EDIT_CASES)
def plan_review(request, pk: int, plan_pk: int):
    person, plan = _plan(request, pk, plan_pk, edit=True)
    form = PlanReviewForm(request.POST or None, initial={"version": plan.version})
    if form_action(
        request,
        form,
        lambda data: actions.revise_plan(
            by=request.user,
            plan=plan,
            expected_version=data["version"],
            review_on=data["review_on"],
            reason=data["reason"],
        ),
    ):
        messages.success(request, "Plan review recorded as a new version")
        return redirect("cases:plan", pk=person.pk, plan_pk=plan.pk)
    context = person_context(request, person, "plan")
    context.update(form=form, title="Review the plan")
    return render(request, "cases/simple_form.html", context)


@requires(Permission.EDIT_CASES)
def plan_end(request, pk: int, plan_pk: int):
    person, plan = _plan(request, pk, plan_pk, edit=True)
    form = PlanEndForm(request.POST or None, initial={"version": plan.version})
    if form_action(
        request,
        form,
        lambda data: actions.end_plan(
            by=request.user,
            plan=plan,
            expected_version=data["version"],
            reason=data["reason"],
        ),
    ):
        messages.success(request, "Plan ended")
        return redirect("cases:plans", pk=person.pk)
    context = person_context(request, person, "plan")
    context.update(form=form, title="End the plan")
    return render(request, "cases/simple_form.html", context)


@requires(Permission.VIEW_CASES)
def plan_versions(request, pk: int, plan_pk: int):
    person, plan = _plan(request, pk, plan_pk)
    versions = list(plan.versions.select_related("created_by").order_by("number"))
    history = []
    previous = None
    for version in versions:
        history.append(
            {"version": version, "changes": diff(previous, version.snapshot)}
        )
        previous = version.snapshot
    history.reverse()
    audit_view(request, person, "plan versions", plan=plan.pk)
    context = person_context(request, person, "plan")
    context.update(plan=plan, history=history)
    return render(request, "cases/plan_versions.html", context)
