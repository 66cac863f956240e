"""What the strategy puts on the partnership lead's home page (svduty.core.home)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from svduty.core.authorisation import Permission
from svduty.core.home import Panel, ToDo, Urgency, register
from svduty.core.policies import has_permission
from svduty.partnership.models import Partnership

from .actions.sign_off import sign_off_status
from .models import StrategyAction, StrategyState, StrategyVersion


def _day(day) -> str:
    return f"{day:%-d %B %Y}"


def partnership_todos(partnership: Partnership, today) -> list[ToDo]:
    slug = partnership.slug
    items: list[ToDo] = []
    version = (
        StrategyVersion.objects.filter(partnership=partnership)
        .exclude(state=StrategyState.REVISED)
        .order_by("-number")
        .first()
    )
    if version is None:
        items.append(
            ToDo(
                "Start the serious violence strategy",
                reverse("strategy:overview", args=[slug]),
                urgency=Urgency.DUE,
                hint="The Duty requires a published strategy, reviewed every year.",
            )
        )
    else:
        url = reverse("strategy:version", args=[slug, version.number])
        if version.is_review_overdue(today):
            items.append(
                ToDo(
                    f"Review the strategy: the review was due on "
                    f"{_day(version.review_due_on)}",
                    url,
                    urgency=Urgency.OVERDUE,
                    hint="A strategy is reviewed within 12 months of its "
                    "publication or last review.",
                )
            )
        elif version.state == StrategyState.CONSULTATION:
            items.append(
                ToDo(
                    "Finish the consultation on the draft strategy",
                    url + "#consultation",
                    urgency=Urgency.DUE,
                )
            )
        elif version.state == StrategyState.AWAITING_SIGN_OFF:
            status = sign_off_status(version)
            outstanding = sum(1 for _member, sign_off in status if sign_off is None)
            if outstanding:
                items.append(
                    ToDo(
                        f"{outstanding} of {len(status)} sign-offs outstanding",
                        url + "#sign-off",
                        outstanding,
                        Urgency.DUE,
                        "Each specified authority signs off before publication.",
                    )
                )
    late = StrategyAction.objects.filter(partnership=partnership).overdue(today)
    count = late.count()
    if count:
        items.append(
            ToDo(
                f"{count} action plan {'action is' if count == 1 else 'actions are'}"
                " overdue",
                reverse("strategy:action_list", args=[slug]),
                count,
                Urgency.OVERDUE,
                "Overdue means past its due date and not complete.",
            )
        )
    return items


@register(order=30)
def strategy_panel(user: Any) -> Panel | None:
    if not has_permission(user, Permission.MANAGE_STRATEGY):
        return None
    today = timezone.localdate()
    items: list[ToDo] = []
    partnerships = list(Partnership.objects.visible_to(user).order_by("name"))
    for partnership in partnerships:
        for item in partnership_todos(partnership, today):
            label = item.label
            if len(partnerships) > 1:
                label = f"{partnership.name}: {label[0].lower()}{label[1:]}"
            items.append(ToDo(label, item.url, item.count, item.urgency, item.hint))
    return Panel(
        "Strategy",
        items,
        empty="The strategies you lead have nothing overdue or waiting.",
    )
