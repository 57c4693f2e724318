"""Exports streamed by COPY: the same bytes the Python writer gave, every filter applied, a
constant number of queries, and a connection still usable after a client leaves mid-stream."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from psycopg.pq import TransactionStatus
from rest_framework.test import APIClient, APIRequestFactory, force_authenticate

from actors.api.views import ActorViewSet, StanceViewSet, TopicViewSet
from actors.models import Topic
from api_project.rest.export import CSVRenderer, NDJSONRenderer
from api_project.rest.views import RecordViewSet
from events.api.views import EntryViewSet, EventViewSet, SourceViewSet
from events.models import Entry
from tests.factories import EntryFactory, EventFactory, StanceFactory

RESOURCES: dict[str, type[RecordViewSet]] = {
    "entries": EntryViewSet,
    "events": EventViewSet,
    "sources": SourceViewSet,
    "actors": ActorViewSet,
    "topics": TopicViewSet,
    "stances": StanceViewSet,
}
BULK_ROWS = 1000
LONG_TEXT = 'Words, words and "words".\n' * 800
SEED_EVENT = "coalition-of-the-willing-summit-2025-09-04"
AWKWARD = [
    'A "quoted" word, a comma; and a semicolon',
    "Two lines\nand a Windows one\r\nand a lone CR\rhere",
    "Ünïcödé — 日本語 — emoji 🎉 and a right-to-left مرحبا",
    "Backslashes \\ \\n \\. and tabs\tand controls \x01 \x02 \x1f",
    "  leading and trailing spaces  ",
    '"',
    '{"looks": ["like", "json"]}',
]


def _export(client: APIClient, resource: str, params: dict[str, str]) -> bytes:
    response = client.get(f"/api/v1/{resource}/", params)
    assert response.status_code == 200
    assert response.streaming
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def _rows_the_view_exports(
    resource: str, params: dict[str, str], user: User | AnonymousUser
) -> list[dict[str, Any]]:
    """The `.values()` rows the list's own filters, ordering and visibility rules select."""
    request = APIRequestFactory().get(f"/api/v1/{resource}/", params)
    force_authenticate(request, user=user)
    view = RESOURCES[resource](action_map={"get": "list"}, format_kwarg=None, args=(), kwargs={})
    view.request = view.initialize_request(request)
    queryset: QuerySet[Any] = view.export_rows(view.filter_queryset(view.get_queryset()))
    return list(queryset)


def _python_csv(rows: list[dict[str, Any]]) -> bytes:
    """What `csv.writer` made of the rows before COPY wrote them."""
    return CSVRenderer().render(rows)


def _python_ndjson(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in NDJSONRenderer().render(rows).decode().splitlines()]


def _ndjson(body: bytes) -> list[dict[str, Any]]:
    assert body.endswith(b"\n") or not body
    return [json.loads(line) for line in body.split(b"\n")[:-1]]


def _csv(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode(), newline="")))


@pytest.mark.django_db
@pytest.mark.parametrize("resource", RESOURCES)
def test_csv_is_what_the_python_writer_gave_for_the_seed(api: APIClient, resource: str) -> None:
    expected = _python_csv(_rows_the_view_exports(resource, {}, AnonymousUser()))
    assert expected.count(b"\r\n") > 1
    assert _export(api, resource, {"format": "csv"}) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("resource", RESOURCES)
def test_ndjson_parses_to_the_python_writers_objects(api: APIClient, resource: str) -> None:
    expected = _python_ndjson(_rows_the_view_exports(resource, {}, AnonymousUser()))
    lines = _ndjson(_export(api, resource, {"format": "ndjson"}))
    assert lines == expected
    assert [list(line) for line in lines] == [list(line) for line in expected]


@pytest.mark.django_db
def test_stances_are_exported_as_each_viewer_may_see_them(api: APIClient, editor: User) -> None:
    StanceFactory.create(status="proposed", summary="Not verified yet.")
    editor_api = APIClient()
    editor_api.force_authenticate(editor)
    public = _rows_the_view_exports("stances", {}, AnonymousUser())
    every = _rows_the_view_exports("stances", {}, editor)
    assert len(public) < len(every)
    assert _export(api, "stances", {"format": "csv"}) == _python_csv(public)
    assert _export(editor_api, "stances", {"format": "csv"}) == _python_csv(every)


@pytest.mark.django_db
@pytest.mark.parametrize("microsecond", [0, 1, 120000, 999999])
def test_timestamps_read_as_isoformat_gives_them(api: APIClient, microsecond: int) -> None:
    event = EventFactory.create()
    EntryFactory.create(
        event=event, published_at=datetime(2025, 3, 1, 9, 5, 7, microsecond, tzinfo=UTC)
    )
    entry = Entry.objects.get(event=event)
    params = {"event": event.slug}
    [row] = _csv(_export(api, "entries", {**params, "format": "csv"}))
    [line] = _ndjson(_export(api, "entries", {**params, "format": "ndjson"}))
    assert row["published_at"] == line["published_at"] == entry.published_at.isoformat()
    assert row["updated_at"] == line["updated_at"] == entry.updated_at.isoformat()


