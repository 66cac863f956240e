"""`svduty link_export --partnership SLUG [--output FILE]`.

CSV ``agency_code,local_id,person_id,decision`` for every open imported record;
records with the same ``person_id`` are the same person after the automatic
decisions (and reviewers' decisions so far).
"""

from __future__ import annotations

import csv
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.core.exports import safe_cell
from svduty.linkage.models import PersonRecord
from svduty.partnership.models import Partnership
from svduty.sharing.imports import system_actor


class Command(BaseCommand):
    help = "Write each imported person record's linked person and decision as CSV."

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True)
        parser.add_argument("--output", help="File to write (default: standard output)")

    def handle(self, *args, **options):
        partnership = Partnership.objects.filter(slug=options["partnership"]).first()
        if partnership is None:
            raise CommandError(f"There is no partnership ‘{options['partnership']}’")
        rows = (
            PersonRecord.objects.filter(
                partnership=partnership, closed_at__isnull=True, batch__isnull=False
            )
            .order_by("agency_code", "local_id")
            .values_list("agency_code", "local_id", "linked_person_id", "decision")
        )
        handle = (
            open(options["output"], "w", newline="", encoding="utf-8")  # noqa: SIM115
            if options["output"]
            else sys.stdout
        )
        count = 0
        try:
            writer = csv.writer(handle)
            writer.writerow(["agency_code", "local_id", "person_id", "decision"])
            for agency, local_id, person, decision in rows.iterator(chunk_size=5000):
                writer.writerow(
                    [safe_cell(agency), safe_cell(local_id), person or "", decision]
                )
                count += 1
        finally:
            if handle is not sys.stdout:
                handle.close()
        with transaction.atomic():
            record(
                AuditAction.EXPORT,
                actor=system_actor(),
                target=partnership,
                detail={"what": "record linkage decisions", "rows": count},
            )
        if options["output"]:
            self.stderr.write(f"{count:,} records written to {options['output']}")
