"""manage.py restore [--file PATH] [--replace]: a backup, back into the database."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.backups import BackupError, latest_backup_file, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` (default: the newest in var/backups/) into "
        "the database, in one transaction. An empty database is expected (create it, do not "
        "migrate it); --replace overwrites what the backup holds in a database that has tables."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, help="The backup to restore.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Drop and recreate the backup's objects in a database that is not empty.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            file = options["file"] or latest_backup_file()
            restore(file, replace=options["replace"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored {file}.")
