"""Outages of the database are answered with 503 and Retry-After, and recovered from."""

import psycopg
import pytest
from django.db import InterfaceError, InternalError, OperationalError, connection

from api_project.middleware import database_unavailable

from .servers import database_url_for_subprocess, get, gunicorn

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_unreachable_database_answers_503_with_retry_after() -> None:
    with gunicorn({"DATABASE_URL": "postgresql://nobody@127.0.0.1:9/chronicle"}) as base:
        status, headers, body = get(f"{base}/health/")
    assert status == 503
    assert headers["Retry-After"] == "5"
    assert headers["Content-Type"] == "application/problem+json"
    assert b"database is unavailable" in body


def test_connections_broken_by_a_restart_are_replaced_without_errors() -> None:
    with gunicorn({"DATABASE_URL": database_url_for_subprocess()}) as base:
        assert get(f"{base}/health/")[0] == 200
        with connection.cursor() as cursor:
            # What a server restart does to the pool: every other session is cut off.
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            (terminated,) = cursor.fetchone()
        assert terminated >= 1
        statuses = [get(f"{base}/health/")[0] for _ in range(3)]
    assert statuses == [200, 200, 200]


def test_a_database_error_that_lost_the_connection_is_an_outage_and_others_are_not() -> None:
    """However the driver names it (an InternalError for a reply cut short, an InterfaceError),
    an error after which the connection is lost is the database's, answered 503; the same
    error on a healthy connection is a bug, answered 500."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    assert not database_unavailable(InternalError("received 0 results"))
    assert not database_unavailable(InterfaceError("the cursor is closed"))

    with psycopg.connect(database_url_for_subprocess(), autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    try:
        with pytest.raises(OperationalError), connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        assert database_unavailable(InternalError("received 0 results"))
        assert database_unavailable(InterfaceError("the cursor is closed"))
    finally:
        connection.close()


def test_a_pipelined_read_cut_off_is_an_outage() -> None:
    """The fast paths send their statements in one pipeline, the driver's own object: a
    connection cut there surfaces as Django's OperationalError, which the outage rule answers
    with a 503."""
    from api_project.statements import Ids, Statement, together
    from events.models import Source
    from tests.factories import SourceFactory

    statement = Statement.of(Source.objects.filter(pk__in_array=Ids()).values("pk", "name"))
    assert statement is not None
    ids = [SourceFactory.create().pk, SourceFactory.create().pk]
    assert together([(statement, ids), (statement, ids)])[0][1]  # served while connected

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    with psycopg.connect(database_url_for_subprocess(), autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    try:
        with pytest.raises(OperationalError) as raised:
            together([(statement, ids), (statement, ids)])
        assert database_unavailable(raised.value)
    finally:
        connection.close()


def test_the_drivers_own_errors_are_read_by_the_same_rule() -> None:
    """Code that talks to the driver directly (a pipeline's flush, COPY) can raise psycopg's
    errors rather than Django's: a connection closed under them is an outage all the same,
    and an error on a healthy connection is still a bug."""
    connection.ensure_connection()
    closed = psycopg.OperationalError("server closed the connection unexpectedly")
    assert database_unavailable(closed)
    assert not database_unavailable(psycopg.errors.InternalError("received 0 results"))
