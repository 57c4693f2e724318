"""A JSON parser that turns hostile bodies into 400s instead of 500s."""

import json
from collections.abc import Mapping
from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser, JSONParser

MAX_DEPTH = 32


def _check(value: Any, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise ParseError(f"JSON nested deeper than {MAX_DEPTH} levels.")
    if isinstance(value, str) and "\x00" in value:
        raise ParseError("Text may not contain NUL characters.")
    if isinstance(value, Mapping):
        for key, item in value.items():
            _check(key, depth + 1)
            _check(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check(item, depth + 1)


class SafeJSONParser(JSONParser):
    """Rejects absurd nesting (which would exhaust the stack), NUL characters (which
    PostgreSQL text cannot hold) and invalid UTF-8, each with a clear 400."""

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(f"JSON nested deeper than {MAX_DEPTH} levels.") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise ParseError(f"Malformed JSON: {error}") from None
        _check(data)
        return data


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
