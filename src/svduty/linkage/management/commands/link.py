"""`svduty link --partnership SLUG [--engine duckdb|spark] [--as USERNAME]`."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from svduty.accounts.models import User
from svduty.linkage.runs import run_linkage
from svduty.partnership.models import Partnership
from svduty.sharing.imports import system_actor


class Command(BaseCommand):
    help = "Link the partnership's person records (train the model, score, decide)."

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True, help="Partnership slug")
        parser.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
        parser.add_argument("--as", dest="username", help="User to record the run as")

    def handle(self, *args, **options):
        partnership = Partnership.objects.filter(slug=options["partnership"]).first()
        if partnership is None:
            raise CommandError(f"There is no partnership ‘{options['partnership']}’")
        by = system_actor()
        if options["username"]:
            by = User.objects.filter(username=options["username"]).first()
            if by is None:
                raise CommandError(f"There is no user ‘{options['username']}’")
        db_api = None
        if options["engine"] == "spark":
            from svduty.linkage.spark import spark_api

            db_api = spark_api()
        run = run_linkage(by=by, partnership=partnership, db_api=db_api)
        self.stdout.write(
            f"{run.records:,} records: {run.linked:,} linked, {run.new:,} new, "
            f"{run.review:,} waiting for review ({run.pairs_scored:,} pairs kept)."
        )
