"""Bulk export: every list (and detail) as CSV or NDJSON, streamed by PostgreSQL's COPY.

The renderers take part in content negotiation (`?format=csv`, `Accept: text/csv`) and format
the reads that are not rows of a model (a matrix, a timeline: `Table`, `table_response`); an
error keeps its problem+json body whatever the format. Lists and details are written by
`stream_export`. Formatting 100,000
entries in Python took 7.65 s where `COPY` of the same columns took 0.44 s, so the export
wraps the queryset's own SQL (its filters, visibility rules and ordering included) in
`COPY (...) TO STDOUT`, turns every column into text in SQL, and passes PostgreSQL's bytes
through in chunks of about 64 KB: Python touches each row once and holds one chunk at a time.

The output keeps the shape the Python writer gave it:

- CSV lines end with CRLF (RFC 4180, and what `csv.writer` wrote). COPY ends rows with LF
  only, so the LF that closes each row is swapped; a LF inside a quoted value is data and kept.
- Fields are quoted only when needed, as `csv.QUOTE_MINIMAL` does. NULL and the empty string
  are both an empty field (COPY would quote the empty string to tell them apart).
- Datetimes are ISO 8601 in UTC, the connection's time zone, exactly as `isoformat()` gives
  them: six digits of microseconds, or none when there are none (`to_json` would trim trailing
  zeros). Dates are `YYYY-MM-DD`, booleans `True`/`False`, arrays joined with `;` (a NULL
  element is left out rather than written as a word), JSON values JSON text.
- NDJSON is one `row_to_json` object a line with the same values; only the spacing differs
  from `json.dumps`. Other types take PostgreSQL's text form, which for the integers, text and
  slugs the resources export is also Python's.
- Text cells a spreadsheet would run as a formula, or that start with `'`, get a `'` in front
  (api_project/spreadsheet.py), in SQL on this path and in Python on the other; NDJSON keeps
  every value as it is.
"""

import csv
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from datetime import UTC, date, datetime
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.db.models import Field, QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from psycopg import ClientCursor
from psycopg.abc import Buffer
from rest_framework.renderers import BaseRenderer

from api_project.spreadsheet import neutralised, sql_neutralised

from .renderers import ORJSONRenderer

CHUNK_BYTES = 64 * 1024
CSV_LINE_END = b"\r\n"
NDJSON_LINE_END = b"\n"
# A quote and delimiter no JSON text holds raw (it escapes every control character), so COPY's
# CSV mode never quotes a line: each row_to_json object goes out exactly as PostgreSQL wrote it.
UNQUOTED = "FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02'"


class Table(list[dict[str, Any]]):
    """Rows a view builds in Python (a matrix, a timeline) with their columns, so an empty
    table still exports its CSV header."""

    def __init__(self, columns: Sequence[str], rows: Iterable[dict[str, Any]] = ()) -> None:
        super().__init__(rows)
        self.columns = list(columns)


