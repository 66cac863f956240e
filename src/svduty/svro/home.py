"""What the orders register puts on the SVRO officer's home page (svduty.core.home):
the same two alerts as the top of the register (svduty.svro.alerts), as counts, so
the officer sees from the home page whether any order needs them today."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from svduty.core.authorisation import Permission
from svduty.core.home import Panel, ToDo, Urgency, register
from svduty.core.policies import has_permission

from .alerts import expiring
from .models import Notification, Order


@register(order=40)
def orders_panel(user: Any) -> Panel | None:
    if not has_permission(user, Permission.MANAGE_SVRO):
        return None
    today = timezone.localdate()
    register_url = reverse("svro:register")
    items: list[ToDo] = []
    late = Notification.objects.visible_to(user).overdue_on(today).count()
    if late:
        items.append(
            ToDo(
                f"{late} notification{'' if late == 1 else 's'} overdue",
                register_url,
                count=late,
                urgency=Urgency.OVERDUE,
                hint="A notification is due within its order type’s period (3 days "
                "by default) of the order, a change of details or release from "
                "custody; failing to notify is a breach.",
            )
        )
    ending = expiring(Order.objects.visible_to(user), today).count()
    if ending:
        items.append(
            ToDo(
                f"{ending} order{'' if ending == 1 else 's'} ending in the next "
                f"{settings.SVRO_EXPIRY_ALERT_DAYS} days",
                register_url,
                count=ending,
                urgency=Urgency.DUE,
                hint="Orders still in force that reach their last day soon: "
                "decide whether to apply to vary or renew them before they end.",
            )
        )
    return Panel(
        "Serious Violence Reduction Orders",
        items,
        empty="No notification is overdue and no order ends soon.",
        link=("Go to the orders register", register_url),
    )