@pytest.mark.django_db
def test_awkward_text_round_trips_through_both_formats(api: APIClient) -> None:
    event = EventFactory.create()
    for order, text in enumerate(AWKWARD, start=1):
        EntryFactory.create(event=event, order=order, body=text, headline=text[:40], credit="")
    params = {"event": event.slug}
    exported = _export(api, "entries", {**params, "format": "csv"})
    assert exported == _python_csv(_rows_the_view_exports("entries", params, AnonymousUser()))
    rows = _csv(exported)
    lines = _ndjson(_export(api, "entries", {**params, "format": "ndjson"}))
    assert [row["body"] for row in rows] == [line["body"] for line in lines] == AWKWARD
    assert {row["credit"] for row in rows} == {""}


@pytest.mark.django_db
def test_an_empty_export_is_the_header_alone(api: APIClient) -> None:
    params = {"event": EventFactory.create().slug}
    columns = "id,published_at,order,headline,body,credit,status,updated_at,event,sources,actors"
    assert _export(api, "entries", {**params, "format": "csv"}) == f"{columns}\r\n".encode()
    assert _export(api, "entries", {**params, "format": "ndjson"}) == b""


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"event": SEED_EVENT},
        {"status": "corrected"},
        {"event": SEED_EVENT, "q": 'Trump\'s "coalition"'},
        {"q": "troops -100%"},
        {"published_after": "2025-09-04T16:00:00Z", "ordering": "-published_at"},
    ],
)
def test_an_export_holds_only_the_rows_the_filters_select(
    api: APIClient, params: dict[str, str]
) -> None:
    Entry.objects.filter(order=3).update(status="corrected")
    EntryFactory.create(event=EventFactory.create(), status="corrected")
    expected = _rows_the_view_exports("entries", params, AnonymousUser())
    exported = _csv(_export(api, "entries", {**params, "format": "csv"}))
    assert [int(row["id"]) for row in exported] == [row["id"] for row in expected]
    assert 0 < len(exported) < Entry.objects.count()


def _export_queries(api: APIClient, params: dict[str, str]) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        _export(api, "entries", {**params, "format": "csv"})
    return [query["sql"] for query in captured]


@pytest.mark.django_db
def test_an_export_takes_the_same_few_queries_at_any_size(api: APIClient) -> None:
    small, large = EventFactory.create(), EventFactory.create()
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for index in range(30):
        event = small if index < 2 else large
        EntryFactory.create(event=event, published_at=start + timedelta(minutes=index))
    queries = _export_queries(api, {"event": small.slug})
    assert len(queries) == len(_export_queries(api, {"event": large.slug}))
    # Last-Modified's data version, the COPY, and the savepoint the test's transaction needs.
    assert len(queries) <= 4
    assert sum(sql.startswith("COPY") for sql in queries) == 1


def _large_export() -> str:
    """Topics for an export of some 20 MB: more than the socket buffers hold, so the COPY is
    still running when the client leaves. Returns the `q` that selects them."""
    Topic.objects.bulk_create(
        Topic(slug=f"bulk-{index}", title=f"Bulk {index}", description=LONG_TEXT)
        for index in range(BULK_ROWS)
    )
    return "Bulk "


def _first_chunk(response: Any) -> None:
    chunks = iter(response.streaming_content)
    assert next(chunks).startswith(b"slug,title,description,updated_at\r\n")


@pytest.mark.django_db
def test_leaving_mid_stream_in_a_transaction_keeps_the_connection_usable() -> None:
    """Inside the test's transaction the cancelled COPY must not abort it. The view is called
    without the test client, whose close would hand the connection back to the pool."""
    query = _large_export()
    raw = connection.connection
    request = APIRequestFactory().get("/api/v1/topics/", {"q": query, "format": "csv"})
    response = TopicViewSet.as_view({"get": "list"})(request)
    _first_chunk(response)
    request_finished.disconnect(close_old_connections)
    try:
        response.close()  # what the WSGI server does when the client goes away
    finally:
        request_finished.connect(close_old_connections)
    assert connection.connection is raw
    assert Topic.objects.filter(title__startswith=query).count() == BULK_ROWS


@pytest.mark.django_db(transaction=True)
def test_leaving_mid_stream_returns_an_idle_connection_to_the_pool(api: APIClient) -> None:
    """Autocommit, as in production: the request's connection goes back to the pool when the
    response is closed, and must go back idle, not in the middle of a COPY."""
    query = _large_export()
    raw = connection.connection
    pool: Any = connection.pool  # type: ignore[attr-defined]
    returned_bad = pool.get_stats().get("returns_bad", 0)
    response = api.get("/api/v1/topics/", {"q": query, "format": "csv"})
    _first_chunk(response)
    response.close()
    assert pool.get_stats().get("returns_bad", 0) == returned_bad
    assert raw.info.transaction_status == TransactionStatus.IDLE
    assert Topic.objects.filter(title__startswith=query).count() == BULK_ROWS
