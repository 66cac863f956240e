"""svduty sna --partnership SLUG --from YYYY-MM --to YYYY-MM --format json|html|pdf
--output PATH

JSON is the SNA with raw counts, for use inside the partnership; add --suppress for a
JSON of the suppressed tables that may be shared. HTML and PDF are the report, always
with small numbers suppressed. Each run is audited as an export.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from svduty.analysis.service import sna_for
from svduty.analysis.sna import SnaError, parse_month
from svduty.analysis.snapshot import current_snapshot
from svduty.analysis.tables import suppressed_json
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.partnership.models import Partnership


class Command(BaseCommand):
    help = "Compute the strategic needs assessment for a partnership and period."

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True)
        parser.add_argument("--from", dest="period_from", required=True, help="YYYY-MM")
        parser.add_argument("--to", dest="period_to", required=True, help="YYYY-MM")
        parser.add_argument("--format", choices=["json", "html", "pdf"], default="json")
        parser.add_argument(
            "--output", default="-", help="File to write, or - for stdout"
        )
        parser.add_argument("--kind", default=None, help="One kind of serious violence")
        parser.add_argument("--area", default=None, help="Local authority code")
        parser.add_argument(
            "--suppress",
            action="store_true",
            help="JSON only: small-number suppressed tables, safe to share",
        )

    def handle(self, *args, **options):
        try:
            partnership = Partnership.objects.get(slug=options["partnership"])
        except Partnership.DoesNotExist:
            raise CommandError(
                f"No partnership with slug {options['partnership']!r}"
            ) from None
        snapshot = current_snapshot(partnership)
        if snapshot is None:
            raise CommandError("No data has been imported for this partnership yet")
        try:
            result = sna_for(
                partnership,
                snapshot=snapshot,
                period_from=parse_month(options["period_from"]),
                period_to=parse_month(options["period_to"]),
                kind=options["kind"],
                area=options["area"],
            )
        except SnaError as error:
            raise CommandError(str(error)) from None
        fmt = options["format"]
        if fmt == "json":
            payload = suppressed_json(result) if options["suppress"] else result
            data = json.dumps(payload, indent=2, default=str).encode()
        elif fmt == "html":
            from svduty.analysis.report import render_html_document

            data = render_html_document(partnership, snapshot, result).encode()
        else:
            from svduty.analysis.report import render_pdf

            data = render_pdf(partnership, snapshot, result)
        if options["output"] == "-":
            sys.stdout.buffer.write(data)
        else:
            with open(options["output"], "wb") as handle:
                handle.write(data)
        record(
            AuditAction.EXPORT,
            target=partnership,
            target_label=f"Needs assessment ({fmt}) from the command line: {partnership}",  # noqa: E501
            actor_label="command line",
            detail={
                "format": fmt,
                "suppressed": fmt != "json" or options["suppress"],
                "snapshot": snapshot.pk,
                "period_from": options["period_from"],
                "period_to": options["period_to"],
            },
        )
