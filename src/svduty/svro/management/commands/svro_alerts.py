from django.core.management.base import BaseCommand
from django.utils import timezone

from svduty.svro.alerts import send_daily_alerts


class Command(BaseCommand):
    help = (
        "E-mail SVRO officers the counts of overdue notifications and orders nearing "
        "expiry in their force (run daily)."
    )

    def handle(self, *args, **options):
        sent = send_daily_alerts(timezone.localdate())
        self.stdout.write(f"{sent} alert e-mail(s) sent")
