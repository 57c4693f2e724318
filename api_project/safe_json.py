"""The checks every JSON body goes through, REST and GraphQL alike: hostile input is a client
error with a clear message, never a 500.

Absurd nesting would exhaust the stack (50,000 `[`s are a few dozen bytes), PostgreSQL text
cannot hold a NUL character, and a body that is not UTF-8 cannot be read as the client meant it;
neither can a string holding a lone surrogate (`"\ud800"`, valid JSON escaping, but no
character: nothing can encode it), nor an integer too long for Python to read safely.
"""

import json
from collections.abc import Mapping
from typing import Any

MAX_DEPTH = 32
TOO_DEEP = f"JSON nested deeper than {MAX_DEPTH} levels."
NUL_MESSAGE = "Text may not contain NUL characters."


class UnsafeJSON(ValueError):
    """A body refused by these checks; the message is meant for the client. `path` is where in
    the document (keys and list positions), when a value is at fault rather than the body."""

    def __init__(self, message: str, path: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.path = path


def check(value: Any, depth: int = 0, path: tuple[str | int, ...] = ()) -> None:
    """Raise UnsafeJSON for nesting over MAX_DEPTH levels or a NUL in any key or string."""
    if depth > MAX_DEPTH:
        raise UnsafeJSON(TOO_DEEP, path[:1])  # the field the client nested, not the depth
    if isinstance(value, str):
        if "\x00" in value:
            raise UnsafeJSON(NUL_MESSAGE, path)
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise UnsafeJSON(
                    "Text may not contain lone surrogates (\\ud800-\\udfff).", path
                ) from None
    if isinstance(value, Mapping):
        for key, item in value.items():
            check(key, depth + 1, path)  # a bad key is its object's fault
            check(item, depth + 1, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check(item, depth + 1, (*path, index))


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object; a key given twice is refused, since which value was meant is anyone's guess
    (parsers differ: the first, the last, an error)."""
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise UnsafeJSON(f"Duplicate key {key!r} in a JSON object.")
        found[key] = value
    return found


def _no_constant(name: str) -> Any:
    raise UnsafeJSON(f"{name} is not a JSON number.")


def loads(raw: bytes | str) -> Any:
    """Strict UTF-8 JSON (json.loads would otherwise guess UTF-16 or UTF-32 from the bytes),
    checked."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as error:
        raise UnsafeJSON(f"The body is not UTF-8: {error}") from None
    try:
        data = json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except RecursionError:
        raise UnsafeJSON(TOO_DEEP) from None
    except UnsafeJSON:
        raise
    except json.JSONDecodeError as error:
        raise UnsafeJSON(f"Malformed JSON: {error}") from None
    except ValueError as error:  # an integer of over 4,300 digits
        raise UnsafeJSON(f"Unreadable JSON: {error}") from None
    check(data)
    return data
