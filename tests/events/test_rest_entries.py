"""/api/v1/entries/: the feed, filtered, searched, paged with cursors and exported."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from actors.models import Mention
from events.models import Citation, Entry
from tests.factories import ActorFactory, EntryFactory, EventFactory, SourceFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/entries/"
EVENT = "coalition-of-the-willing-summit-2025-09-04"


def _times(response: Any) -> list[str]:
    return [row["published_at"][11:16] for row in response.json()["results"]]


def _body(response: Any) -> str:
    return b"".join(response.streaming_content).decode()


def test_the_list_is_newest_first_with_nested_citations_and_mentions(api: APIClient) -> None:
    response = api.get(URL, {"event": EVENT})
    assert response.status_code == 200
    assert _times(response)[:3] == ["19:10", "18:28", "17:48"]
    stubb = next(
        row for row in response.json()["results"] if row["published_at"].endswith("15:23:00Z")
    )
    chains = {tuple(c["chain"]) for c in stubb["citations"]}
    assert ("Reuters", "Finnish media", "Alexander Stubb") in chains
    assert {m["actor"]["slug"] for m in stubb["mentions"]} >= {"alexander-stubb", "donald-trump"}


def test_cursor_pages_walk_forwards_and_back(api: APIClient) -> None:
    first = api.get(URL, {"event": EVENT, "limit": "4"}).json()
    second = api.get(first["next"]).json()
    back = api.get(second["previous"]).json()
    assert [r["id"] for r in back["results"]] == [r["id"] for r in first["results"]]
    seen = [r["id"] for r in first["results"] + second["results"]]
    assert len(set(seen)) == 8


def test_a_growing_feed_does_not_shift_the_next_page(api: APIClient) -> None:
    first = api.get(URL, {"event": EVENT, "limit": "4"}).json()
    expected = [r["id"] for r in api.get(first["next"]).json()["results"]]
    EntryFactory.create(
        event=Entry.objects.get(order=10).event, order=11, published_at="2025-09-04T20:00Z"
    )
    assert [r["id"] for r in api.get(first["next"]).json()["results"]] == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"actor": "alexander-stubb"}, ["15:23"]),
        ({"source": "reuters"}, ["15:23", "14:27"]),
        ({"source": "finnish-media"}, ["15:23"]),
        ({"topic": "troops-to-ukraine"}, ["16:20"]),
        ({"published_after": "2025-09-04T18:00:00Z"}, ["19:10", "18:28"]),
        ({"published_before": "2025-09-04T14:30:00+00:00"}, ["14:27", "14:02"]),
        (
            {"published_after": "2025-09-04T16:20:00+02:00"},
            ["19:10", "18:28", "17:48", "16:20", "15:58", "15:23", "14:37", "14:34", "14:27"],
        ),  # 14:20 UTC
        ({"status": "retracted"}, []),
    ],
)
def test_filters(api: APIClient, params: dict[str, str], expected: list[str]) -> None:
    response = api.get(URL, {"event": EVENT, **params})
    assert response.status_code == 200
    assert _times(response) == expected


def test_updated_since_returns_only_what_changed(api: APIClient) -> None:
    cutoff = datetime.now(UTC)
    entry = Entry.objects.get(order=3)
    entry.credit = "Updated credit"
    entry.save()
    response = api.get(URL, {"updated_since": cutoff.isoformat()})
    assert [row["id"] for row in response.json()["results"]] == [entry.pk]


def test_full_text_search_ranks_matches(api: APIClient) -> None:
    response = api.get(URL, {"q": "sanctions oil"})
    times = _times(response)
    assert set(times) == {"15:23", "19:10"}
    assert times[0] == "15:23"  # "sanctions" twice and "oil" twice beat one of each


def test_search_understands_phrases_and_exclusions(api: APIClient) -> None:
    assert _times(api.get(URL, {"q": '"security guarantees" -Latvian'})) == ["15:58", "14:37"]


def test_search_results_can_be_ordered_by_rank_or_time(api: APIClient) -> None:
    by_time = api.get(URL, {"q": "sanctions", "ordering": "-published_at"})
    assert _times(by_time) == ["19:10", "15:58", "15:23"]
    assert api.get(URL, {"q": "sanctions", "ordering": "-rank"}).status_code == 200


def test_ordering_parameter(api: APIClient) -> None:
    response = api.get(URL, {"event": EVENT, "ordering": "published_at", "limit": "2"})
    assert _times(response) == ["14:02", "14:27"]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"published_after": "yesterday"}, "published_after"),
        ({"published_after": "2025-09-04T16:20:00"}, "published_after"),
        ({"published_before": "2025-13-45T00:00Z"}, "published_before"),
        ({"updated_since": "soon"}, "updated_since"),
        ({"status": "draft"}, "status"),
        ({"fields": "id,nonsense"}, "fields"),
        ({"brief": "maybe"}, "brief"),
        ({"ordering": "body"}, "ordering"),
        ({"ordering": "rank"}, "ordering"),
        ({"evnt": EVENT}, "evnt"),
    ],
)
def test_invalid_parameters_are_400s_naming_the_parameter(
    api: APIClient, params: dict[str, str], parameter: str
) -> None:
    response = api.get(URL, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert parameter in response.json()["errors"]


def test_field_selection_and_brief_form(api: APIClient) -> None:
    picked = api.get(URL, {"fields": "id,published_at", "limit": "1"}).json()["results"][0]
    assert set(picked) == {"id", "published_at"}
    brief = api.get(URL, {"brief": "true", "limit": "1"}).json()["results"][0]
    assert set(brief) == {"id", "event", "published_at", "order", "headline", "status"}


def test_detail(api: APIClient) -> None:
    entry = Entry.objects.get(order=7)
    data = api.get(f"{URL}{entry.pk}/").json()
    assert data["body"].startswith("## The No camp")
    assert data["event"]["slug"] == EVENT


def test_csv_export_streams_every_entry_with_documented_columns(api: APIClient) -> None:
    response = api.get(URL, {"format": "csv", "event": EVENT})
    assert response.status_code == 200
    assert response.streaming
    rows = list(csv.DictReader(io.StringIO(_body(response))))
    assert len(rows) == 10
    assert list(rows[0]) == [
        "id",
        "published_at",
        "order",
        "headline",
        "body",
        "credit",
        "status",
        "updated_at",
        "event",
        "sources",
        "actors",
    ]
    stubb = next(row for row in rows if row["published_at"].startswith("2025-09-04T15:23"))
    assert set(stubb["sources"].split(";")) == {"reuters", "finnish-media"}


def test_ndjson_export_by_accept_header(api: APIClient) -> None:
    response = api.get(URL, {"event": EVENT}, HTTP_ACCEPT="application/x-ndjson")
    assert response["Content-Type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in _body(response).splitlines()]
    assert len(lines) == 10
    assert lines[0]["published_at"] == "2025-09-04T14:02:00+00:00"


def test_export_honours_filters(api: APIClient) -> None:
    body = _body(api.get(URL, {"format": "ndjson", "actor": "sergey-poletaev"}))
    assert len(body.splitlines()) == 1


def _exported_ids(api: APIClient, path: str, params: dict[str, str]) -> list[int]:
    rows = csv.DictReader(io.StringIO(_body(api.get(path, params))))
    return [int(row["id"]) for row in rows]


@pytest.mark.parametrize(
    "params",
    [
        {"ordering": "-published_at"},
        {"ordering": "order,-published_at"},
        {"q": "sanctions"},
        {"q": "sanctions", "ordering": "published_at"},
    ],
)
@pytest.mark.parametrize("how", ["format", "url"])
def test_an_export_keeps_the_ordering_or_relevance_asked(
    api: APIClient, params: dict[str, str], how: str
) -> None:
    listed = api.get(URL, {**params, "event": EVENT}).json()["results"]
    expected = [entry["id"] for entry in listed]
    assert len(expected) >= 3
    if how == "format":
        exported = _exported_ids(api, URL, {**params, "event": EVENT, "format": "csv"})
    else:
        exported = _exported_ids(api, f"{URL}export.csv/", {**params, "event": EVENT})
    assert exported == expected


def test_an_export_without_ordering_is_oldest_first(api: APIClient) -> None:
    newest_first = [entry["id"] for entry in api.get(URL, {"event": EVENT}).json()["results"]]
    exported = _exported_ids(api, URL, {"event": EVENT, "format": "csv"})
    assert exported == newest_first[::-1]


def _entries_with_parts(count: int) -> None:
    event = EventFactory.create()
    source, actor = SourceFactory.create(), ActorFactory.create()
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for index in range(count):
        entry = EntryFactory.create(event=event, published_at=start + timedelta(minutes=index))
        outer = Citation.objects.create(entry=entry, source=source, role="reported_by")
        Citation.objects.create(entry=entry, speaker=actor, role="quoted", via=outer)
        Mention.objects.create(entry=entry, actor=actor, role="speaker")


def _queries(api: APIClient, params: dict[str, Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert api.get(URL, params, HTTP_CACHE_CONTROL="no-cache").status_code == 200
    return len(captured)


def test_the_query_count_does_not_grow_with_the_page_size(api: APIClient) -> None:
    _entries_with_parts(110)
    small, large = _queries(api, {"limit": "5"}), _queries(api, {"limit": "100"})
    assert small == large
    assert large <= 6
