"""manage.py register_documents FILE…: the documents a client may run in trusted-documents mode."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.documents import DocumentsError, register


class Command(BaseCommand):
    help = (
        'Register persisted GraphQL documents from JSON files {"<id>": "<document>"}, as '
        "Relay's persistConfig and graphql-codegen's persistedDocuments write them. Idempotent; "
        "all files in one transaction."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = register(options["files"])
        except DocumentsError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"{result.added} document(s) registered, {result.known} already registered."
        )
