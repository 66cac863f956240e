"""What data sharing puts on the analyst's home page (svduty.core.home): imports that
are stuck or failed, and agreements due for review."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from svduty.core.authorisation import Permission
from svduty.core.background import stuck_after
from svduty.core.home import Panel, ToDo, Urgency, register
from svduty.core.policies import has_permission

from .models import (
    REVIEW_WARNING,
    AgreementStatus,
    BatchStatus,
    DataSharingAgreement,
    ImportBatch,
)

#: Failed imports stay on the home page this long (then only on the Data page).
RECENT_FAILURES = dt.timedelta(days=14)


@register(order=40)
def data_panel(user: Any) -> Panel | None:
    if not has_permission(user, Permission.IMPORT_DATA):
        return None
    now = timezone.now()
    batches = ImportBatch.objects.visible_to(user)
    items: list[ToDo] = []
    data_url = reverse("sharing:home")
    stuck = list(
        batches.filter(
            status=BatchStatus.QUEUED, created_at__lt=now - stuck_after()
        ).order_by("created_at")[:2]
    )
    if stuck:
        minutes = int(stuck_after().total_seconds() // 60)
        items.append(
            ToDo(
                f"Import of {stuck[0].file_name} has not started"
                + (" (and others)" if len(stuck) > 1 else ""),
                reverse("sharing:batch", args=[stuck[0].pk]),
                len(stuck),
                Urgency.OVERDUE,
                f"Waiting more than {minutes} minutes means no background worker is "
                "running: ask your system administrator.",
            )
        )
    failed = batches.filter(
        status=BatchStatus.FAILED, created_at__gte=now - RECENT_FAILURES
    ).order_by("-created_at")
    failed_count = failed.count()
    if failed_count:
        latest = failed.first()
        assert latest is not None
        items.append(
            ToDo(
                f"{failed_count} import{'s' if failed_count > 1 else ''} not "
                "imported in the last 14 days",
                reverse("sharing:batch", args=[latest.pk]),
                failed_count,
                Urgency.DUE,
                "Read the problems found, correct the file and upload it again.",
            )
        )
    if has_permission(user, Permission.MANAGE_AGREEMENTS):
        due = DataSharingAgreement.objects.visible_to(user).due_for_review().count()
        if due:
            items.append(
                ToDo(
                    f"{due} data sharing agreement{'s' if due > 1 else ''} due for "
                    "review",
                    reverse("sharing:agreement_list")
                    + f"?status={AgreementStatus.DUE_FOR_REVIEW}",
                    due,
                    Urgency.DUE,
                    f"Due for review means its review date is within "
                    f"{REVIEW_WARNING.days} days or has passed.",
                )
            )
    return Panel(
        "Data",
        items,
        empty="No import is stuck or failed, and no agreement is due for review.",
        link=("Go to your data", data_url),
    )
