"""`svduty import_data --partnership SLUG --kind KIND [--agreement ID] FILE...`

Each file is its own all-or-nothing import. Prints one result per file and exits
with status 1 if any file was not imported (a duplicate counts as success: nothing
needed to change).
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from svduty.accounts.models import User
from svduty.partnership.models import Partnership
from svduty.sharing.imports import run_import, system_actor
from svduty.sharing.models import BatchStatus, DataSharingAgreement
from svduty.sharing.readers import KINDS


class Command(BaseCommand):
    help = "Import data files for a partnership (each file all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True, help="Partnership slug")
        parser.add_argument("--kind", required=True, choices=sorted(KINDS))
        parser.add_argument(
            "--agreement",
            type=int,
            help="ID of the data sharing agreement (needed for partner data)",
        )
        parser.add_argument(
            "--as",
            dest="username",
            help="Sign-in name of the user to record as the importer "
            "(default: the svduty system account)",
        )
        parser.add_argument(
            "--synthetic",
            action="store_true",
            help="Mark the data as synthetic (made up) wherever it is shown",
        )
        parser.add_argument("files", nargs="+", type=Path)

    def handle(self, *args, **options):
        try:
            partnership = Partnership.objects.get(slug=options["partnership"])
        except Partnership.DoesNotExist:
            raise CommandError(
                f"There is no partnership ‘{options['partnership']}’"
            ) from None
        agreement = None
        if options["agreement"] is not None:
            agreement = DataSharingAgreement.objects.filter(
                pk=options["agreement"], partnership=partnership
            ).first()
            if agreement is None:
                raise CommandError(
                    f"Partnership ‘{partnership.slug}’ has no data sharing agreement "
                    f"with ID {options['agreement']}"
                )
        if options["username"]:
            by = User.objects.filter(username=options["username"]).first()
            if by is None:
                raise CommandError(f"There is no user ‘{options['username']}’")
        else:
            by = system_actor()
        failed = 0
        for path in options["files"]:
            if not path.is_file():
                self.stderr.write(f"{path}: not found")
                failed += 1
                continue
            try:
                batch = run_import(
                    by=by,
                    partnership=partnership,
                    kind=options["kind"],
                    path=path,
                    file_name=path.name,
                    agreement=agreement,
                    synthetic=options["synthetic"],
                )
            except (ValidationError, PermissionDenied) as error:
                messages = getattr(error, "messages", None) or [str(error)]
                self.stderr.write(f"{path}: refused. {' '.join(messages)}")
                failed += 1
                continue
            if batch.status == BatchStatus.SUCCEEDED:
                self.stdout.write(
                    f"{path}: imported (batch {batch.pk}). {batch.message}"
                )
            elif batch.status == BatchStatus.DUPLICATE:
                self.stdout.write(
                    f"{path}: already imported (batch {batch.pk}). {batch.message}"
                )
            else:
                failed += 1
                self.stderr.write(
                    f"{path}: not imported (batch {batch.pk}). {batch.message}"
                )
                for problem in batch.problems:
                    where = ", ".join(
                        part
                        for part in (
                            f"row {problem['row']}" if problem["row"] else "",
                            f"column ‘{problem['column']}’"
                            if problem["column"]
                            else "",
                        )
                        if part
                    )
                    self.stderr.write(
                        f"  {where + ': ' if where else ''}{problem['message']}"
                    )
                if batch.problems_not_shown:
                    self.stderr.write(
                        f"  … and {batch.problems_not_shown:,} more problems"
                    )
        if failed:
            raise CommandError(
                f"{failed} of {len(options['files'])} file(s) were not imported",
                returncode=1,
            )
