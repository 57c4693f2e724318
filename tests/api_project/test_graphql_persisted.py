"""Documents named by hash or id: Apollo's automatic persisted queries, and the trusted-documents
mode with documents registered by `manage.py register_documents`."""

import hashlib
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from rest_framework.test import APIClient

from core import persisted
from core.models import PersistedDocument

pytestmark = pytest.mark.django_db
TOPICS = "query Topics { topics { totalCount } }"
TOPICS_SHA256 = hashlib.sha256(TOPICS.encode()).hexdigest()
EVENTS = "query Events { events { totalCount } }"


@pytest.fixture(autouse=True)
def _forgotten() -> Iterator[None]:
    caches["persisted_queries"].clear()
    persisted.forget()
    yield
    persisted.forget()


def apq(sha256: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha256}}


def post(client: APIClient, body: Any, accept: str = "application/json") -> Any:
    return client.post(
        "/graphql/", json.dumps(body), content_type="application/json", HTTP_ACCEPT=accept
    )


def documents_file(tmp_path: Path, documents: dict[str, str], name: str = "docs.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(documents))
    return path


# Automatic persisted queries


def test_an_unknown_hash_is_persisted_query_not_found(api: APIClient) -> None:
    response = post(api, {"extensions": apq(TOPICS_SHA256)})
    assert response.status_code == 200
    (error,) = response.json()["errors"]
    assert error["message"] == "PersistedQueryNotFound"
    assert error["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    strict = post(api, {"extensions": apq(TOPICS_SHA256)}, "application/graphql-response+json")
    assert strict.status_code == 400
    assert "data" not in strict.json()


def test_the_text_is_kept_under_its_hash_then_the_hash_runs_alone(api: APIClient) -> None:
    first = post(api, {"query": TOPICS, "extensions": apq(TOPICS_SHA256)})
    assert first.json() == {"data": {"topics": {"totalCount": 11}}}
    again = post(api, {"extensions": apq(TOPICS_SHA256), "operationName": "Topics"})
    assert again.json() == {"data": {"topics": {"totalCount": 11}}}
    over_get = api.get("/graphql/", {"extensions": json.dumps(apq(TOPICS_SHA256))})
    assert over_get.status_code == 200
    assert over_get.json() == {"data": {"topics": {"totalCount": 11}}}
    assert over_get["Cache-Control"]


def test_persisted_query_not_found_over_get_is_never_kept(api: APIClient) -> None:
    """It says what this worker remembers, not what the data is: with public caching and a
    Last-Modified, a revalidation by date was a 304 after the text was registered, and the
    cache went on answering PersistedQueryNotFound."""
    time.sleep(1.05)  # Last-Modified is only sent once the second of the last write is over.
    params = {"extensions": json.dumps(apq(TOPICS_SHA256))}
    missing = api.get("/graphql/", params)
    assert missing.json()["errors"][0]["message"] == "PersistedQueryNotFound"
    assert missing["Cache-Control"] == "no-store"
    assert not missing.has_header("Last-Modified")
    post(api, {"query": TOPICS, "extensions": apq(TOPICS_SHA256)})
    found = api.get("/graphql/", params)
    assert found.json() == {"data": {"topics": {"totalCount": 11}}}
    revalidated = api.get("/graphql/", params, HTTP_IF_MODIFIED_SINCE=found["Last-Modified"])
    assert revalidated.status_code == 304


def test_a_text_that_is_not_its_hash_is_refused_and_not_kept(api: APIClient) -> None:
    response = post(api, {"query": EVENTS, "extensions": apq(TOPICS_SHA256)})
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "provided sha does not match query"
    assert post(api, {"extensions": apq(TOPICS_SHA256)}).json()["errors"][0]["message"] == (
        "PersistedQueryNotFound"
    )


@pytest.mark.parametrize(
    "extension",
    [
        {"persistedQuery": {"version": 2, "sha256Hash": TOPICS_SHA256}},
        {"persistedQuery": {"version": 1, "sha256Hash": "abc"}},
        {"persistedQuery": "x"},
    ],
    ids=["version", "hash", "shape"],
)
def test_a_malformed_persisted_query_is_a_400(api: APIClient, extension: dict[str, Any]) -> None:
    response = post(api, {"extensions": extension})
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"]


def test_a_text_that_cannot_run_is_not_kept(api: APIClient) -> None:
    junk = "this is not graphql"
    sha256 = hashlib.sha256(junk.encode()).hexdigest()
    assert "errors" in post(api, {"query": junk, "extensions": apq(sha256)}).json()
    again = post(api, {"extensions": apq(sha256)}).json()
    assert again["errors"][0]["message"] == "PersistedQueryNotFound"


def test_apq_in_a_batch(api: APIClient) -> None:
    batch = [
        {"extensions": apq(TOPICS_SHA256)},
        {"query": TOPICS, "extensions": apq(TOPICS_SHA256)},
    ]
    missing, ran = post(api, batch).json()
    assert missing["errors"][0]["message"] == "PersistedQueryNotFound"
    assert ran == {"data": {"topics": {"totalCount": 11}}}


# register_documents


def test_documents_are_registered_idempotently(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    md5 = hashlib.md5(EVENTS.encode(), usedforsecurity=False).hexdigest()
    relay = documents_file(tmp_path, {md5: EVENTS}, "relay.json")
    codegen = documents_file(tmp_path, {TOPICS_SHA256: TOPICS}, "persisted-documents.json")
    call_command("register_documents", str(relay), str(codegen))
    assert "2 document(s) registered, 0 already registered" in capsys.readouterr().out
    call_command("register_documents", str(relay), str(codegen))
    assert "0 document(s) registered, 2 already registered" in capsys.readouterr().out
    stored = PersistedDocument.objects.get(pk=md5)
    assert stored.text == EVENTS
    assert stored.sha256 == hashlib.sha256(EVENTS.encode()).hexdigest()


@pytest.mark.parametrize(
    ("documents", "message"),
    [
        ({"0" * 64: TOPICS}, "is not the hash of its document"),
        ({"0" * 32: TOPICS}, "is not the hash of its document"),
        ({"opaque-id": "query {"}, "does not parse"),
        ({"ok": 5}, "expected one JSON object"),
        ({"a\x00b": TOPICS}, "NUL"),  # PostgreSQL's DataError, a traceback, before
    ],
    ids=["sha256", "md5", "syntax", "shape", "nul"],
)
def test_a_bad_file_registers_nothing(
    tmp_path: Path, documents: dict[str, Any], message: str
) -> None:
    good = documents_file(tmp_path, {TOPICS_SHA256: TOPICS}, "good.json")
    bad = documents_file(tmp_path, documents, "bad.json")
    with pytest.raises(CommandError, match=message):
        call_command("register_documents", str(good), str(bad))
    assert not PersistedDocument.objects.exists()


def test_an_id_is_never_given_another_text(tmp_path: Path) -> None:
    call_command("register_documents", str(documents_file(tmp_path, {"events": EVENTS})))
    changed = documents_file(tmp_path, {"events": TOPICS, TOPICS_SHA256: TOPICS}, "changed.json")
    with pytest.raises(CommandError, match="already registered with another document"):
        call_command("register_documents", str(changed))
    assert list(PersistedDocument.objects.values_list("id", "text")) == [("events", EVENTS)]


def test_an_unreadable_file_is_a_command_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="not a readable JSON file"):
        call_command("register_documents", str(tmp_path / "missing.json"))


# Trusted documents


@pytest.fixture
def registered(tmp_path: Path) -> str:
    md5 = hashlib.md5(EVENTS.encode(), usedforsecurity=False).hexdigest()
    call_command(
        "register_documents", str(documents_file(tmp_path, {md5: EVENTS, TOPICS_SHA256: TOPICS}))
    )
    return md5


@override_settings(GRAPHQL_TRUSTED_DOCUMENTS=True)
def test_trusted_mode_runs_registered_documents_by_id(api: APIClient, registered: str) -> None:
    events = {"data": {"events": {"totalCount": 1}}}
    topics = {"data": {"topics": {"totalCount": 11}}}
    assert post(api, {"doc_id": registered, "variables": {}}).json() == events  # Relay
    assert post(api, {"documentId": TOPICS_SHA256}).json() == topics  # graphql-codegen
    assert post(api, {"documentId": f"sha256:{TOPICS_SHA256}"}).json() == topics
    assert post(api, {"extensions": apq(TOPICS_SHA256)}).json() == topics  # Apollo
    assert api.get("/graphql/", {"documentId": registered}).json() == events
    assert post(api, {"documentId": None, "doc_id": registered}).json() == events
    assert post(api, {"documentId": f"sha256:{TOPICS_SHA256.upper()}"}).json() == topics


@override_settings(GRAPHQL_TRUSTED_DOCUMENTS=True)
def test_trusted_mode_refuses_text_and_unregistered_ids(api: APIClient, registered: str) -> None:
    raw = post(api, {"query": EVENTS})
    assert raw.status_code == 400
    assert "only registered documents" in raw.json()["errors"][0]["message"]
    assert raw.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_ONLY"
    unknown = post(api, {"documentId": "f" * 64})
    assert unknown.status_code == 400
    assert "No document is registered" in unknown.json()["errors"][0]["message"]
    other = "query Other { topics { totalCount } }"
    other_hash = hashlib.sha256(other.encode()).hexdigest()
    not_found = post(api, {"extensions": apq(other_hash)})
    assert not_found.json()["errors"][0]["message"] == "PersistedQueryNotFound"
    assert not_found.status_code == 400  # the text would be refused too: a client error
    resent = post(api, {"query": other, "extensions": apq(other_hash)})
    assert resent.status_code == 400
    assert "only registered documents" in resent.json()["errors"][0]["message"]


def test_registered_documents_run_by_id_outside_trusted_mode_too(
    api: APIClient, registered: str
) -> None:
    assert post(api, {"doc_id": registered}).json() == {"data": {"events": {"totalCount": 1}}}
    assert post(api, {"query": EVENTS}).json() == {"data": {"events": {"totalCount": 1}}}
