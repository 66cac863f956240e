"""Plans: every change makes a new version with a snapshot of the whole plan, so that
what changed after a change in risk is visible later."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.cases.models import (
    EventCategory,
    Goal,
    Person,
    Plan,
    PlanAction,
    PlanActionStatus,
    PlanVersion,
)
from svduty.cases.models.plans import PlanStatus
from svduty.cases.policies import user_partnership_ids
from svduty.core.authorisation import Permission
from svduty.core.policies import has_permission

from .common import chronology_entry, lock_version, refresh_summary, require_edit

if TYPE_CHECKING:
    from svduty.accounts.models import User


def snapshot(plan: Plan) -> dict[str, Any]:
    return {
        "title": plan.title,
        "status": plan.status,
        "review_on": plan.review_on.isoformat(),
        "goals": [
            {"id": g.pk, "text": g.text} for g in plan.goals.order_by("order", "id")
        ],
        "actions": [
            {
                "id": a.pk,
                "text": a.text,
                "goal_id": a.goal_id,
                "owner": a.owner.get_full_name(),
                "agency": a.owner_agency.name,
                "due_on": a.due_on.isoformat(),
                "status": a.status,
            }
            for a in plan.actions.select_related("owner", "owner_agency").order_by(
                "due_on", "id"
            )
        ],
    }


def _new_version(
    *, by: User, plan: Plan, summary: str, reason: str = ""
) -> PlanVersion:
    version = PlanVersion.objects.create(
        plan=plan,
        number=plan.version,
        snapshot=snapshot(plan),
        change_summary=summary[:500],
        reason=reason.strip(),
        risk_level=Person.objects.filter(pk=plan.person_id)
        .values_list("risk_level", flat=True)
        .first()
        or "",
        created_by=by,
    )
    refresh_summary(plan.person)
    record(
        AuditAction.CHANGE,
        actor=by,
        target=plan,
        detail={"person": plan.person_id, "version": plan.version, "change": summary},
    )
    return version


def diff(old: dict[str, Any] | None, new: dict[str, Any]) -> list[str]:
    """Plain-English differences between two snapshots."""
    if old is None:
        return ["Plan created"]
    changes: list[str] = []
    if old["review_on"] != new["review_on"]:
        changes.append(
            f"Review date changed from {old['review_on']} to {new['review_on']}"
        )
    if old["status"] != new["status"]:
        changes.append(f"Plan {new['status']}")
    old_goals = {g["id"]: g["text"] for g in old["goals"]}
    new_goals = {g["id"]: g["text"] for g in new["goals"]}
    for gid, text in new_goals.items():
        if gid not in old_goals:
            changes.append(f"Goal added: {text}")
        elif old_goals[gid] != text:
            changes.append(f"Goal changed to: {text}")
    for gid, text in old_goals.items():
        if gid not in new_goals:
            changes.append(f"Goal removed: {text}")
    old_actions = {a["id"]: a for a in old["actions"]}
    for action in new["actions"]:
        before = old_actions.get(action["id"])
        if before is None:
            changes.append(f"Action added: {action['text']} ({action['owner']})")
            continue
        for key, label in (
            ("status", "status"),
            ("due_on", "due date"),
            ("owner", "owner"),
        ):
            if before[key] != action[key]:
                was = before[key].replace("_", " ")
                now = action[key].replace("_", " ")
                changes.append(
                    f"Action '{action['text']}': {label} changed from {was} to {now}"
                )
    return changes


@transaction.atomic
def create_plan(
    *,
    by: User,
    person: Person,
    review_on: dt.date,
    goals: list[str],
    title: str = "Safety plan",
    reason: str = "",
) -> Plan:
    require_edit(by, person)
    Person.objects.select_for_update().get(pk=person.pk)
    errors = {}
    goals = [g.strip() for g in goals if g and g.strip()]
    if not goals:
        errors["goals"] = "Enter at least one goal"
    if review_on is None or review_on <= timezone.localdate():
        errors["review_on"] = "The review date must be in the future"
    if Plan.objects.filter(person=person, status=PlanStatus.CURRENT).exists():
        errors["title"] = "This child already has a current plan: change that plan"
    if errors:
        raise ValidationError(errors)
    plan = Plan.objects.create(
        person=person,
        title=title.strip() or "Safety plan",
        review_on=review_on,
        created_by=by,
    )
    Goal.objects.bulk_create(
        Goal(plan=plan, text=text, order=i) for i, text in enumerate(goals)
    )
    _new_version(by=by, plan=plan, summary="Plan created", reason=reason)
    chronology_entry(
        by=by,
        person=person,
        category=EventCategory.PLAN,
        summary=f"{plan.title} agreed; review by {review_on:%d %B %Y}",
        source=plan,
    )
    return plan


@transaction.atomic
def add_goal(
    *, by: User, plan: Plan, expected_version: int, text: str, reason: str = ""
) -> Goal:
    require_edit(by, plan.person)
    if not text.strip():
        raise ValidationError({"text": "Enter the goal"})
    locked = lock_version(Plan, plan.pk, expected_version)
    _require_current(locked)
    locked.save(update_fields=["version"])
    goal = Goal.objects.create(
        plan=locked, text=text.strip(), order=locked.goals.count()
    )
    _new_version(by=by, plan=locked, summary=f"Goal added: {goal.text}", reason=reason)
    return goal


def _require_current(plan: Plan) -> None:
    if plan.status != PlanStatus.CURRENT:
        raise ValidationError("This plan has ended and cannot be changed")


@transaction.atomic
def add_plan_action(
    *,
    by: User,
    plan: Plan,
    expected_version: int,
    text: str,
    owner: User,
    due_on: dt.date,
    goal: Goal | None = None,
    reason: str = "",
) -> PlanAction:
    require_edit(by, plan.person)
    errors = {}
    if not text.strip():
        errors["text"] = "Enter what will be done"
    if owner is None or not has_permission(owner, Permission.VIEW_CASES):
        errors["owner"] = "Select the named lead for this action"
    elif plan.person.partnership_id not in user_partnership_ids(owner):
        errors["owner"] = "Select someone who works in the child's partnership"
    if due_on is None:
        errors["due_on"] = "Enter the date the action is due"
    if goal is not None and goal.plan_id != plan.pk:
        errors["goal"] = "Select one of this plan's goals"
    if errors:
        raise ValidationError(errors)
    locked = lock_version(Plan, plan.pk, expected_version)
    _require_current(locked)
    locked.save(update_fields=["version"])
    from .common import primary_agency

    action = PlanAction.objects.create(
        plan=locked,
        goal=goal,
        text=text.strip(),
        owner=owner,
        owner_agency=primary_agency(owner),
        due_on=due_on,
    )
    _new_version(
        by=by,
        plan=locked,
        summary=f"Action added: {action.text} ({owner.get_full_name()})",
        reason=reason,
    )
    return action


@transaction.atomic
def update_plan_action(
    *,
    by: User,
    action: PlanAction,
    expected_version: int,
    status: str,
    due_on: dt.date | None = None,
    reason: str = "",
) -> PlanAction:
    require_edit(by, action.plan.person)
    if status not in PlanActionStatus.values:
        raise ValidationError({"status": "Select the action's status"})
    locked = lock_version(Plan, action.plan_id, expected_version)
    _require_current(locked)
    locked.save(update_fields=["version"])
    action = PlanAction.objects.select_for_update().get(pk=action.pk)
    changes = []
    if status != action.status:
        changes.append(f"status {PlanActionStatus(status).label.lower()}")
        action.status = status
        action.completed_at = (
            timezone.now() if status == PlanActionStatus.DONE else None
        )
    if due_on is not None and due_on != action.due_on:
        changes.append(f"due {due_on:%d %B %Y}")
        action.due_on = due_on
    if not changes:
        raise ValidationError({"status": "Nothing has changed"})
    action.save(update_fields=["status", "completed_at", "due_on"])
    _new_version(
        by=by,
        plan=locked,
        summary=f"Action '{action.text}': " + ", ".join(changes),
        reason=reason,
    )
    return action


@transaction.atomic
def revise_plan(
    *, by: User, plan: Plan, expected_version: int, review_on: dt.date, reason: str
) -> Plan:
    """A review of the plan (for example after a change in risk): the reason is
    recorded with the new version."""
    require_edit(by, plan.person)
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the plan is being reviewed"})
    if review_on is None or review_on <= timezone.localdate():
        raise ValidationError(
            {"review_on": "The next review date must be in the future"}
        )
    locked = lock_version(Plan, plan.pk, expected_version)
    _require_current(locked)
    locked.review_on = review_on
    locked.save(update_fields=["review_on", "version"])
    _new_version(
        by=by,
        plan=locked,
        summary=f"Plan reviewed; next review {review_on:%d %B %Y}",
        reason=reason,
    )
    chronology_entry(
        by=by,
        person=locked.person,
        category=EventCategory.PLAN,
        summary=f"{locked.title} reviewed",
        detail=reason.strip(),
        source=locked,
    )
    return locked


@transaction.atomic
def end_plan(*, by: User, plan: Plan, expected_version: int, reason: str) -> Plan:
    require_edit(by, plan.person)
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the plan is ending"})
    locked = lock_version(Plan, plan.pk, expected_version)
    _require_current(locked)
    locked.status = PlanStatus.ENDED
    locked.ended_at = timezone.now()
    locked.ended_by = by
    locked.end_reason = reason.strip()
    locked.save(
        update_fields=["status", "ended_at", "ended_by", "end_reason", "version"]
    )
    _new_version(by=by, plan=locked, summary="Plan ended", reason=reason)
    chronology_entry(
        by=by,
        person=locked.person,
        category=EventCategory.PLAN,
        summary=f"{locked.title} ended",
        detail=reason.strip(),
        source=locked,
    )
    return locked
