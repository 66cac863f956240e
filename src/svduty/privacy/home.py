"""What subject access puts on the data protection officer's home page
(svduty.core.home): open requests against their one-month deadline (UK GDPR
Art 12(3)), as counts, so no personal data is shown until a link is followed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from svduty.core.authorisation import Permission
from svduty.core.home import Panel, ToDo, Urgency, register
from svduty.core.policies import has_permission

from .models import SubjectAccessRequest

#: How soon before its deadline an open request is flagged as due.
DUE_SOON = dt.timedelta(days=7)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


@register(order=80)
def subject_access_panel(user: Any) -> Panel | None:
    if not has_permission(user, Permission.DATA_PROTECTION):
        return None
    today = timezone.localdate()
    counts = SubjectAccessRequest.objects.filter(exported_at__isnull=True).aggregate(
        late=Count("pk", filter=Q(due_on__lt=today)),
        soon=Count("pk", filter=Q(due_on__gte=today, due_on__lte=today + DUE_SOON)),
        later=Count("pk", filter=Q(due_on__gt=today + DUE_SOON)),
    )
    url = reverse("privacy:sar_list")
    rule = (
        "A subject access request is answered within one calendar month of receipt "
        "(UK GDPR Article 12(3))."
    )
    items = []
    for key, one, many, urgency in (
        (
            "late",
            "request past its deadline",
            "requests past their deadline",
            Urgency.OVERDUE,
        ),
        (
            "soon",
            "request due within 7 days",
            "requests due within 7 days",
            Urgency.DUE,
        ),
        ("later", "other open request", "other open requests", Urgency.INFO),
    ):
        if counts[key]:
            items.append(
                ToDo(_plural(counts[key], one, many), url, counts[key], urgency, rule)
            )
    return Panel(
        "Subject access requests",
        items,
        empty="No subject access request is open.",
        link=(url, "Go to subject access requests"),
    )
