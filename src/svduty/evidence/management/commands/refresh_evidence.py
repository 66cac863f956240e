"""`svduty refresh_evidence`: recompute the 21 outcomes' indicator figures for every
partnership (or one). Run it daily (docs/operations.md); the demo runs it when it
loads, and leaders can refresh their partnership from the outcomes page."""

from django.core.management.base import BaseCommand, CommandError

from svduty.evidence.actions import refresh_figures
from svduty.partnership.models import Partnership


class Command(BaseCommand):
    help = "Recompute the evidence indicators (the 21 JTAI outcomes)."

    def add_arguments(self, parser):
        parser.add_argument("--partnership", help="a partnership's slug (default: all)")

    def handle(self, *args, partnership=None, **options):
        partnerships = Partnership.objects.order_by("name")
        if partnership:
            partnerships = partnerships.filter(slug=partnership)
            if not partnerships.exists():
                raise CommandError(f"No partnership with the slug {partnership!r}.")
        for p in partnerships:
            run = refresh_figures(by=None, partnership=p)
            self.stdout.write(
                f"{p.name}: {run.rows} figures from {run.indicators} indicators "
                f"in {run.seconds:.2f} s"
            )
