"""What the children's pages put on a person's home page (svduty.core.home): counts
only, so no personal data is shown (and nothing is audited) until a link is followed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from svduty.core.authorisation import Permission
from svduty.core.home import Panel, ToDo, Urgency, register
from svduty.core.policies import has_permission

from .models import (
    Assessment,
    AssessmentStatus,
    Contribution,
    ContributionStatus,
    PlanAction,
    PlanActionStatus,
    PlanStatus,
    Referral,
)
from .policies import user_partnership_ids

_WEEK = dt.timedelta(days=7)
OPEN_ACTION = [PlanActionStatus.NOT_STARTED, PlanActionStatus.IN_PROGRESS]


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


@register(order=10)
def referral_queue(user: Any) -> Panel | None:
    """The team manager's referral queue: the decisions due today and late."""
    if not has_permission(user, Permission.TRIAGE_REFERRALS):
        return None
    today = timezone.localdate()
    counts = Referral.objects.filter(
        partnership_id__in=user_partnership_ids(user), decided_at__isnull=True
    ).aggregate(
        late=Count("pk", filter=Q(decision_due_on__lt=today)),
        today=Count("pk", filter=Q(decision_due_on=today)),
        later=Count("pk", filter=Q(decision_due_on__gt=today)),
    )
    url = reverse("cases:referrals")
    rule = (
        "A decision is due the same working day for an urgent referral and 1 "
        "working day after receipt for a standard one."
    )
    items = []
    if counts["late"]:
        items.append(
            ToDo(
                _plural(
                    counts["late"],
                    "referral past its decision date",
                    "referrals past their decision date",
                ),
                url,
                counts["late"],
                Urgency.OVERDUE,
                rule,
            )
        )
    if counts["today"]:
        items.append(
            ToDo(
                _plural(
                    counts["today"],
                    "referral to decide today",
                    "referrals to decide today",
                ),
                url,
                counts["today"],
                Urgency.DUE,
                rule,
            )
        )
    if counts["later"]:
        items.append(
            ToDo(
                _plural(
                    counts["later"],
                    "referral due after today",
                    "referrals due after today",
                ),
                url,
                counts["later"],
                Urgency.INFO,
            )
        )
    return Panel(
        "Referrals",
        items,
        empty="No referrals are waiting for a decision.",
        link=("Go to the referral queue", url),
    )


@register(order=20)
def my_work(user: Any) -> Panel | None:
    """A practitioner's own late and waiting work."""
    if not has_permission(user, Permission.VIEW_CASES):
        return None
    today = timezone.localdate()
    url = reverse("cases:work")
    items = []
    actions = PlanAction.objects.filter(
        owner=user, status__in=OPEN_ACTION, plan__status=PlanStatus.CURRENT
    ).aggregate(
        late=Count("pk", filter=Q(due_on__lt=today)),
        week=Count("pk", filter=Q(due_on__gte=today, due_on__lte=today + _WEEK)),
    )
    if actions["late"]:
        items.append(
            ToDo(
                _plural(
                    actions["late"],
                    "plan action past its due date",
                    "plan actions past their due date",
                ),
                url,
                actions["late"],
                Urgency.OVERDUE,
                "Overdue means the action's due date has passed and it is not done.",
            )
        )
    if actions["week"]:
        items.append(
            ToDo(
                _plural(
                    actions["week"],
                    "plan action due in the next 7 days",
                    "plan actions due in the next 7 days",
                ),
                url,
                actions["week"],
                Urgency.DUE,
            )
        )
    assessments = (
        Assessment.objects.filter(lead=user)
        .exclude(status=AssessmentStatus.SIGNED_OFF)
        .aggregate(late=Count("pk", filter=Q(due_on__lt=today)), open=Count("pk"))
    )
    if assessments["late"]:
        items.append(
            ToDo(
                _plural(
                    assessments["late"],
                    "assessment past its due date",
                    "assessments past their due date",
                ),
                url,
                assessments["late"],
                Urgency.OVERDUE,
                "Assessments are due within their timescale in working days.",
            )
        )
    elif assessments["open"]:
        items.append(
            ToDo(
                _plural(
                    assessments["open"],
                    "assessment you lead is open",
                    "assessments you lead are open",
                ),
                url,
                assessments["open"],
                Urgency.DUE,
            )
        )
    if has_permission(user, Permission.SIGN_OFF_ASSESSMENTS):
        to_sign = (
            Assessment.objects.visible_to(user)
            .filter(status=AssessmentStatus.SUBMITTED)
            .exclude(lead=user)
            .count()
        )
        if to_sign:
            items.append(
                ToDo(
                    _plural(
                        to_sign,
                        "assessment waiting for your sign-off",
                        "assessments waiting for your sign-off",
                    ),
                    url,
                    to_sign,
                    Urgency.DUE,
                )
            )
    contributions = Contribution.objects.filter(
        agency_id__in=user.agency_ids(), status=ContributionStatus.REQUESTED
    ).count()
    if contributions:
        items.append(
            ToDo(
                _plural(
                    contributions,
                    "contribution asked of your agency",
                    "contributions asked of your agency",
                ),
                url,
                contributions,
                Urgency.DUE,
            )
        )
    return Panel(
        "Your children's work",
        items,
        empty="Nothing is due or late on the plans and assessments you hold.",
        link=("See all due and overdue work", url),
    )
