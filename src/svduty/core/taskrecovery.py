"""Background tasks whose worker died are run again, or failed saying why (issue 14,
build 7).

The database task backend marks a task *running* when a worker takes it and
*successful* or *failed* when the worker finishes it. A worker killed in the middle
(out of memory while typesetting a PDF, the machine restarting, SIGKILL) finishes
nothing: the task said "running" for ever, and what it was for (the analysis
refreshed after an import, the report's PDF) silently never happened.

- While a worker runs a task it holds a PostgreSQL advisory lock named after the
  task on its database connection (`hold` / `release`, on django-tasks'
  `task_started` / `task_finished`). PostgreSQL releases it when the connection
  goes, so a dead worker cannot keep it.
- `recover_abandoned_tasks` (run by `svduty task_worker` as it starts, and so each
  time `svduty serve` restarts a worker that died) finds the tasks that say
  "running" but whose lock nobody holds. A task tried fewer than
  `TASK_MAX_ATTEMPTS` times is queued again; one that has used its attempts is
  marked failed with `ABANDONED` as the reason, so no task says "running" for ever.

Tasks are written to be run again safely (the import task checks its batch's state;
the linkage task its run's).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

#: The first key of the advisory lock a worker holds while it runs a task.
TASK_LOCK = 14009
#: A task claimed less than this long ago may not hold its lock yet.
GRACE = dt.timedelta(seconds=30)
ABANDONED = (
    "The background worker stopped while doing this task (it was killed or the "
    "machine restarted), {attempts} times. It will not be tried again "
    "automatically."
)

_SQL = {
    "lock": "SELECT pg_advisory_lock(%s, hashtext(%s))",
    "try": "SELECT pg_try_advisory_lock(%s, hashtext(%s))",
    "unlock": "SELECT pg_advisory_unlock(%s, hashtext(%s))",
}


def _lock(task_id: str, which: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(_SQL[which], [TASK_LOCK, str(task_id)])
        row = cursor.fetchone()
    return bool(row and row[0])


def hold(sender, task_result, **kwargs) -> None:
    """`task_started`: the worker running the task holds its lock."""
    _lock(task_result.id, "lock")


def release(sender, task_result, **kwargs) -> None:
    """`task_finished`: the lock goes with the task."""
    with contextlib.suppress(DatabaseError):
        _lock(task_result.id, "unlock")


def connect() -> None:
    from django_tasks.signals import task_finished, task_started
    from django_tasks_db.backend import DatabaseBackend

    task_started.connect(hold, sender=DatabaseBackend, dispatch_uid="svduty-hold")
    task_finished.connect(
        release, sender=DatabaseBackend, dispatch_uid="svduty-release"
    )


def recover_abandoned_tasks(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Queue again (or fail) the tasks whose worker died; see the module notes.
    Returns how many were queued again and how many failed."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    done = {"queued again": 0, "failed": 0}
    running = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=now - GRACE
    ).values_list("id", flat=True)
    for task_id in list(running):
        if not _lock(str(task_id), "try"):
            continue  # a live worker is running it
        try:
            with transaction.atomic():
                task = (
                    DBTaskResult.objects.select_for_update()
                    .filter(pk=task_id, status=TaskResultStatus.RUNNING)
                    .first()
                )
                if task is None:
                    continue
                attempts = len(task.worker_ids)
                if attempts < settings.TASK_MAX_ATTEMPTS:
                    task.status = TaskResultStatus.READY
                    task.save(update_fields=["status"])
                    done["queued again"] += 1
                else:
                    task.status = TaskResultStatus.FAILED
                    task.finished_at = now
                    task.exception_class_path = "svduty.core.taskrecovery.Abandoned"
                    task.traceback = ABANDONED.format(attempts=attempts)
                    task.save(
                        update_fields=[
                            "status",
                            "finished_at",
                            "exception_class_path",
                            "traceback",
                        ]
                    )
                    done["failed"] += 1
                logger.warning(
                    "Task %s (%s) abandoned by its worker after %s attempt(s): %s",
                    task_id,
                    task.task_path,
                    attempts,
                    task.status,
                )
        finally:
            _lock(str(task_id), "unlock")
    return done
