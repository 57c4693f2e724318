from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from events.seed import SEED_PATH, seed_load


class Command(BaseCommand):
    help = "Load the seed record (fixtures/seed.json). Running it twice changes nothing."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", nargs="?", type=Path, default=SEED_PATH)
        parser.add_argument(
            "--update",
            action="store_true",
            help="Overwrite rows that differ from the file (by default they are only reported).",
        )

    def handle(self, *args: Any, path: Path, update: bool, **options: Any) -> None:
        report = seed_load(path=path, update=update)
        if options["verbosity"] > 0:
            for line in report.lines():
                self.stdout.write(line)
