"""/api/v1/events/ and /api/v1/sources/."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.factories import EventFactory, SourceFactory

pytestmark = pytest.mark.django_db
EVENT = "coalition-of-the-willing-summit-2025-09-04"


def test_event_detail_carries_its_entries_in_feed_order(api: APIClient) -> None:
    data = api.get(f"/api/v1/events/{EVENT}/").json()
    assert data["publisher"]["slug"] == "rt"
    assert [entry["order"] for entry in data["entries"]] == list(range(1, 11))
    assert data["entries"][0]["published_at"] == "2025-09-04T14:02:00Z"


def test_event_detail_queries_do_not_grow_with_entries(api: APIClient) -> None:
    with CaptureQueriesContext(connection) as captured:
        api.get(f"/api/v1/events/{EVENT}/", HTTP_CACHE_CONTROL="no-cache")
    assert len(captured) <= 6


@pytest.mark.parametrize(
    ("params", "accept", "named"),
    [({"format": "jsonld"}, "*/*", "format"), ({}, "application/ld+json", "Accept")],
)
def test_json_ld_is_the_event_detail_only_a_list_asked_for_it_is_a_406(
    api: APIClient, params: dict[str, str], accept: str, named: str
) -> None:
    response = api.get("/api/v1/events/", params, HTTP_ACCEPT=accept)
    assert response.status_code == 406
    assert response["Content-Type"] == "application/problem+json"
    [message] = response.json()["errors"][named]
    assert "application/ld+json)" not in message
    for fmt in ("json", "csv", "ndjson"):
        assert fmt in message
    detail = api.get(f"/api/v1/events/{EVENT}/", params, HTTP_ACCEPT=accept)
    assert detail.status_code == 200
    assert detail["Content-Type"].startswith("application/ld+json")
    assert detail.json()["@type"] == "LiveBlogPosting"


def test_event_as_schema_org_json_ld(api: APIClient) -> None:
    response = api.get(f"/api/v1/events/{EVENT}/", HTTP_ACCEPT="application/ld+json")
    assert response["Content-Type"].startswith("application/ld+json")
    data = response.json()
    assert data["@type"] == "LiveBlogPosting"
    assert data["coverageStartTime"] == "2025-09-04T13:30:00+00:00"
    updates = data["liveBlogUpdate"]
    assert len(updates) == 10
    assert {update["@type"] for update in updates} == {"BlogPosting"}
    assert updates[0]["datePublished"] == "2025-09-04T19:10:00+00:00"
    assert data["publisher"]["name"] == "RT"


def test_unknown_event_is_a_problem_404(api: APIClient) -> None:
    response = api.get("/api/v1/events/no-such-event/")
    assert response.status_code == 404
    assert response.json()["title"] == "Not Found"


@pytest.mark.parametrize(
    ("params", "expected"),
    [({"status": "ended"}, {EVENT}), ({"status": "live"}, set()), ({"publisher": "rt"}, {EVENT})],
)
def test_event_filters(api: APIClient, params: dict[str, str], expected: set[str]) -> None:
    EventFactory.create(status="upcoming")
    rows = api.get("/api/v1/events/", params).json()["results"]
    assert {row["slug"] for row in rows} == expected


def _slugs(response: Any) -> list[str]:
    return [row["slug"] for row in response.json()["results"]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "news_agency"}, ["reuters", "sputnik"]),
        ({"country": "GB"}, ["financial-times", "reuters"]),
        (
            {"q": "unnamed"},
            [
                "unnamed-european-officials",
                "unnamed-pentagon-officials",
                "unnamed-white-house-official",
            ],
        ),
    ],
)
def test_source_filters(api: APIClient, params: dict[str, str], expected: list[str]) -> None:
    assert _slugs(api.get("/api/v1/sources/", params)) == expected


def test_source_detail_names_its_operator(api: APIClient) -> None:
    data = api.get("/api/v1/sources/zelensky-telegram/").json()
    assert data["operator"]["slug"] == "volodymyr-zelensky"


def test_sources_paginate_with_limit_and_offset(api: APIClient) -> None:
    for _ in range(3):
        SourceFactory.create()
    page = api.get("/api/v1/sources/", {"limit": 5, "offset": 5}).json()
    assert page["count"] == 14
    assert len(page["results"]) == 5
    assert api.get("/api/v1/sources/", {"limit": 10_000}).json()["results"].__len__() == 14


def test_page_size_is_capped(api: APIClient) -> None:
    for _ in range(3):
        SourceFactory.create()
    page = api.get("/api/v1/entries/", {"limit": 100_000}).json()
    assert len(page["results"]) <= 500


def test_source_and_event_list_queries_do_not_grow(api: APIClient) -> None:
    for _ in range(20):
        SourceFactory.create()
    counts = []
    for limit in (5, 30):
        with CaptureQueriesContext(connection) as captured:
            api.get("/api/v1/sources/", {"limit": limit}, HTTP_CACHE_CONTROL="no-cache")
        counts.append(len(captured))
    assert counts[0] == counts[1]
