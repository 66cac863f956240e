"""svduty rebuild_snapshot --partnership SLUG: rebuild the analytic snapshot by hand."""

from django.core.management.base import BaseCommand, CommandError

from svduty.analysis.receivers import refresh
from svduty.partnership.models import Partnership


class Command(BaseCommand):
    help = "Rebuild a partnership's analytic snapshot (Parquet) from PostgreSQL."

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True, help="Partnership slug")

    def handle(self, *args, **options):
        try:
            partnership = Partnership.objects.get(slug=options["partnership"])
        except Partnership.DoesNotExist:
            raise CommandError(
                f"No partnership with slug {options['partnership']!r}"
            ) from None
        snapshot = refresh(partnership)
        counts = ", ".join(f"{k} {v:,}" for k, v in snapshot.row_counts.items())
        self.stdout.write(f"{snapshot.label} at {snapshot.path}\n{counts}")
