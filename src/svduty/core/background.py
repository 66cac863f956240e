"""Is background work being done? (issue 16, point 1)

A task that has waited longer than ``TASK_STUCK_MINUTES`` to start means no worker is
taking tasks: pages show it as a problem (not as "waiting") and `/healthz` reports it so
monitoring can raise the alarm.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone


def stuck_after() -> dt.timedelta:
    return dt.timedelta(minutes=settings.TASK_STUCK_MINUTES)


def is_stuck(
    waiting_since: dt.datetime | None, *, now: dt.datetime | None = None
) -> bool:
    """A task waiting since this moment has waited too long to start."""
    if waiting_since is None:
        return False
    return (now or timezone.now()) - waiting_since > stuck_after()


def stuck_task_count() -> int:
    """Tasks of the database backend ready to run but not started in time (0 when
    tasks run in-process)."""
    from django.db.models import Q
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult, get_date_max

    cutoff = timezone.now() - stuck_after()
    # run_after is the far future for "as soon as possible": then enqueued_at counts.
    due_long_ago = Q(run_after__lte=cutoff) | Q(
        run_after=get_date_max(), enqueued_at__lte=cutoff
    )
    return DBTaskResult.objects.filter(
        due_long_ago, status=TaskResultStatus.READY
    ).count()


def stuck_message() -> str:
    minutes = settings.TASK_STUCK_MINUTES
    return (
        f"Not started after {minutes} minutes: no background worker is taking tasks. "
        "Ask your system administrator to check that `svduty serve` (or "
        "`svduty task_worker`) is running."
    )
