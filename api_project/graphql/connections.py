"""The connections every list uses, with their cursors checked before the database.

A cursor that is not base64 at all made strawberry answer with Python's own words ("Invalid
base64-encoded string: number of data characters…"); both connections say instead that it is
not a cursor of this list. A list connection's cursor is an offset (`arrayconnection:<n>`), and
strawberry takes any integer: one beyond PostgreSQL's bigint ended as "bigint out of range" in
SQL, an internal error the client saw as "Unexpected error.". An offset past any list is refused
with a message.
"""

from typing import Any

import strawberry
from strawberry import Info, relay
from strawberry.relay.types import PREFIX, NodeIterableType
from strawberry.relay.utils import from_base64
from strawberry_django.relay import DjangoCursorConnection, DjangoListConnection

# Far beyond any list, and far below a bigint once strawberry adds the page size.
MAX_OFFSET = 2**31


def _not_a_cursor(name: str) -> ValueError:
    return ValueError(f"Argument '{name}' is not a cursor of this list.")


def _decoded(name: str, cursor: str) -> tuple[str, str]:
    try:
        return from_base64(cursor)
    except ValueError:  # binascii's and UnicodeDecodeError's words are Python's, not ours
        raise _not_a_cursor(name) from None


class _CheckedCursors:
    """`after` and `before` checked before the page is read: each connection says what its
    cursors must be (`check_cursor`), the reading stays strawberry-django's."""

    @classmethod
    def check_cursor(cls, name: str, cursor: str) -> None:
        _decoded(name, cursor)

    @classmethod
    def resolve_connection(
        cls,
        nodes: NodeIterableType[relay.NodeType],
        *,
        info: Info,
        before: str | None = None,
        after: str | None = None,
        first: int | None = None,
        last: int | None = None,
        **kwargs: Any,
    ) -> Any:
        for name, cursor in (("after", after), ("before", before)):
            if cursor:
                cls.check_cursor(name, cursor)
        return super().resolve_connection(  # type: ignore[misc]  # the connection's own
            nodes, info=info, before=before, after=after, first=first, last=last, **kwargs
        )


@strawberry.type(name="Connection", description="A connection to a list of items.")
class ListConnection(_CheckedCursors, DjangoListConnection[relay.NodeType]):
    @classmethod
    def check_cursor(cls, name: str, cursor: str) -> None:
        prefix, offset = _decoded(name, cursor)
        try:
            too_far = prefix == PREFIX and abs(int(offset)) > MAX_OFFSET
        except ValueError:
            return  # strawberry's own message names what is wrong with it
        if too_far:
            raise _not_a_cursor(name)


@strawberry.type(name="CursorConnection", description="A connection to a list of items.")
class CursorConnection(_CheckedCursors, DjangoCursorConnection[relay.NodeType]):
    """Keyset pages (an event's feed): the cursor holds the ordering's values."""
