"""How the admin's import reads a cell, for every resource alike: the widgets are chosen from
the model field (its choices, its country validator, its type), never listed per model, so a
new choice or a new country column is read the same way without touching the resources.

A cell an editor wrote by hand is read as she meant it where that is unambiguous (`News
agency`, `news agency`, `NEWS_AGENCY` are all `news_agency`; `fr` is `FR`) and otherwise
refused with a sentence saying what the column takes, which the import page shows against
the row and column (`api_project.import_report`).
"""

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from import_export import widgets

from .countries import validate_country_code

DATETIME_EXAMPLE = "2025-09-04 16:20:00"


def folded(text: str) -> str:
    """A value, label or header as a hand would vary it: case, spaces, hyphens, underscores."""
    return re.sub(r"[^0-9a-z]+", " ", text.casefold()).strip()


class ChoiceWidget(widgets.CharWidget):
    """A choice field's cell: its value or its label, in any case, spaced or underscored."""

    def __init__(self, choices: Iterable[tuple[Any, Any]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.choices = [(str(value), str(label)) for value, label in choices if value != ""]
        self._lookup: dict[str, str] = {}
        for value, label in self.choices:
            self._lookup.setdefault(folded(label), value)
        for value, _label in self.choices:
            self._lookup[folded(value)] = value  # a value wins over another choice's label

    def allowed(self) -> str:
        return ", ".join(f"{value} ({label})" for value, label in self.choices)

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        if value is None or str(value).strip() == "":
            return ""
        found = self._lookup.get(folded(str(value)))
        if found is None:
            raise ValueError(f"“{value}” is not one of: {self.allowed()}.")
        return found


class CountryWidget(widgets.CharWidget):
    """A country cell: an ISO 3166-1 alpha-2 code, read in capitals (spreadsheets and hands
    write `fr`); the model's validator then says what a wrong code should have been."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        if value is None:
            return ""
        return str(value).strip().upper()


class UtcDateTimeWidget(widgets.DateTimeWidget):
    """A date and time: `2025-09-04 16:20:00` in UTC, as exports write it, or ISO 8601 with
    its offset (`2025-09-04T18:20:00+02:00`, `…Z`)."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        if isinstance(value, datetime) or value in (None, ""):
            return super().clean(value, row, **kwargs)
        text = str(value).strip()
        try:
            return super().clean(text, row, **kwargs)
        except ValueError:
            pass
        try:
            parsed = parse_datetime(text.replace(" ", "T", 1))
        except ValueError:
            parsed = None
        if parsed is None:
            raise ValueError(
                f"“{value}” is not a date and time: write it as {DATETIME_EXAMPLE} (UTC) or "
                "with its offset, 2025-09-04T18:20:00+02:00."
            ) from None
        return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


class YesNoWidget(widgets.BooleanWidget):
    """A yes/no cell: 1 or 0, and true/false, yes/no in any case; anything else is refused
    rather than read as no."""

    YES = frozenset({"1", "true", "yes", "y"})
    NO = frozenset({"0", "false", "no", "n"})

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        if isinstance(value, bool) or value is None:
            return value
        text = str(value).strip().casefold()
        if text == "":
            return None
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise ValueError(f"“{value}” is not yes or no: write 1 or 0.")


class WholeNumberWidget(widgets.IntegerWidget):
    """A whole number (an id): refused by name, not with the decimal module's exception."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        try:
            return super().clean(value, row, **kwargs)
        except (ValueError, ArithmeticError, TypeError):
            raise ValueError(f"“{value}” is not a whole number.") from None


class LookupWidget(widgets.ForeignKeyWidget):
    """A foreign key cell: the slug (or id) of an existing row, refused by name when none has
    it, rather than with the lookup's exception."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        try:
            return super().clean(value, row, **kwargs)
        except (ObjectDoesNotExist, ValueError, ValidationError, TypeError):
            raise ValueError(f"No {self.describe()} “{value}”.") from None

    def key_name(self) -> str:
        return "id" if self.field == "pk" else str(self.model._meta.get_field(self.field).name)

    def describe(self) -> str:
        """`actor with the slug`, `entry with the id`."""
        return f"{self.model._meta.verbose_name} with the {self.key_name()}"


def by_slug(model: type[models.Model]) -> LookupWidget:
    return LookupWidget(model, field="slug")


def by_id(model: type[models.Model]) -> LookupWidget:
    return LookupWidget(model, field="pk")


def is_country(field: models.Field[Any, Any]) -> bool:
    return validate_country_code in field.validators


def widget_for(field: models.Field[Any, Any], default: widgets.Widget) -> widgets.Widget:
    """The widget the import reads a model field's cells with."""
    kwargs = {"coerce_to_string": True, "allow_blank": True} if field.blank else {}
    if field.choices:
        return ChoiceWidget(field.choices, **kwargs)
    if is_country(field):
        return CountryWidget(**kwargs)
    if isinstance(field, models.DateTimeField):
        return UtcDateTimeWidget()
    if isinstance(field, models.BooleanField):
        return YesNoWidget()
    if isinstance(field, models.IntegerField):
        return WholeNumberWidget()
    return default
