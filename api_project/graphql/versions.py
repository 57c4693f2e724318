"""The `version` field of the records GraphQL writes: the token their update and delete
mutations take as `ifMatch` (see `api_project.versions`)."""

from typing import Any

import strawberry_django
from django.db import models

from api_project.versions import row_version, version_columns

DESCRIPTION = (
    "Changes with every write to this record; pass it as `ifMatch` to an update or delete "
    "(or as REST's If-Match) to refuse the write if someone else changed the record since."
)


def _resolve(root: models.Model) -> str:
    return row_version(root)


def version_field(model: type[models.Model]) -> Any:
    """The field, loading every column it hashes in the record's own query."""
    return strawberry_django.field(
        resolver=_resolve, only=version_columns(model), description=DESCRIPTION
    )
