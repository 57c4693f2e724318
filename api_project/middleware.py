"""Requests the application must refuse before any view runs, and outages it must explain."""

import time
from collections.abc import Callable

import psycopg
from django.db import DatabaseError, Error, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from psycopg import errors
from psycopg_pool import PoolTimeout

RETRY_AFTER_SECONDS = 5
UNAVAILABLE_DETAIL = "The database is unavailable. Try again shortly."
# After a request waited out the pool's timeout, this worker answers 503 at once for this long.
SHORT_CIRCUIT_SECONDS = 1.0


def problem_response(status: int, title: str, detail: str) -> JsonResponse:
    return JsonResponse(
        {"type": "about:blank", "title": title, "status": status, "detail": detail},
        status=status,
        content_type="application/problem+json",
    )


class RejectNulMiddleware:
    """A NUL character in the path or query string is a 400: PostgreSQL text cannot hold one,
    so letting it through would end as a database error."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = "".join(f"{key}{value}" for key, values in request.GET.lists() for value in values)
        if "\x00" in request.path or "\x00" in query:
            return problem_response(400, "Bad Request", "NUL characters are not allowed.")
        return self.get_response(request)


def database_unavailable(exception: BaseException | None) -> bool:
    """Whether the database, not the request, is why `exception` was raised: the one rule for
    REST (below) and GraphQL (api_project/graphql/errors.py). Asked while the request's
    connection is still as the error left it.

    OperationalError is psycopg's family for a server that cannot do the work now: a pool
    timeout or a refused connection, a restart (57P01 admin_shutdown, 57P03
    cannot_connect_now), a full disk (53100 disk_full). A read-only server (a hot standby,
    `default_transaction_read_only`) refuses writes with 25006, which psycopg files under
    InternalError, with the errors of a broken transaction that are bugs; so it is named.
    """
    # The driver's own errors too, for code that talks to it directly (a pipeline, COPY).
    if isinstance(exception, OperationalError | psycopg.OperationalError):
        return True
    if isinstance(exception, DatabaseError) and isinstance(
        exception.__cause__, errors.ReadOnlySqlTransaction
    ):
        return True
    # Whatever the driver called it, an error that left the connection lost came from the
    # network or the server: a connection cut mid-reply can surface as an InternalError
    # ("received 0 results") or an InterfaceError, and a later query of the same request as
    # Django's refusal to reconnect inside a transaction.
    return isinstance(exception, Error | psycopg.Error) and _connection_lost()


def _connection_lost() -> bool:
    raw = connection.connection
    return raw is None or bool(raw.closed or raw.broken)


class _Outage:
    """When this process last found the database unreachable.

    A sync worker serves one request at a time: while the database is unreachable each request
    waits the pool's timeout (3 s) for a connection, so the tenth in the worker's queue would
    wait thirty. After one such wait, the requests of the next second are refused at once;
    the first after it tries the pool again, so the service comes back by itself.
    """

    until = 0.0

    @classmethod
    def note(cls, exception: BaseException | None) -> None:
        if isinstance(exception, OperationalError) and isinstance(exception.__cause__, PoolTimeout):
            cls.until = time.monotonic() + SHORT_CIRCUIT_SECONDS

    @classmethod
    def ongoing(cls) -> bool:
        return time.monotonic() < cls.until


def note_outage(exception: BaseException | None) -> None:
    """Called wherever a database error is turned into a 503 (here and in GraphQL)."""
    _Outage.note(exception)


def unavailable_response() -> JsonResponse:
    response = problem_response(503, "Service Unavailable", UNAVAILABLE_DETAIL)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """An outage of the database (unreachable, restarting, read-only, out of disk) is a 503
    the client should wait out, never a 500 or a hang."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _Outage.ongoing():
            return unavailable_response()
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not database_unavailable(exception):
            return None
        note_outage(exception)
        return unavailable_response()
