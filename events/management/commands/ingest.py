from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from events.ingest.page import PageError
from events.ingest.service import MAX_BYTES, ingest_page


class Command(BaseCommand):
    help = (
        "Ingest saved live-blog pages (plain text or HTML): the event, its new entries, "
        "corrections, and the actors and sources they name. Ingesting a page twice changes "
        "nothing; each page is one transaction."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--tz", help="Zone of clock times the page does not name (IANA).")
        parser.add_argument("--event", help="Slug of the event to ingest into.")
        parser.add_argument("--dry-run", action="store_true", help="Report, write nothing.")

    def handle(self, *args: Any, paths: list[Path], **options: Any) -> None:
        failures = 0
        for number, path in enumerate(paths, start=1):
            prefix = f"[{number}/{len(paths)}] {path}"
            try:
                raw = _read(path)
                report = ingest_page(
                    raw, tz=options["tz"], event_slug=options["event"], dry_run=options["dry_run"]
                )
            except (PageError, OSError) as error:
                failures += 1
                self.stderr.write(f"{prefix}: {error}")
                continue
            self.stdout.write(prefix)
            for line in report.lines():
                self.stdout.write(f"  {line}")
        if failures:
            raise CommandError(f"{failures} of {len(paths)} page(s) could not be ingested.")


def _read(path: Path) -> bytes:
    if path.stat().st_size > MAX_BYTES:
        raise PageError(f"The page is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    return path.read_bytes()
