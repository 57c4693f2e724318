"""The admin's import form, refusing a file it cannot import with a sentence about the file
(empty, not UTF-8, a workbook or other binary under a text format, headers repeated or
missing) before the library reads it, instead of its exception's name or a traceback."""

from typing import Any

from django import forms
from import_export.forms import ImportForm
from import_export.resources import ModelResource
from tablib import Dataset, InvalidDimensions

from .import_columns import canonical_headers, describe, required_columns

# The first bytes of the workbook formats, by what a person would call them.
SIGNATURES = {
    b"PK\x03\x04": "a spreadsheet workbook (XLSX or ODS)",
    b"\xd0\xcf\x11\xe0": "an Excel 97-2003 workbook (XLS)",
    b"%PDF": "a PDF document",
}


class UnreadableFile(Exception):
    pass


def _text(data: bytes, title: str) -> str:
    for signature, what in SIGNATURES.items():
        if data.startswith(signature):
            raise UnreadableFile(
                f"This file is {what}, not {title} text. Choose its format in the list below, "
                f"or save it from the spreadsheet as {title} (UTF-8)."
            )
    if b"\x00" in data:
        raise UnreadableFile(f"This file holds binary data, not {title} text.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFile(
            f"This file is not UTF-8 text (byte {data[error.start]:#04x} at position "
            f"{error.start}). In the spreadsheet, save it as {title} UTF-8."
        ) from None


def read_headers(data: bytes, format_class: Any) -> list[str]:
    """The file's header row, or UnreadableFile saying why there is none."""
    file_format = format_class()
    title = file_format.get_title().upper()
    if not data.strip():
        raise UnreadableFile("The file is empty.")
    content: Any = data if file_format.is_binary() else _text(data, title)
    if isinstance(content, str) and not content.strip():
        raise UnreadableFile("The file is empty.")
    try:
        dataset: Dataset = file_format.create_dataset(content)
    except InvalidDimensions:
        raise UnreadableFile(
            f"The file could not be read as {title}: some rows have more or fewer cells than "
            "the header row."
        ) from None
    except Exception:  # the format's parser: any refusal means "not this format"
        raise UnreadableFile(
            f"The file could not be read as {title}. Check the format chosen below."
        ) from None
    return [str(header) for header in (dataset.headers or [])]


def header_problems(headers: list[str], resource_class: type[ModelResource]) -> list[str]:
    if not any(header.strip() for header in headers):
        return ["The file has no header row: its first row must name the columns."]
    problems = []
    repeated = sorted({h for h in headers if headers.count(h) > 1})
    for header in repeated:
        problems.append(f"The column {header} appears more than once in the header row.")
    listed = ", ".join(h for h in headers if h.strip()) or "none"
    ids = set(resource_class().get_import_id_fields()) - {"id"}
    for name in required_columns(resource_class):
        if name in headers:
            continue
        why = "needed to match rows" if name in ids else "required"
        problems.append(f"The file has no column {name} ({why}); the columns are: {listed}.")
    return problems


class TeachingImportForm(ImportForm):
    """The library's import form, reading the file's header row at validation so that a file
    it cannot import is refused here, next to the file field."""

    def __init__(self, formats: list[Any], resources: list[Any], **kwargs: Any) -> None:
        super().__init__(formats, resources, **kwargs)
        self._formats = formats
        self._resources = resources
        self.ignored_columns: list[str] = []

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        upload = cleaned.get("import_file")
        chosen = cleaned.get("format")
        if upload is None or chosen in (None, ""):
            return cleaned
        resource_class = self._resources[int(str(cleaned.get("resource") or 0))]
        data = b"".join(upload.chunks())
        upload.seek(0)
        try:
            headers = read_headers(data, self._formats[int(str(chosen))])
        except UnreadableFile as error:
            raise forms.ValidationError({"import_file": str(error)}) from None
        headers = canonical_headers(headers, resource_class)
        known = {column.name for column in describe(resource_class)}
        self.ignored_columns = [h for h in headers if h.strip() and h not in known]
        problems = header_problems(headers, resource_class)
        if problems:
            raise forms.ValidationError({"import_file": problems})
        return cleaned
