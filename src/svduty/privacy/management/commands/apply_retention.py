"""`svduty apply_retention`: erase what has passed its retention period and e-mail
the DPO what went. Run daily (docs/operations.md), or `--schedule` once to let the
background worker run it every night."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from svduty.privacy.actions import apply_retention
from svduty.privacy.retention import unknown_configured_keys


class Command(BaseCommand):
    help = "Apply the retention schedule: erase records past their retention period."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=dt.date.fromisoformat,
            help="Apply the schedule as on this day (YYYY-MM-DD); default today.",
        )
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Instead of running now, queue the nightly background task "
            "(it queues its own next run each time).",
        )

    def handle(self, *args, date=None, schedule=False, **options):
        unknown = unknown_configured_keys()
        if unknown:
            raise CommandError(
                "SVDUTY_RETENTION_PERIODS names rules that do not exist: "
                + ", ".join(unknown)
            )
        if schedule:
            from django.utils import timezone

            from svduty.privacy.tasks import apply_retention_task, next_run_after

            when = next_run_after(timezone.now())
            apply_retention_task.using(run_after=when).enqueue(reschedule=True)
            self.stdout.write(f"Retention job queued for {when:%d %B %Y %H:%M}.")
            return
        run = apply_retention(today=date, started_by="command")
        self.stdout.write(
            f"Erased {run.erased} record(s); {run.failures} failure(s)."
            + (" The DPO has been e-mailed." if run.dpo_notified_at else "")
        )
        if run.failures:
            raise CommandError("Some records could not be erased: see the erasure log.")
