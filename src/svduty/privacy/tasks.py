"""The retention job as a background task that schedules its own next run, for
installations that run `svduty db_worker` and no cron (docs/operations.md)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from .actions import apply_retention

#: The local time of day the next run is scheduled for.
RUN_AT = dt.time(2, 30)


def next_run_after(now: dt.datetime) -> dt.datetime:
    local = timezone.localtime(now)
    day = local.date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, RUN_AT, tzinfo=timezone.get_current_timezone())


@task()
def apply_retention_task(reschedule: bool = True) -> int:
    run = apply_retention(started_by="task")
    if reschedule:
        apply_retention_task.using(run_after=next_run_after(timezone.now())).enqueue(
            reschedule=True
        )
    return run.erased
