"""Parsers that turn hostile bodies into 400s instead of 500s, JSON and forms alike."""

from collections.abc import Mapping
from typing import Any

from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import BaseParser, FormParser, JSONParser, MultiPartParser

from api_project.safe_json import UnsafeJSON, check, loads


def refusal(error: UnsafeJSON, path: tuple[str | int, ...] | None = None) -> Exception:
    """A value's refusal as a field error, nested as the document is (`{"citations": {"0":
    {"quote": [...]}}}`); a refusal of the body as a whole, a parse error."""
    path = error.path if path is None else path
    if not path or not isinstance(path[0], str):  # the body itself, or a list of values
        return ParseError(str(error))
    errors: Any = [str(error)]
    for key in reversed(path):
        errors = {str(key): errors}
    return ValidationError(errors)


class SafeJSONParser(JSONParser):
    """Reads the body as GraphQL's transport does (api_project/safe_json.py): absurd nesting,
    NUL characters, invalid UTF-8, duplicate keys and NaN are each a clear 400."""

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        try:
            return loads(stream.read() if stream is not None else b"")
        except UnsafeJSON as error:
            raise refusal(error) from None


def _checked_fields(data: Any) -> None:
    """A form's fields through the same checks as JSON's values (a NUL would otherwise reach
    PostgreSQL, which cannot store it)."""
    try:
        check(dict(data.lists()))
    except UnsafeJSON as error:
        raise refusal(error, error.path[:1]) from None  # a field's values, not a list


class _FieldsChecked(BaseParser):
    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        parsed = super().parse(stream, media_type, parser_context)
        # A multipart body parses to its fields and files; only the fields are text.
        _checked_fields(getattr(parsed, "data", parsed))
        return parsed


class SafeFormParser(_FieldsChecked, FormParser):
    pass


class SafeMultiPartParser(_FieldsChecked, MultiPartParser):
    pass


class RawPageParser(BaseParser):
    """A saved page as the request body, kept as bytes for the ingester to decode."""

    media_type = "*/*"

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        return stream.read() if stream is not None else b""
