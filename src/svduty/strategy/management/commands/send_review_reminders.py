"""`svduty send_review_reminders`: e-mail partnership leads whose strategy review or
actions are overdue. Run daily (see docs/strategy.md for cron and systemd)."""

import datetime as dt

from django.core.management.base import BaseCommand

from svduty.strategy.reminders import send_review_reminders


class Command(BaseCommand):
    help = "Send the daily overdue review and action reminders (at most one a day)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=dt.date.fromisoformat,
            help="Act as if today were this date (YYYY-MM-DD); for checking.",
        )

    def handle(self, *args, date=None, **options):
        sent = send_review_reminders(date)
        self.stdout.write(f"Sent {sent} reminder(s).")
