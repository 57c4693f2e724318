"""Writes to the record. Every interface (REST, GraphQL, admin, commands) saves through here,
so the model's validation and constraints always run."""

from typing import TypeVar

from django.db import models, transaction

M = TypeVar("M", bound=models.Model)


@transaction.atomic
def record_save(*, instance: M) -> M:
    """Validate (fields, `clean()`, every constraint) and save; a failure writes nothing."""
    instance.full_clean()
    instance.save()
    return instance


@transaction.atomic
def record_delete(*, instance: models.Model) -> None:
    """Delete; rows others cite are protected and the database refuses (409 over the API)."""
    instance.delete()
