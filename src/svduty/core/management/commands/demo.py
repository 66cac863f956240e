"""`svduty demo`: build the demonstration installation (synthetic people, real open
data).

Each domain app contributes a `demo.py` module with a `load(context)` function; they run
in dependency order (lowest layer first). A module listed here that does not exist is an
error, never skipped: an app adds its line when it has a demo. Running the command again
changes nothing that already exists.
"""

from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

DEMO_MODULES = [
    "svduty.accounts.demo",
    "svduty.partnership.demo",
    "svduty.strategy.demo",
    "svduty.sharing.demo",
    "svduty.sharing.demo_s17",
    "svduty.cases.demo",
    "svduty.svro.demo",
    "svduty.places.demo",
    "svduty.linkage.demo",
    "svduty.services.demo",
    "svduty.meetings.demo",
    "svduty.privacy.demo",
    "svduty.evidence.demo",
]


class Command(BaseCommand):
    help = "Create the Cleveland demonstration installation (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--quick",
            action="store_true",
            help="Smaller synthetic volumes (for tests).",
        )

    def handle(self, *args, quick=False, **options):
        if not settings.DEMO_MODE and not settings.TESTING:
            raise CommandError(
                "The demo holds synthetic data and demo passwords. Run it only with "
                "SVDUTY_DEMO=true."
            )
        context = {"quick": quick, "stdout": self.stdout}
        for name in DEMO_MODULES:
            import_module(name).load(context)
        self.stdout.write(self.style.SUCCESS("Demo installation ready. Sign in with:"))
        for username, role_label in context["sign_in"]:
            self.stdout.write(f"  {username:<18} {role_label}")
        self.stdout.write(
            f"  password for every demo user: {context['sign_in_password']}"
        )
