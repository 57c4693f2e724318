"""Database constraint builders shared by the apps, so an enum is enforced where it is defined."""

from django.db import models
from django.db.models import Q


def choices_check(
    field: str, choices: type[models.TextChoices], name: str
) -> models.CheckConstraint:
    """A CHECK that keeps a column to its enum's values, even for writes that bypass Django."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__in": choices.values}),
        name=name,
        violation_error_message=f"Unknown {field.replace('_', ' ')}.",
    )


def blank_or_match(field: str, pattern: str, name: str, message: str) -> models.CheckConstraint:
    """A CHECK that a text column is empty or matches `pattern` (a PostgreSQL regex)."""
    return models.CheckConstraint(
        condition=Q(**{field: ""}) | Q(**{f"{field}__regex": pattern}),
        name=name,
        violation_error_message=message,
    )
