from typing import Any

from django.core.management.base import BaseCommand

from api_project.roles import editors_group_ensure


class Command(BaseCommand):
    help = "Create the editors group with the permissions curation needs (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        group = editors_group_ensure()
        self.stdout.write(f"Group {group.name!r}: {group.permissions.count()} permissions.")