def table_response(fmt: str, table: Table, filename: str) -> HttpResponse:
    """A table as CSV (its header even when empty) or NDJSON, as an attachment like the COPY
    exports."""
    renderer = CSVRenderer() if fmt == CSVRenderer.format else NDJSONRenderer()
    response = HttpResponse(
        renderer.render(table), content_type=f"{renderer.media_type}; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _is_error(renderer_context: Any) -> bool:
    response = (renderer_context or {}).get("response")
    return response is not None and response.status_code >= 400


class CSVRenderer(BaseRenderer):
    """Rows (a dict, or a list of flat dicts) as CSV; an error stays problem+json."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        if _is_error(renderer_context):
            return ORJSONRenderer().render(data)
        if isinstance(data, Table):
            return _rows_to_csv(data, data.columns)
        return _rows_to_csv([data] if isinstance(data, dict) else data or [])


class NDJSONRenderer(BaseRenderer):
    """Rows as one JSON object a line; an error stays problem+json."""

    media_type = "application/x-ndjson"
    format = "ndjson"
    charset = "utf-8"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        if _is_error(renderer_context):
            return ORJSONRenderer().render(data)
        rows = [data] if isinstance(data, dict) else data or []
        if isinstance(data, Table):
            rows = [{column: row.get(column) for column in data.columns} for row in data]
        return "".join(_json_line(row) for row in rows).encode()


EXPORT_FORMATS = {CSVRenderer.format, NDJSONRenderer.format}


def _plain(value: Any) -> Any:
    """Datetimes in UTC, as the connection reads them on the COPY path, and ISO 8601."""
    if isinstance(value, datetime):
        return (value.astimezone(UTC) if value.tzinfo else value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _json_line(row: dict[str, Any]) -> str:
    return json.dumps({key: _plain(value) for key, value in row.items()}, ensure_ascii=False) + "\n"


def _csv_cell(value: Any) -> Any:
    """A list of plain values joined by `;`, nested data as JSON text; text neutralised."""
    if isinstance(value, list) and not any(isinstance(item, dict | list) for item in value):
        items = [item for item in value if item is not None]
        joined = ";".join(str(_plain(item)) for item in items)
        return neutralised(joined) if all(isinstance(item, str) for item in items) else joined
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=_plain)
    if isinstance(value, str):
        return neutralised(value)
    return "" if value is None else _plain(value)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _rows_to_csv(rows: Iterable[dict[str, Any]], columns: list[str] | None = None) -> bytes:
    return "".join(_csv_lines(rows, columns)).encode()


def _csv_lines(rows: Iterable[dict[str, Any]], columns: list[str] | None = None) -> Iterator[str]:
    writer = csv.writer(_Echo())
    if columns is not None:
        yield writer.writerow(columns)
    for row in rows:
        if columns is None:
            columns = list(row)
            yield writer.writerow(columns)
        yield writer.writerow([_csv_cell(row.get(column)) for column in columns])


def stream_export(
    fmt: str, queryset: QuerySet[Any], filename: str, columns: dict[str, str] | None = None
) -> StreamingHttpResponse:
    """Stream `queryset` (of `.values()` rows, its keys the columns) as CSV, a header then a
    line a row, or NDJSON. `columns`, when given, names the exported columns in order, each
    with the row key it reads: `.values()` puts model fields before annotations and refuses an
    annotation named like a field (`entry`), so an export may need both renamed and reordered.
    The SQL is compiled now, so a broken queryset fails before the response starts; the COPY
    runs only when the server reads the body."""
    compiler = queryset.query.get_compiler(using=queryset.db, elide_empty=False)
    sql, params = compiler.as_sql()
    keys = [_column_name(expression, alias) for expression, _, alias in compiler.select]
    every = [_plain_field(expression.output_field) for expression, _, _ in compiler.select]
    source = _positional(sql, len(every))
    chosen = columns or {key: key for key in keys}
    names = list(chosen)
    fields = [(keys.index(key), every[keys.index(key)]) for key in chosen.values()]
    if fmt == CSVRenderer.format:
        statement = _csv_copy(source, fields)
        first, line_end = [_csv_header(names)], CSV_LINE_END
        content_type = "text/csv; charset=utf-8"
    else:
        statement = _ndjson_copy(source, fields, names)
        first, line_end = [], NDJSON_LINE_END
        content_type = "application/x-ndjson; charset=utf-8"
    body = _copy_chunks(queryset.db, statement, params, first, line_end)
    response = StreamingHttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _column_name(expression: Any, alias: str | None) -> str:
    if alias is None:
        raise TypeError(f"Export rows must be a .values() queryset; {expression!r} has no name.")
    return alias


def _plain_field(field: Field[Any, Any]) -> Field[Any, Any]:
    """A foreign key's column holds the value of the field it points at."""
    while field.is_relation and (target := getattr(field, "target_field", None)) is not None:
        field = target
    return field


def _positional(sql: str, count: int) -> str:
    """The rows with their columns renamed by position: the exported names (`order`, or an
    annotation called like a model column) never have to be valid or unique in the outer SQL."""
    return f"({sql}) AS export_rows({', '.join(_position(i) for i in range(count))})"


def _position(index: int) -> str:
    return f'"c{index + 1}"'


Selected = Sequence[tuple[int, Field[Any, Any]]]  # each exported column: position, field


def _csv_copy(source: str, fields: Selected) -> str:
    columns = ", ".join(_csv_text(_position(i), field) for i, field in fields)
    return f"COPY (SELECT {columns} FROM {source}) TO STDOUT (FORMAT csv)"


def _ndjson_copy(source: str, fields: Selected, names: Sequence[str]) -> str:
    values = ", ".join(
        f"{_json_value(_position(i), field)} AS {_identifier(name)}"
        for (i, field), name in zip(fields, names, strict=True)
    )
    rows = f"SELECT row_to_json(export_row) FROM (SELECT {values} FROM {source}) AS export_row"
    return f"COPY ({rows}) TO STDOUT ({UNQUOTED})"


TEXT_FIELDS = {"CharField", "TextField", "SlugField", "URLField", "EmailField"}


def _is_text(field: Field[Any, Any]) -> bool:
    """Cells a spreadsheet reads as text: what formula neutralisation applies to."""
    if isinstance(field, ArrayField):
        return _is_text(field.base_field)
    return field.get_internal_type() in TEXT_FIELDS


def _csv_text(column: str, field: Field[Any, Any]) -> str:
    """The cell `csv.writer` got from `_csv_cell` for the value. NULLIF folds the empty string
    into NULL, which COPY writes as an empty, unquoted field, like the Python writer did."""
    if isinstance(field, ArrayField):
        # Elements joined by ";"; a NULL element is left out rather than written as a word.
        text = f"array_to_string({column}, ';')"
    elif field.get_internal_type() == "BooleanField":
        text = f"CASE WHEN {column} THEN 'True' WHEN NOT {column} THEN 'False' END"
    else:
        text = _json_value(column, field)
    text = f"({text})::text"
    if _is_text(field):
        text = sql_neutralised(text)
    return f"NULLIF({text}, '')"


def _json_value(column: str, field: Field[Any, Any]) -> str:
    """The value `_plain` gave `json.dumps`: datetimes and dates as ISO strings, the rest as
    PostgreSQL's JSON has it (numbers, booleans, arrays, JSON as JSON)."""
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        return _isoformat(column)
    if kind == "DateField":
        return f"to_char({column}, 'YYYY-MM-DD')"
    return column


def _isoformat(column: str) -> str:
    """`datetime.isoformat()` of an aware datetime read in UTC. Only the fraction can read
    `.000000`, so removing that string drops exactly the microseconds a whole second lacks."""
    text = f"""to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')"""
    return f"replace({text}, '.000000', '') || '+00:00'"


def _identifier(name: str) -> str:
    """A quoted name; `%` doubled, as the statement goes through parameter merging."""
    return '"' + name.replace('"', '""').replace("%", "%%") + '"'


def _csv_header(names: list[str]) -> bytes:
    line: str = csv.writer(_Echo(), lineterminator="").writerow(names)
    return line.encode()


def _copy_chunks(
    using: str, statement: str, params: Sequence[Any], first: list[bytes], line_end: bytes
) -> Iterator[bytes]:
    """COPY's rows gathered into chunks of about 64 KB: one socket write a row made the server,
    not the database, the bottleneck of a large export.

    PostgreSQL sends a COPY TO as one message a row, each ending with LF; the LF is replaced by
    `line_end` as the rows are joined. Closing the generator (a client gone mid-export) leaves
    the `with` blocks: psycopg cancels the COPY and drains what is in flight, and in a
    transaction the savepoint rolls back the cancelled statement, so the connection, which
    the pool takes back at the end of the request, stays usable."""
    connection = connections[using]
    with (
        _savepoint(connection),
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.copy(_bind(cursor, statement, params)) as copy,
    ):
        lines: list[Buffer] = list(first)
        size = 0
        for row in copy:
            lines.append(row[:-1])
            size += len(row)
            if size >= CHUNK_BYTES:
                yield line_end.join(lines) + line_end
                lines, size = [], 0
        if lines:
            yield line_end.join(lines) + line_end


def _savepoint(connection: BaseDatabaseWrapper) -> AbstractContextManager[Any]:
    """Outside a transaction a cancelled COPY fails alone; inside a caller's atomic block (a
    test's, a management command's) it would abort the whole transaction without a savepoint
    to roll back to."""
    if connection.in_atomic_block:
        return transaction.atomic(using=connection.alias)
    return nullcontext()


def _bind(cursor: CursorWrapper, statement: str, params: Sequence[Any]) -> str:
    """The statement with the queryset's parameters merged in. PostgreSQL takes no bound
    parameters in a COPY, so psycopg would merge them on the client anyway, as Django's cursor
    does for every query; merged here, the COPY also suits Django's debug cursor, whose
    `copy()` takes no parameters and logs the statement (so tests count it)."""
    return ClientCursor(cursor.connection).mogrify(statement, params)
