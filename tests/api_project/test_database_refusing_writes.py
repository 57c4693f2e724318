"""A database that refuses writes (read-only, or out of disk): every write is a 503 with
Retry-After (problem+json over REST, DATABASE_UNAVAILABLE over GraphQL), reads are served,
and nothing is written.

Read-only is the real thing: `default_transaction_read_only` on the database, as on a hot
standby, and the server's connections cut so that the pool opens new ones (SQLSTATE 25006).
A full disk cannot be made on a shared machine, so PostgreSQL is made to answer what it answers
when it cannot extend a file (SQLSTATE 53100, disk_full) to every write of the tables written.
"""

import base64
import json
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

import pytest
from django.contrib.auth.models import User
from django.db import connection
from psycopg import sql

from actors.models import Stance
from events.models import Entry, Source
from tests.audit import audit_row_counts
from tests.factories import EntryFactory
from tests.tokens import token_for

from .servers import UNTHROTTLED, database_url_for_subprocess, send, server

pytestmark = pytest.mark.django_db(transaction=True)

WRITTEN_TABLES = ["events_entry", "events_source", "actors_stance"]


def _cut_connections() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


def _alter_database(setting: str) -> None:
    statement = sql.SQL("ALTER DATABASE {} " + setting).format(
        sql.Identifier(connection.settings_dict["NAME"])
    )
    with connection.cursor() as cursor:
        cursor.execute(statement.as_string(connection.connection))


@contextmanager
def read_only() -> Iterator[None]:
    _alter_database("SET default_transaction_read_only = on")
    try:
        _cut_connections()  # sessions read the setting when they start
        yield
    finally:
        _alter_database("RESET default_transaction_read_only")
        _cut_connections()


@contextmanager
def disk_full() -> Iterator[None]:
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION disk_full() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "RAISE EXCEPTION 'could not extend file: No space left on device' "
            "USING ERRCODE = 'disk_full'; END $$"
        )
        for table in WRITTEN_TABLES:
            cursor.execute(
                f"CREATE TRIGGER disk_full BEFORE INSERT OR UPDATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION disk_full()"
            )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP FUNCTION disk_full() CASCADE")


def _counts() -> tuple[object, ...]:
    return (
        Entry.objects.count(),
        Source.objects.count(),
        Stance.objects.count(),
        audit_row_counts(),
    )


def _gid(pk: int) -> str:
    return base64.b64encode(f"Entry:{pk}".encode()).decode()


FAULTS: dict[str, Callable[[], AbstractContextManager[None]]] = {
    "read-only": read_only,
    "disk full": disk_full,
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_writes_are_refused_with_503_and_reads_served(editor: User, fault: str) -> None:
    token, entry = token_for(editor), EntryFactory.create(credit="Before")
    editor_headers = {"Authorization": f"Token {token}"}
    event = entry.event.slug
    new_entry = {"event": event, "published_at": "2025-09-04T20:00:00Z", "order": 99, "body": "x"}
    rest_writes = [
        ("POST", "/api/v1/entries/", new_entry),
        ("PATCH", f"/api/v1/entries/{entry.pk}/", {"credit": "After"}),
        ("POST", "/api/v1/sources/", {"slug": "new", "name": "New", "kind": "newspaper"}),
    ]
    mutations = [
        (
            "mutation($data: EntryInput!) { createEntry(data: $data) { __typename } }",
            {"event": event, "publishedAt": "2025-09-04T20:00:00Z", "order": 99, "body": "x"},
        ),
        (
            "mutation($data: EntryUpdateInput!) { updateEntry(data: $data) { __typename } }",
            {"id": _gid(entry.pk), "credit": "After"},
        ),
        (
            "mutation($data: SourceInput!) { createSource(data: $data) { __typename } }",
            {"slug": "new", "name": "New", "kind": "NEWSPAPER"},
        ),
    ]
    reads = [
        f"/api/v1/entries/{entry.pk}/",
        f"/api/v1/entries/?event={event}",
        "/api/v1/entries/export.csv/",
        "/api/v1/sources/export.ndjson/",
    ]
    query = {
        "query": "query($e: String!) { event(slug: $e) { entries(first: 5) { edges { node { "
        "credit } } } } }",
        "variables": {"e": event},
    }
    env = {"DATABASE_URL": database_url_for_subprocess(), **UNTHROTTLED}
    with server(env) as started:
        before = _counts()
        with FAULTS[fault]():
            refused = [
                send(method, f"{started.url}{path}", body, editor_headers)
                for method, path, body in rest_writes
            ]
            refused_graphql = [
                send(
                    "POST",
                    f"{started.url}/graphql/",
                    {"query": q, "variables": {"data": data}},
                    editor_headers,
                )
                for q, data in mutations
            ]
            served = [send("GET", f"{started.url}{path}", headers=editor_headers) for path in reads]
            served_graphql = send("POST", f"{started.url}/graphql/", query)
        after = _counts()

    for status, headers, body in refused:
        assert (status, headers["Retry-After"]) == (503, "5"), body
        assert headers["Content-Type"] == "application/problem+json"
        assert json.loads(body)["detail"] == "The database is unavailable. Try again shortly."
    for status, headers, body in refused_graphql:
        assert (status, headers["Retry-After"]) == (503, "5"), body
        (error,) = json.loads(body)["errors"]
        assert error["extensions"]["code"] == "DATABASE_UNAVAILABLE"
        assert error["message"] == "The database is unavailable. Try again shortly."
    assert [status for status, _, _ in served] == [200] * len(reads)
    assert served_graphql[0] == 200
    assert json.loads(served_graphql[2]) == {
        "data": {"event": {"entries": {"edges": [{"node": {"credit": "Before"}}]}}}
    }
    assert after == before
    entry.refresh_from_db()
    assert entry.credit == "Before"
