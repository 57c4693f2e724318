"""What each column of an import takes, told from the resource and its model, for the import
page's table and the sample file an editor starts from. Nothing here is written per model:
required-ness comes from the model field, allowed values from its choices, the format from
the widget the import reads the cell with (`api_project.import_widgets`); a resource adds
only its example rows (`examples`)."""

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from import_export import widgets
from import_export.fields import Field
from import_export.resources import ModelResource

from .import_widgets import (
    DATETIME_EXAMPLE,
    ChoiceWidget,
    CountryWidget,
    LookupWidget,
    UtcDateTimeWidget,
    YesNoWidget,
    folded,
)


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    takes: str
    choices: list[tuple[str, str]] = field(default_factory=list)
    note: str = ""


def _model_field(model: type[models.Model], field: Field) -> Any:
    name = (field.attribute or field.column_name or "").split("__")[0]
    for candidate in (name, name.removesuffix("_id")):
        try:
            return model._meta.get_field(candidate)
        except FieldDoesNotExist:
            continue
    return None


def _takes(column: Field, model_field: Any, is_id: bool, model: type[models.Model]) -> str:
    widget = column.widget
    if is_id and column.column_name == "id":
        name = model._meta.verbose_name
        return f"the id of the {name} to change; leave it empty to add a new {name}"
    if is_id:
        what = (
            "lowercase letters, digits and hyphens; "
            if isinstance(model_field, models.SlugField)
            else ""
        )
        return f"{what}matches the row to change, a {column.column_name} not yet used adds one"
    if isinstance(widget, ChoiceWidget):
        return "one of the values below; its label is read too, in any case"
    if isinstance(widget, CountryWidget):
        return "an ISO 3166-1 alpha-2 country code: GB (not UK), FR, US; fr is read as FR"
    if isinstance(widget, LookupWidget):
        return f"the {widget.key_name()} of an existing {widget.model._meta.verbose_name}"
    if isinstance(widget, UtcDateTimeWidget):
        return (
            f"a date and time in UTC, {DATETIME_EXAMPLE}; or ISO 8601 with its offset, "
            "2025-09-04T18:20:00+02:00"
        )
    if isinstance(widget, YesNoWidget):
        return "1 (yes) or 0 (no)"
    if isinstance(widget, widgets.SimpleArrayWidget):
        return f"several values separated by {widget.separator} (a semicolon)"
    if isinstance(model_field, models.SlugField):
        return "lowercase letters, digits and hyphens"
    if isinstance(model_field, models.URLField):
        return "a web address, https://…"
    if isinstance(model_field, models.CharField) and model_field.max_length:
        return f"text, up to {model_field.max_length} characters"
    return "text"


def _required(model_field: Any, is_id: bool, column: Field) -> bool:
    if is_id:
        return bool(column.column_name != "id")
    if model_field is None or model_field.auto_created:
        return False
    return not bool(model_field.blank) and not bool(model_field.has_default())


def _note(model_field: Any) -> str:
    return str(getattr(model_field, "help_text", "") or "")


def describe(resource_class: type[ModelResource]) -> list[Column]:
    """The columns an import of `resource_class` reads, in the order of its files."""
    resource = resource_class()
    model = resource._meta.model
    ids = set(resource.get_import_id_fields())
    found = []
    for column in resource.get_user_visible_fields():
        model_field = _model_field(model, column)
        is_id = column.column_name in ids
        found.append(
            Column(
                name=column.column_name,
                required=_required(model_field, is_id, column),
                takes=_takes(column, model_field, is_id, model),
                choices=column.widget.choices if isinstance(column.widget, ChoiceWidget) else [],
                note="" if isinstance(column.widget, CountryWidget) else _note(model_field),
            )
        )
    return found


def canonical_headers(headers: list[str], resource_class: type[ModelResource]) -> list[str]:
    """The file's headers with each that names a column, in any case or spacing (`Slug`,
    `needs review`, ` kind `), written as the column is; the others as they are."""
    names = {folded(column.name): column.name for column in describe(resource_class)}
    return [names.get(folded(str(header)), str(header)) for header in headers]


def required_columns(resource_class: type[ModelResource]) -> list[str]:
    return [column.name for column in describe(resource_class) if column.required]


def sample_csv(resource_class: type[ModelResource]) -> str:
    """The header row of the import's columns and the resource's example rows, as CSV."""
    header = [column.name for column in describe(resource_class)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for example in getattr(resource_class, "examples", []):
        writer.writerow([example.get(name, "") for name in header])
    return out.getvalue()
