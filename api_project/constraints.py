"""Database constraint builders shared by the apps, so an enum is enforced where it is defined."""

from collections.abc import Collection, Iterable, Sequence
from typing import Any

from django.contrib.postgres.constraints import ExclusionConstraint
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import F, Q

from .countries import COUNTRIES


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


class FieldCheckConstraint(models.CheckConstraint):
    """A CHECK whose refusal belongs to one field: an end before its start is the end's fault,
    so validation names `ends_at` rather than the record as a whole. The database's refusal of
    a write that raced past validation names the same field (`api_project.integrity`), so a
    client reads one answer whichever check stopped it."""

    non_db_attrs = ("violation_error_code", "violation_error_message", "violation_error_field")

    def __init__(self, *, violation_error_field: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.violation_error_field = violation_error_field

    def validate(
        self,
        model: type[models.Model],
        instance: models.Model,
        exclude: Collection[str] | None = None,
        using: str = DEFAULT_DB_ALIAS,
    ) -> None:
        try:
            super().validate(model, instance, exclude=exclude, using=using)  # type: ignore[misc]  # django-stubs leave it out
        except ValidationError:
            raise violation_error(self) from None

    def deconstruct(self) -> tuple[str, Sequence[Any], dict[str, Any]]:
        path, args, kwargs = super().deconstruct()
        return path, args, {**kwargs, "violation_error_field": self.violation_error_field}

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, FieldCheckConstraint)
            and self.violation_error_field == other.violation_error_field
            and super().__eq__(other)
        )


def violation_error(constraint: models.BaseConstraint) -> ValidationError:
    """The error a constraint's violation is reported with, by validation and by the database
    alike: under its field when it has one (`FieldCheckConstraint`)."""
    error = ValidationError(
        constraint.get_violation_error_message(), code=constraint.violation_error_code
    )
    field = getattr(constraint, "violation_error_field", None)
    return error if field is None else ValidationError({field: error})


def range_check(
    start: str,
    end: str,
    name: str,
    message: str,
    *,
    empty: bool = True,
    optional_start: bool = False,
) -> FieldCheckConstraint:
    """A CHECK that a span's `end`, when set, does not come before its `start` (nor on it,
    with `empty=False`; nor at all without a start, unless `optional_start`); the refusal
    names `end`."""
    condition = Q(**{f"{end}__isnull": True})
    if optional_start:
        condition |= Q(**{f"{start}__isnull": True})
    condition |= Q(**{f"{end}__gte" if empty else f"{end}__gt": F(start)})
    return FieldCheckConstraint(
        condition=condition,
        name=name,
        violation_error_message=message,
        violation_error_field=end,
    )


class ConditionalExclusionConstraint(ExclusionConstraint):
    """An exclusion that holds only for rows meeting its condition (`status = verified`).

    Django checks the condition against the row's values; when the form has already refused
    one of the fields the condition reads (a status that is not a status), that value is
    left out and Django's check fails with a FieldError instead of standing aside, as it
    does for a CHECK. This one stands aside: the field's own error is what the form says.
    Its path stays Django's, so migrations see the same constraint.
    """

    def validate(
        self,
        model: type[models.Model],
        instance: models.Model,
        exclude: Iterable[str] | None = None,
        using: str = DEFAULT_DB_ALIAS,
    ) -> None:
        condition = self.condition
        if exclude and condition is not None and condition.referenced_base_fields & set(exclude):
            return
        super().validate(model, instance, exclude=exclude, using=using)

    def deconstruct(self) -> tuple[str, Sequence[Any], dict[str, Any]]:
        _, args, kwargs = super().deconstruct()
        return "django.contrib.postgres.constraints.ExclusionConstraint", args, kwargs


def country_check(field: str, name: str) -> FieldCheckConstraint:
    """A CHECK that a country column is empty or an ISO 3166-1 alpha-2 code of the list the
    field's validator reads (`api_project.countries`), so a write that bypasses Django is held
    to the same list; the refusal names the field."""
    return FieldCheckConstraint(
        condition=Q(**{field: ""}) | Q(**{f"{field}__in": sorted(COUNTRIES)}),
        name=name,
        violation_error_message="Use an ISO 3166-1 alpha-2 country code (such as GB, FR, US).",
        violation_error_field=field,
    )
