import time

from django.core.management.base import BaseCommand

from svduty.svro.scrutiny import refresh
from svduty.svro.views.scrutiny import usual_filters


class Command(BaseCommand):
    help = (
        "Recompute the SVRO scrutiny figures for every period and breakdown the "
        "dashboard offers, for all forces and each force (run daily, or hourly)."
    )

    def handle(self, *args, **options):
        start = time.perf_counter()
        filters = usual_filters()
        for one in filters:
            refresh(one)
        self.stdout.write(
            f"{len(filters)} sets of figures computed in "
            f"{time.perf_counter() - start:.1f} s"
        )
