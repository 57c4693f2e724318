"""Outages of the database are answered with 503 and Retry-After, and recovered from."""

import pytest
from django.db import connection

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
