"""The admin's import and export (django-import-export), safe to open in a spreadsheet.

Resources mark the cells they export from text fields (`TextCell`); the spreadsheet formats
(CSV, TSV, and XLS, XLSX, ODS when their libraries are installed) neutralise those that would
run as a formula, by the rule of api_project/spreadsheet.py, and leave numbers, dates and
booleans alone. JSON, YAML and HTML exports keep the text as it is. On import, the quote the
rule added is taken off again (`restored`, the rule's inverse), so a file exported, edited and
imported back keeps its text.
"""

from typing import Any

import pghistory
from import_export import resources, widgets
from import_export.admin import ImportExportMixin
from import_export.fields import Field
from import_export.formats import base_formats

from .admin_imports import TeachingImportMixin
from .history import IMPORT
from .import_columns import canonical_headers
from .import_widgets import widget_for
from .spreadsheet import neutralised, restored

# Widgets whose cells are not text: a number, a date, a boolean, JSON.
NOT_TEXT = (
    widgets.NumberWidget,
    widgets.BooleanWidget,
    widgets.DateWidget,
    widgets.DateTimeWidget,
    widgets.TimeWidget,
    widgets.DurationWidget,
    widgets.JSONWidget,
)


class TextCell(str):
    """An exported text cell: the kind a spreadsheet format neutralises."""

    __slots__ = ()


def _is_text(field: Field) -> bool:
    return not isinstance(field.widget, NOT_TEXT)


class SpreadsheetSafeResource(resources.ModelResource):
    @classmethod
    def field_from_django_field(cls, field_name: str, django_field: Any, readonly: bool) -> Field:
        """The library's field, read with the widget the model field calls for (choices
        by value or label in any case, countries in capitals, datetimes in UTC)."""
        field = super().field_from_django_field(field_name, django_field, readonly)
        field.widget = widget_for(django_field, field.widget)
        return field

    def import_data(self, *args: Any, **kwargs: Any) -> Any:
        """An import is one action in the audit trail, told as an import (in the admin, the
        request's context also names the editor)."""
        with pghistory.context(origin=IMPORT):
            return super().import_data(*args, **kwargs)

    def export_field(self, field: Field, instance: Any, **kwargs: Any) -> Any:
        value = super().export_field(field, instance, **kwargs)
        return TextCell(value) if isinstance(value, str) and _is_text(field) else value

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        super().before_import(dataset, **kwargs)
        if dataset.headers:
            dataset.headers = canonical_headers(dataset.headers, type(self))

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        super().before_import_row(row, **kwargs)
        for field in self.get_import_fields():
            value = row.get(field.column_name)
            if isinstance(value, str) and _is_text(field):
                row[field.column_name] = restored(value)


class SpreadsheetFormat(base_formats.TablibFormat):
    """A format a spreadsheet opens: text cells that would run as formulas are neutralised."""

    def export_data(self, dataset: Any, **kwargs: Any) -> Any:
        safe = type(dataset)(headers=dataset.headers, title=dataset.title)
        for row in dataset:
            safe.append([neutralised(cell) if isinstance(cell, TextCell) else cell for cell in row])
        return super().export_data(safe, **kwargs)


SPREADSHEETS = (
    base_formats.CSV,
    base_formats.TSV,
    base_formats.XLS,
    base_formats.XLSX,
    base_formats.ODS,
)


def _safe(format_class: type[base_formats.Format]) -> type[base_formats.Format]:
    if format_class not in SPREADSHEETS:
        return format_class
    return type(format_class.__name__, (SpreadsheetFormat, format_class), {})


# The library's formats, in its order, the spreadsheets made safe.
FORMATS = [_safe(format_class) for format_class in base_formats.DEFAULT_FORMATS]


class SpreadsheetSafeImportExportMixin(TeachingImportMixin, ImportExportMixin):
    """The admin's Import and Export buttons, with the formats above, and the import page
    that says what each column takes (`api_project.admin_imports`)."""

    formats = FORMATS
