"""The offset-paged connection every list uses, with its cursors checked before the database.

A list connection's cursor is an offset (`arrayconnection:<n>`), and strawberry takes any
integer: one beyond PostgreSQL's bigint ended as "bigint out of range" in SQL, an internal
error the client saw as "Unexpected error.". An offset past any list is refused with a message.
"""

from typing import Any, Self

import strawberry
from strawberry import Info, relay
from strawberry.relay.types import PREFIX, NodeIterableType
from strawberry.relay.utils import from_base64
from strawberry.utils.await_maybe import AwaitableOrValue
from strawberry_django.relay import DjangoListConnection

# Far beyond any list, and far below a bigint once strawberry adds the page size.
MAX_OFFSET = 2**31


def _check_cursor(name: str, cursor: str | None) -> None:
    if not cursor:
        return
    try:
        prefix, offset = from_base64(cursor)
        too_far = prefix == PREFIX and abs(int(offset)) > MAX_OFFSET
    except ValueError:
        return  # strawberry's own message names what is wrong with it
    if too_far:
        raise ValueError(f"Argument '{name}' is not a cursor of this list.")


@strawberry.type(name="Connection", description="A connection to a list of items.")
class ListConnection(DjangoListConnection[relay.NodeType]):
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
    ) -> AwaitableOrValue[Self]:
        _check_cursor("after", after)
        _check_cursor("before", before)
        return super().resolve_connection(
            nodes, info=info, before=before, after=after, first=first, last=last, **kwargs
        )
