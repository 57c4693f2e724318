"""`manage.py backup` and `restore` round-trip the record: a fresh database restored from the
backup answers every export exactly as the original did, and holds every row of every table,
the audit trail included."""

import base64
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from psycopg import sql
from rest_framework.test import APIClient

from tests.api_project.servers import ROOT, UNTHROTTLED, database_url_for_subprocess, send, server
from tests.graphql import data
from tests.tokens import token_for

pytestmark = pytest.mark.django_db(transaction=True)

EVENT = "coalition-of-the-willing-summit-2025-09-04"
LISTS = ["events", "entries", "sources", "actors", "topics", "stances", "citations", "mentions"]
EXPORTS = [
    *(
        f"/api/v1/{name}/export.{kind}/"
        for name in [*LISTS, "changes"]
        for kind in ("csv", "ndjson")
    ),
    "/api/v1/topics/troops-to-ukraine/matrix/?as_of=2025-09-04T16:20:00Z&format=csv",
    "/api/v1/actors/finland/timeline/?format=ndjson",
]
TABLES = """SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND n.nspname = 'public' ORDER BY c.relname"""


def _edit(editor_api: APIClient) -> None:
    """Edits of several kinds, so that the audit trail has updates and deletes to keep."""
    entry = editor_api.get(f"/api/v1/entries/?event={EVENT}&limit=1").json()["results"][0]
    edited = editor_api.patch(
        f"/api/v1/entries/{entry['id']}/", {"credit": "Restored, AFP"}, format="json"
    )
    source = {"slug": "backup-wire", "name": "Backup Wire", "kind": "newspaper"}
    created = editor_api.post("/api/v1/sources/", source, format="json")
    deleted = editor_api.delete("/api/v1/sources/backup-wire/")
    assert (edited.status_code, created.status_code, deleted.status_code) == (200, 201, 204)
    stances = [
        editor_api.post(
            "/api/v1/stances/",
            {
                "actor": "finland",
                "topic": "troops-to-ukraine",
                "position": "undecided",
                "kind": "statement",
                "summary": summary,
                "evidence_event": EVENT,
                "source": "rt",
                "valid_from": valid_from,
            },
            format="json",
        )
        for summary, valid_from in (
            ("Weighing it up.", "2030-01-01T00:00:00Z"),
            ("Still proposed.", "2031-01-01T00:00:00Z"),
        )
    ]
    assert [stance.status_code for stance in stances] == [201, 201]
    verified = base64.b64encode(f"Stance:{stances[0].json()['id']}".encode()).decode()
    data(
        editor_api, "mutation($id: ID!) { verifyStance(id: $id) { __typename } }", {"id": verified}
    )


def _row_counts(url: str) -> dict[str, int]:
    """Rows of every table of the database at `url`."""
    with psycopg.connect(url) as conn:
        counts = {}
        for (table,) in conn.execute(TABLES).fetchall():
            query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            (counts[table],) = conn.execute(query).fetchone() or (None,)
        return counts


def _exports(base: str, token: str) -> dict[str, bytes]:
    """Every export, as an anonymous reader and as an editor (who sees unverified stances)."""
    found = {}
    for path in EXPORTS:
        for viewer, headers in (("anonymous", {}), ("editor", {"Authorization": f"Token {token}"})):
            status, _, body = send("GET", f"{base}{path}", headers=headers)
            assert status == 200, (path, body[:200])
            found[f"{viewer} {path}"] = body
    return found


def _statement(template: str, name: str) -> str:
    return sql.SQL(template).format(sql.Identifier(name)).as_string(connection.connection)


@pytest.fixture
def fresh_database() -> Iterator[str]:
    """An empty database beside the test database, on the same server; its name."""
    name = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(_statement("DROP DATABASE IF EXISTS {}", name))
        cursor.execute(_statement("CREATE DATABASE {}", name))
    try:
        yield name
    finally:
        with connection.cursor() as cursor:
            cursor.execute(_statement("DROP DATABASE {} WITH (FORCE)", name))


def _restore(url: str, *options: str) -> subprocess.CompletedProcess[str]:
    """`manage.py restore` as an operator runs it, against the database at `url`."""
    return subprocess.run(
        [sys.executable, "manage.py", "restore", *options],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_backup_restored_into_a_fresh_database_answers_every_export_alike(
    editor: User, fresh_database: str, tmp_path: Path
) -> None:
    call_command("load_seed", verbosity=0)  # idempotent; earlier transactional tests flush
    token = token_for(editor)
    editor_api = APIClient()
    editor_api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    _edit(editor_api)
    backup = tmp_path / "chronicle.dump"
    call_command("backup", file=backup, stdout=io.StringIO())
    restored_url = database_url_for_subprocess(fresh_database)

    restored = _restore(restored_url, "--file", str(backup))
    assert restored.returncode == 0, restored.stderr
    again = _restore(restored_url, "--file", str(backup))
    assert again.returncode != 0
    assert "is not empty" in again.stderr

    original_url = database_url_for_subprocess()
    with server({"DATABASE_URL": original_url, **UNTHROTTLED}) as started:
        before = _exports(started.url, token)
    with server({"DATABASE_URL": restored_url, **UNTHROTTLED}) as started:
        after = _exports(started.url, token)
    assert set(after) == set(before)
    assert [path for path in before if after[path] != before[path]] == []
    assert b"Restored, AFP" in before["anonymous /api/v1/entries/export.csv/"]
    assert b"Still proposed." in before["editor /api/v1/stances/export.ndjson/"]
    assert b"Still proposed." not in before["anonymous /api/v1/stances/export.ndjson/"]

    counts = _row_counts(original_url)
    assert _row_counts(restored_url) == counts
    assert counts["events_sourceevent"] >= 2  # the source's insert and delete, kept
    assert counts["core_accesstoken"] >= 1


def test_restore_refuses_a_missing_backup() -> None:
    with pytest.raises(CommandError, match="No backup at"):
        call_command("restore", file=Path("/nonexistent/chronicle.dump"))
