"""An import's problems as sentences an editor can act on: the row as her spreadsheet numbers
it (the header is row 1, so the first data row is row 2), the column, and what is wrong with
the cell, listed on the page rather than behind a badge."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError
from import_export.results import Result

from .integrity import as_validation_error

HEADER_ROWS = 1


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [f"Row {self.row}"] if self.row is not None else []
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


def _messages(error: Any) -> dict[str, list[str]]:
    if isinstance(error, IntegrityError):
        error = as_validation_error(error) or error
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            return {key: list(value) for key, value in error.message_dict.items()}
        return {NON_FIELD_ERRORS: error.messages}
    return {NON_FIELD_ERRORS: [str(error) or type(error).__name__]}


def problems(result: Result) -> list[Problem]:
    """Every problem of `result`, the file's first, then row by row, cell by cell."""
    found = []
    for error in result.base_errors:
        for message in _messages(error.error).get(NON_FIELD_ERRORS, []):
            found.append(Problem(None, None, message))
    for number, errors in result.row_errors():
        for error in errors:
            for column, messages in _messages(error.error).items():
                for message in messages:
                    found.append(_problem(number, column, message))
    for invalid in result.invalid_rows:
        for column, messages in invalid.error_dict.items():
            for message in messages:
                found.append(_problem(invalid.number, column, message))
    return sorted(found, key=lambda p: p.row or 0)


def _problem(number: int, column: str, message: str) -> Problem:
    return Problem(
        number + HEADER_ROWS, None if column == NON_FIELD_ERRORS else column, str(message)
    )
