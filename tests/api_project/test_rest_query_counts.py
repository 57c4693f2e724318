"""Every list endpoint issues the same number of SQL queries for 5 rows as for 100."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from actors.models import Actor, Membership, Mention, Stance, Topic
from events.models import Citation, Entry, Event, Source

pytestmark = pytest.mark.django_db
T0 = datetime(2024, 1, 1, tzinfo=UTC)


@pytest.fixture
def many_rows() -> None:
    """105 rows of each kind, each with the relations its representation nests."""
    source = Source.objects.create(name="Wire", slug="wire", kind="news_agency")
    group = Actor.objects.create(name="Bloc", slug="bloc", kind="coalition")
    actors = Actor.objects.bulk_create(
        Actor(name=f"Member {i}", slug=f"member-{i}", kind="country") for i in range(105)
    )
    Membership.objects.bulk_create(Membership(member=a, group=group) for a in actors)
    Source.objects.bulk_create(
        Source(name=f"Outlet {i}", slug=f"outlet-{i}", kind="newspaper", operator=actors[i])
        for i in range(105)
    )
    topics = Topic.objects.bulk_create(Topic(slug=f"t-{i}", title=f"T {i}") for i in range(105))
    events = Event.objects.bulk_create(
        Event(slug=f"e-{i}", title=f"E {i}", starts_at=T0, status="live", publisher=source)
        for i in range(105)
    )
    entries = Entry.objects.bulk_create(
        Entry(event=events[0], published_at=T0 + timedelta(minutes=i), order=i + 1, body="Text.")
        for i in range(105)
    )
    for entry, actor in zip(entries, actors, strict=True):
        outer = Citation.objects.create(entry=entry, source=source, role="reported_by")
        Citation.objects.create(entry=entry, speaker=actor, role="quoted", via=outer)
        Mention.objects.create(entry=entry, actor=actor, role="speaker")
    Stance.objects.bulk_create(
        Stance(
            actor=actor,
            topic=topic,
            position="support",
            kind="statement",
            summary="s",
            evidence=entry,
            source=source,
            valid_from=T0,
            status="verified",
        )
        for actor, topic, entry in zip(actors, topics, entries, strict=True)
    )


@pytest.fixture(autouse=True)
def _token_in_use(editor_api: APIClient) -> None:
    """A token's first use is noted (a write, at most once a minute: core/tokens.py); the
    counts are of the reads that follow."""
    assert editor_api.get("/api/v1/").status_code == 200


def _count(client: APIClient, url: str, limit: int) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"limit": limit}, HTTP_CACHE_CONTROL="no-cache")
    assert response.status_code == 200
    assert len(response.json()["results"]) == limit
    return len(captured)


@pytest.mark.usefixtures("many_rows")
@pytest.mark.parametrize(
    "resource",
    [
        "events",
        "entries",
        "sources",
        "actors",
        "topics",
        "stances",
        "changes",
        "citations",
        "mentions",
    ],
)
def test_list_queries_are_constant_in_page_size(editor_api: APIClient, resource: str) -> None:
    url = f"/api/v1/{resource}/"
    small, large = _count(editor_api, url, 5), _count(editor_api, url, 100)
    assert small == large
    assert large <= 8  # authentication, permissions, count, the page, its prefetches


@pytest.mark.usefixtures("many_rows")
def test_a_search_page_takes_one_headline_query_for_its_rows(editor_api: APIClient) -> None:
    """Snippets are made for the page's rows only, in one query, however large the page."""
    counts = []
    for limit in (5, 100):
        with CaptureQueriesContext(connection) as captured:
            response = editor_api.get(
                "/api/v1/entries/", {"q": "text", "limit": limit}, HTTP_CACHE_CONTROL="no-cache"
            )
        assert len(response.json()["results"]) == limit
        headlines = [q["sql"] for q in captured if "ts_headline" in q["sql"]]
        assert len(headlines) == 1
        [ids] = re.findall(r"\bIN \(([\d, ]+)\)", headlines[0])
        assert sorted(int(i) for i in ids.split(",")) == sorted(
            row["id"] for row in response.json()["results"]
        )
        counts.append(len(captured))
    assert counts[0] == counts[1] <= 8
