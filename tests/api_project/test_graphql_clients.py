"""/graphql/ against other people's clients and test suites, on the production server (gunicorn,
DEBUG=0): the graphql-http audit, Apollo's and urql's automatic persisted queries, and the
persisted documents relay-compiler and graphql-codegen write, run in trusted-documents mode."""

import json
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from .servers import ROOT, database_url_for_subprocess, gunicorn

pytestmark = pytest.mark.django_db
CLIENTS = ROOT / "tests" / "clients"
BIN = CLIENTS / "node_modules" / ".bin"
EVENT = "coalition-of-the-willing-summit-2025-09-04"


def node(script: str, *args: str) -> Any:
    finished = subprocess.run(
        ["node", script, *args], cwd=CLIENTS, capture_output=True, text=True, timeout=180
    )
    assert finished.returncode == 0, finished.stderr
    return json.loads(finished.stdout)


def post(url: str, body: Any) -> tuple[int, Any]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/graphql-response+json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture(scope="module")
def server(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    with django_db_blocker.unblock():
        url = database_url_for_subprocess()
    with gunicorn({"DATABASE_URL": url}) as base:
        yield f"{base}/graphql/"


def test_the_graphql_http_audit_passes_every_must_and_should(server: str) -> None:
    report = node("graphql-http-audit.mjs", server)
    failed = [f"{a['id']} {a['name']}: {a.get('reason')}" for a in report["warn"] + report["error"]]
    print("graphql-http audits failed:", *failed, sep="\n  ")
    assert failed == []
    assert len(report["ok"]) >= 50


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (b'{"query": "{ __typename }", "pad": "' + b"x" * 5_000_000 + b'"}', 413, "too large"),
        (
            b'{"query": "{ __typename }", "variables": {"a": '
            + b"[" * 50_000
            + b"]" * 50_000
            + b"}}",
            400,
            "nested deeper",
        ),
        (b'{"query": "{ __typename }", "x": "\xff"}', 400, "not UTF-8"),
        (b'{"query": "{ __typename }", "x": "\\u0000"}', 400, "NUL"),
    ],
    ids=["5MB", "deep", "not-utf8", "nul"],
)
def test_hostile_bodies_are_json_4xx_on_the_production_server(
    server: str, tmp_path: Path, body: bytes, status: int, message: str
) -> None:
    """curl, as a script would send them (it waits for `100 Continue` before a large body)."""
    sent, answer = tmp_path / "body.json", tmp_path / "answer.json"
    sent.write_bytes(body)
    finished = subprocess.run(
        ["curl", "-sS", "-o", str(answer), "-w", "%{http_code} %{content_type}",
         "-H", "Content-Type: application/json", "--data-binary", f"@{sent}", server],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout == f"{status} application/json; charset=utf-8"
    assert message in json.loads(answer.read_bytes())["errors"][0]["message"]


def test_apollo_and_urql_persisted_queries(server: str) -> None:
    report = node("apq-clients.mjs", server)
    apollo = report["apollo"]
    assert apollo["data"] == [11, 11]
    first, resent, *later = apollo["requests"]
    # The hash alone, over GET; PersistedQueryNotFound; then the text with its hash, over POST.
    assert (first["method"], bool(first["hash"]), first["hasQuery"]) == ("GET", True, False)
    assert first["firstError"] == "PersistedQueryNotFound"
    assert (resent["method"], resent["hasQuery"], resent["status"]) == ("POST", True, 200)
    # A second client: the server knows the hash now, so the GET alone is answered.
    assert later == [
        {
            "method": "GET",
            "hash": first["hash"],
            "hasQuery": False,
            "status": 200,
            "firstError": None,
        }
    ]
    # Refusals reach Apollo's error with the server's message, not just a status code.
    assert report["apolloErrors"] == {
        "transport": {"status": 400, "message": "JSON nested deeper than 32 levels."},
        "request": "Argument 'first' cannot be higher than 100.",
    }
    urql = report["urql"]
    assert urql["data"] == [1, 1]
    assert urql["requests"][0]["firstError"] == "PersistedQueryNotFound"
    assert urql["requests"][1]["hasQuery"]
    assert urql["requests"][-1] == {
        "method": "GET",
        "hash": urql["requests"][0]["hash"],
        "hasQuery": False,
        "status": 200,
        "firstError": None,
    }


RELAY_QUERY = """import { graphql } from "react-relay";
export const eventPage = graphql`
  query eventPageQuery($slug: String!) {
    event(slug: $slug) { id title entries(first: 2) { edges { node { id publishedAt } } } }
  }
`;
"""
CODEGEN_QUERY = """import { graphql } from "./gql";
export const topics = graphql(`
  query CodegenTopics { topics(first: 2) { totalCount edges { node { id slug } } } }
`);
"""


def relay_documents(directory: Path) -> Path:
    """relay-compiler over schema.graphql, with `persistConfig` writing the local file."""
    (directory / "src").mkdir()
    (directory / "generated").mkdir()
    (directory / "src" / "eventPage.js").write_text(RELAY_QUERY)
    persisted = directory / "persisted_queries.json"
    persisted.write_text("{}")
    config = {
        "src": "./src",
        "schema": str(ROOT / "schema.graphql"),
        "language": "javascript",
        "artifactDirectory": "./generated",
        "persistConfig": {"file": "./persisted_queries.json", "algorithm": "MD5"},
    }
    (directory / "relay.config.json").write_text(json.dumps(config))
    finished = subprocess.run(
        [str(BIN / "relay-compiler")], cwd=directory, capture_output=True, text=True, timeout=120
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    return persisted


def codegen_documents(directory: Path, algorithm: str) -> Path:
    """graphql-codegen's client preset with `persistedDocuments`."""
    (directory / "queries.ts").write_text(CODEGEN_QUERY)
    output = directory / "gql"
    config = {
        "schema": str(ROOT / "schema.graphql"),
        "documents": [str(directory / "queries.ts")],
        "generates": {
            f"{output}/": {
                "preset": "client",
                "presetConfig": {"persistedDocuments": {"hashAlgorithm": algorithm}},
            }
        },
    }
    (directory / "codegen.json").write_text(json.dumps(config))
    finished = subprocess.run(
        [str(BIN / "graphql-codegen"), "--config", str(directory / "codegen.json")],
        cwd=CLIENTS,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    return output / "persisted-documents.json"


@pytest.fixture
def registered_files(tmp_path: Path, django_db_blocker: Any) -> Iterator[list[Path]]:
    """The clients' files, registered by the command in its own process (so committed, as in
    a deployment); the rows are removed afterwards."""
    relay_dir, sha1_dir, sha256_dir = (tmp_path / name for name in ("relay", "sha1", "sha256"))
    for directory in (relay_dir, sha1_dir, sha256_dir):
        directory.mkdir()
    files = [
        relay_documents(relay_dir),
        codegen_documents(sha1_dir, "sha1"),
        codegen_documents(sha256_dir, "sha256"),
    ]
    with django_db_blocker.unblock():
        url = database_url_for_subprocess()
    command = [sys.executable, "manage.py", "register_documents", *map(str, files)]
    env = {"DATABASE_URL": url, "PATH": "/usr/bin:/bin"}
    try:
        for expected in ("3 document(s) registered, 0", "0 document(s) registered, 3"):
            finished = subprocess.run(
                command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
            )
            assert finished.returncode == 0, finished.stderr
            assert expected in finished.stdout
        yield files
    finally:
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("DELETE FROM core_persisteddocument")


def test_relay_and_codegen_documents_run_by_id_in_trusted_mode(
    registered_files: list[Path], django_db_blocker: Any
) -> None:
    relay, sha1, sha256 = (json.loads(path.read_text()) for path in registered_files)
    (relay_id,) = relay
    (sha1_id,) = sha1
    (sha256_id,) = sha256
    assert [len(relay_id), len(sha1_id), len(sha256_id)] == [32, 40, 64]
    with django_db_blocker.unblock():
        url = database_url_for_subprocess()
    with gunicorn({"DATABASE_URL": url, "GRAPHQL_TRUSTED_DOCUMENTS": "1"}) as base:
        endpoint = f"{base}/graphql/"
        # What Relay's network layer sends with persisted queries: doc_id and variables.
        status, body = post(endpoint, {"doc_id": relay_id, "variables": {"slug": EVENT}})
        assert status == 200, body
        assert len(body["data"]["event"]["entries"]["edges"]) == 2
        # What graphql-codegen's persisted documents send: documentId.
        for document_id in (sha1_id, sha256_id, f"sha256:{sha256_id}"):
            status, body = post(endpoint, {"documentId": document_id})
            assert status == 200, body
            assert body["data"]["topics"]["totalCount"] == 11
        status, body = post(endpoint, {"query": relay[relay_id], "variables": {"slug": EVENT}})
        assert status == 400
        assert "only registered documents" in body["errors"][0]["message"]
        status, body = post(endpoint, {"documentId": "0" * 64})
        assert status == 400
        assert "No document is registered" in body["errors"][0]["message"]
