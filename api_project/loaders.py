"""Timestamps read by psycopg's C loader.

Django registers its own timestamptz loader, a Python subclass of psycopg's, to attach the
connection's time zone; subclassing leaves psycopg's C implementation behind, and parsing in
Python cost ~5 µs a value: 3 ms of a 100-entry page's 20 (cProfile, `_load_iso`). The loader
here keeps Django's contract (a `timezone` attribute, aware datetimes in UTC, the zone Django
sets on every connection) and hands each value to the C loader.
"""

from datetime import UTC, datetime
from typing import Any

import psycopg
from django.db.backends.base.base import BaseDatabaseWrapper
from psycopg.abc import AdaptContext
from psycopg.pq import Format
from psycopg.types.datetime import TimestamptzLoader

# psycopg's own choice for timestamptz: the C class when psycopg[binary] is installed.
TIMESTAMPTZ = psycopg.postgres.types["timestamptz"].oid
CTimestamptzLoader = psycopg.adapters.get_loader(TIMESTAMPTZ, Format.TEXT)


class UTCTimestamptzLoader(TimestamptzLoader):
    timezone = UTC  # what Django's cursors compare with their connection's zone

    def __init__(self, oid: int, context: AdaptContext | None = None) -> None:
        super().__init__(oid, context)
        assert CTimestamptzLoader is not None
        self._load = CTimestamptzLoader(oid, context).load

    def load(self, data: Any) -> datetime:
        value: datetime = self._load(data)
        return value if value.tzinfo is UTC else value.astimezone(UTC)


def use_c_timestamps(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """`connection_created` receiver, for PostgreSQL connections in UTC."""
    if CTimestamptzLoader in (None, TimestamptzLoader) or connection.vendor != "postgresql":
        return
    if getattr(connection, "timezone", None) != UTC:
        return
    connection.connection.adapters.register_loader("timestamptz", UTCTimestamptzLoader)
