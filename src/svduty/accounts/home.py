"""What user administration puts on the administrator's home page (svduty.core.home):
invitations nobody has used yet and those that ran out, as counts with a link to the
people they were for, so an administrator sees who is still waiting to get in."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from svduty.core.authorisation import Permission
from svduty.core.home import Panel, ToDo, Urgency, register
from svduty.core.policies import has_permission

from .models import Invitation, User


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


@register(order=90)
def invitations_panel(user: Any) -> Panel | None:
    if not has_permission(user, Permission.MANAGE_USERS):
        return None
    now = timezone.now()
    # Only each person's latest invitation counts: an expired one followed by a new
    # one is not a problem.
    waiting = User.objects.visible_to(user).filter(is_active=True)
    latest = (
        Invitation.objects.filter(user__in=waiting, used_at__isnull=True)
        .order_by("user_id", "-created_at")
        .distinct("user_id")
        .values("pk")
    )
    counts = Invitation.objects.filter(pk__in=latest).aggregate(
        expired=Count("pk", filter=Q(expires_at__lte=now)),
        open=Count("pk", filter=Q(expires_at__gt=now)),
    )
    url = reverse("accounts:user_list") + "?status=active"
    rule = (
        "An invitation link works once, until it expires; send a new one if it ran out."
    )
    items = []
    if counts["expired"]:
        items.append(
            ToDo(
                _plural(
                    counts["expired"],
                    "invitation expired before it was used",
                    "invitations expired before they were used",
                ),
                url,
                counts["expired"],
                Urgency.DUE,
                rule,
            )
        )
    if counts["open"]:
        items.append(
            ToDo(
                _plural(
                    counts["open"],
                    "invitation not yet accepted",
                    "invitations not yet accepted",
                ),
                url,
                counts["open"],
                Urgency.INFO,
                rule,
            )
        )
    return Panel(
        "Invitations",
        items,
        empty="Everyone you invited has set up their account.",
        link=(reverse("accounts:invite"), "Invite a user"),
    )
