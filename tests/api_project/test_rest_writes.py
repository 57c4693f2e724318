"""Writes: the permission matrix for every resource and method, and what a write must refuse."""

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.factories import (
    ActorFactory,
    EntryFactory,
    EventFactory,
    SourceFactory,
    StanceFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db
EVENT = "coalition-of-the-willing-summit-2025-09-04"


def _event() -> tuple[str, dict[str, Any]]:
    event = EventFactory.create()
    return f"/api/v1/events/{event.slug}/", {
        "slug": event.slug,
        "title": "Renamed",
        "starts_at": "2025-01-01T09:00:00Z",
        "status": "ended",
    }


def _entry() -> tuple[str, dict[str, Any]]:
    entry = EntryFactory.create()
    return f"/api/v1/entries/{entry.pk}/", {
        "event": entry.event.slug,
        "published_at": "2025-01-01T10:00:00Z",
        "order": entry.order,
        "body": "Corrected text.",
        "status": "corrected",
    }


def _source() -> tuple[str, dict[str, Any]]:
    source = SourceFactory.create()
    return f"/api/v1/sources/{source.slug}/", {
        "slug": source.slug,
        "name": "Renamed outlet",
        "kind": "broadcaster",
    }


def _actor() -> tuple[str, dict[str, Any]]:
    actor = ActorFactory.create()
    return f"/api/v1/actors/{actor.slug}/", {
        "slug": actor.slug,
        "name": "Renamed",
        "kind": "country",
        "aliases": ["Elsewhere"],
    }


def _topic() -> tuple[str, dict[str, Any]]:
    topic = TopicFactory.create()
    return f"/api/v1/topics/{topic.slug}/", {"slug": topic.slug, "title": "Renamed topic"}


def _stance() -> tuple[str, dict[str, Any]]:
    stance = StanceFactory.create()
    return f"/api/v1/stances/{stance.pk}/", {
        "actor": stance.actor.slug,
        "topic": stance.topic.slug,
        "position": "oppose",
        "kind": "statement",
        "summary": "Changed its mind.",
        "evidence": stance.evidence_id,
        "source": stance.source.slug,
        "valid_from": "2025-01-01T10:00:00Z",
    }


NEW = {
    "/api/v1/events/": {
        "slug": "new-event",
        "title": "New",
        "starts_at": "2025-10-01T09:00:00Z",
        "status": "live",
    },
    "/api/v1/entries/": {
        "event": EVENT,
        "published_at": "2025-09-04T20:00:00Z",
        "order": 11,
        "body": "Late entry.",
    },
    "/api/v1/sources/": {"slug": "new-outlet", "name": "New outlet", "kind": "newspaper"},
    "/api/v1/actors/": {"slug": "new-actor", "name": "New actor", "kind": "person"},
    "/api/v1/topics/": {"slug": "new-topic", "title": "New topic"},
    "/api/v1/stances/": {
        "actor": "finland",
        "topic": "troops-to-ukraine",
        "position": "undecided",
        "kind": "statement",
        "summary": "Undecided.",
        "evidence_event": EVENT,
        "source": "rt",
        "valid_from": "2025-09-04T20:00:00Z",
    },
}
EXISTING: dict[str, Callable[[], tuple[str, dict[str, Any]]]] = {
    "events": _event,
    "entries": _entry,
    "sources": _source,
    "actors": _actor,
    "topics": _topic,
    "stances": _stance,
}
EXPECTED = {
    "api": (401, 401, 401, 401),
    "reader_api": (403, 403, 403, 403),
    "editor_api": (201, 200, 200, 204),
}


@pytest.mark.parametrize("who", list(EXPECTED))
@pytest.mark.parametrize("resource", list(EXISTING))
def test_permission_matrix(request: pytest.FixtureRequest, who: str, resource: str) -> None:
    client: APIClient = request.getfixturevalue(who)
    create = client.post(f"/api/v1/{resource}/", NEW[f"/api/v1/{resource}/"], format="json")
    url, payload = EXISTING[resource]()
    put = client.put(url, payload, format="json")
    patch = client.patch(url, {}, format="json")
    delete = client.delete(url)
    statuses = (create.status_code, put.status_code, patch.status_code, delete.status_code)
    assert statuses == EXPECTED[who], [r.content[:200] for r in (create, put, patch, delete)]
    if who != "editor_api":
        assert client.get(url).status_code == 200  # the refused delete removed nothing


def test_deleting_a_cited_record_is_a_409_and_removes_nothing(editor_api: APIClient) -> None:
    response = editor_api.delete("/api/v1/sources/reuters/")
    assert response.status_code == 409
    assert editor_api.get("/api/v1/sources/reuters/").status_code == 200


def test_a_duplicate_slug_is_a_409(editor_api: APIClient) -> None:
    first = editor_api.post("/api/v1/topics/", {"slug": "twice", "title": "Twice"}, format="json")
    second = editor_api.post("/api/v1/topics/", {"slug": "twice", "title": "Again"}, format="json")
    assert (first.status_code, second.status_code) == (201, 409)
    assert second.json()["status"] == 409


def test_field_errors_name_the_field(editor_api: APIClient) -> None:
    response = editor_api.post(
        "/api/v1/actors/",
        {"slug": "x", "name": "X", "kind": "planet", "country": "France"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"kind", "country"}


def test_a_database_constraint_surfaces_as_a_field_error(editor_api: APIClient) -> None:
    response = editor_api.post(
        "/api/v1/events/",
        {
            "slug": "backwards",
            "title": "B",
            "status": "live",
            "starts_at": "2025-10-02T09:00:00Z",
            "ends_at": "2025-10-01T09:00:00Z",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "cannot end before it starts" in str(response.json()["errors"])


def test_a_datetime_without_a_timezone_is_refused(editor_api: APIClient) -> None:
    response = editor_api.post(
        "/api/v1/events/",
        {"slug": "naive", "title": "N", "status": "live", "starts_at": "2025-10-01T09:00:00"},
        format="json",
    )
    assert response.status_code == 400
    assert "timezone" in response.json()["errors"]["starts_at"][0]
