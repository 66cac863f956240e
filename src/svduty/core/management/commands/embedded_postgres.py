from django.core.management.base import BaseCommand

from svduty.config import database


class Command(BaseCommand):
    help = (
        "Show or stop the embedded PostgreSQL server used when DATABASE_URL is not set."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--stop", action="store_true", help="Stop the embedded server."
        )

    def handle(self, *args, stop, **options):
        if stop:
            database.stop_embedded_server()
            self.stdout.write("Embedded PostgreSQL stopped.")
            return
        self.stdout.write(f"Embedded PostgreSQL data folder: {database.EMBEDDED_DIR}")
