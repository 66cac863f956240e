"""`svduty task_worker`: django-tasks' `db_worker` that first recovers the tasks a
dead worker left "running" (`svduty.core.taskrecovery`). `svduty serve` runs it, and
runs it again when it stops; run it as its own service with
`SVDUTY_TASK_WORKER=separate`. Takes `db_worker`'s options."""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Command as DbWorker

from svduty.core.taskrecovery import recover_abandoned_tasks


class Command(DbWorker):
    help = (
        "Run background tasks, after queueing again (or failing) those a worker "
        "that died left running."
    )

    def handle(self, *args, **options):
        done = recover_abandoned_tasks()
        if any(done.values()):
            self.stderr.write(
                f"Tasks left running by a worker that stopped: "
                f"{done['queued again']} queued again, {done['failed']} failed."
            )
        return super().handle(*args, **options)
