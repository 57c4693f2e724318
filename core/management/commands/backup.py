"""manage.py backup [--file PATH]: the whole database, as pg_dump's custom format."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.backups import BackupError, backup, default_backup_file


class Command(BaseCommand):
    help = (
        "Back up the database (DATABASE_URL's, or the embedded server's) with pg_dump, custom "
        "format, to --file or var/backups/chronicle-<database>-<UTC time>.dump."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, help="Where to write the backup.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            written = backup(options["file"] or default_backup_file())
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Backed up to {written} ({written.stat().st_size} bytes).")
