"""One version token per record, for every interface that edits it: REST's `If-Match`, GraphQL's
`version` field and `ifMatch` argument, and the admin's change form.

The token is a hash of the row's stored columns (every concrete field but generated ones), so
any write changes it, however it was made: a save, a bulk `update()`, an import, raw SQL. An
entry's citations and mentions are written with the entry, which saves the entry's row (and its
`updated_at`) too, so the entry's token moves with them. REST's ETag, by contrast, hashes a
representation, which also changes when a related record's name does; the version says only
whether *this* record changed since it was read, which is what a precondition on a write needs.

A check runs on the row locked for the writing transaction (`locked`), so no other write can
slip in between the comparison and the save.
"""

import hashlib
import json
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models

M = TypeVar("M", bound=models.Model)

PRECONDITION_FAILED = "precondition_failed"


def version_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The columns a version covers: every stored, non-generated field of the model."""
    return [
        field
        for field in model._meta.concrete_fields
        if not isinstance(field, models.GeneratedField)
    ]


def version_columns(model: type[models.Model]) -> list[str]:
    """The field names to load so that a version needs no further query."""
    return [field.name for field in version_fields(model)]


def _canonical(value: Any) -> Any:
    """One spelling per stored value, whether it was just saved or read back: datetimes in UTC."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_canonical(item) for item in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def row_version(instance: models.Model) -> str:
    """The record's version token (32 hex digits)."""
    values = [
        [field.attname, _canonical(field.to_python(getattr(instance, field.attname)))]
        for field in version_fields(type(instance))
    ]
    payload = json.dumps([instance._meta.label, values], ensure_ascii=False, separators=(",", ":"))
    return hashlib.md5(payload.encode(), usedforsecurity=False).hexdigest()


def locked(instance: M) -> M | None:
    """The record as stored now, its row locked until the transaction ends; None if another
    transaction deleted it meanwhile."""
    manager = type(instance)._default_manager
    return manager.select_for_update().filter(pk=instance.pk).first()


def precondition_failed(field: str, current: models.Model) -> ValidationError:
    """The refusal of a write whose version is not the record's: nothing of it is applied."""
    updated_at = getattr(current, "updated_at", None)
    when = f" (last changed {updated_at.astimezone(UTC).isoformat()})" if updated_at else ""
    message = (
        f"This {current._meta.verbose_name} changed since you read it{when}: "
        "read it again and retry."
    )
    return ValidationError({field: ValidationError(message, code=PRECONDITION_FAILED)})


def check_version(instance: M, expected: str | None, field: str = "ifMatch") -> M:
    """Lock the record and, when `expected` is given, refuse unless it is the current version.
    Returns the locked, current row (the one to write to)."""
    current = locked(instance)
    if current is None:
        code = PRECONDITION_FAILED if expected is not None else "not_found"
        message = f"This {instance._meta.verbose_name} was deleted meanwhile."
        raise ValidationError(
            {field if expected is not None else "id": [ValidationError(message, code=code)]}
        )
    if expected is not None and expected != row_version(current):
        raise precondition_failed(field, current)
    return current
