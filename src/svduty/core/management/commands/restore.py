"""`svduty restore FILE`: restore an encrypted backup made by `svduty backup`.

The backup is decrypted and checked whole before the database is touched: an altered,
incomplete or wrongly keyed file is refused. Restores into an empty database unless
--replace is given, then checks every table's row count against the backup's."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from svduty.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore an encrypted backup into the configured database and data folder."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the backup to restore")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="overwrite a database that already holds data",
        )

    def handle(self, *args, file: Path, replace: bool, **options):
        if not settings.BACKUP_KEY:
            raise CommandError(
                "Set SVDUTY_BACKUP_KEY to the key the backup was made with."
            )
        if not file.exists():
            raise CommandError(f"There is no file {file}.")
        try:
            manifest = restore_backup(file, secret=settings.BACKUP_KEY, replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"Restored the backup made at {manifest['made_at']}: "
            f"{len(manifest['tables'])} tables and {rows:,} rows, every count checked."
        )
