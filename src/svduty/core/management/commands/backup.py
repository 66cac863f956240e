"""`svduty backup FILE`: an encrypted backup of the database and the data folder.

The key comes from SVDUTY_BACKUP_KEY (keep it apart from the backups: whoever holds
both can read everything). See svduty.core.backup for the format."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from svduty.core.backup import BackupError, make_backup


class Command(BaseCommand):
    help = "Write an encrypted backup of the database and uploaded files to FILE."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="where to write the backup")

    def handle(self, *args, file: Path, **options):
        if not settings.BACKUP_KEY:
            raise CommandError("Set SVDUTY_BACKUP_KEY (32 or more characters) first.")
        try:
            manifest = make_backup(file, secret=settings.BACKUP_KEY)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"Backup written to {file}: {len(manifest['tables'])} tables, "
            f"{rows:,} rows, {len(manifest['files'])} files."
        )
