"""No N+1 in GraphQL: the same number of SQL queries for 5 rows as for 50, for the frontend's
event page, every root list and every type's relations."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from actors.models import Actor, Membership, Mention, Stance, Topic
from events.models import Citation, Entry, Event, Source
from tests.graphql import data, takes_compiled_path

pytestmark = pytest.mark.django_db
T0 = datetime(2024, 1, 1, tzinfo=UTC)

EVENT_PAGE = """query($n: Int!) { event(slug: "big") { title publisher { name }
  entries(first: $n, ordering: [{publishedAt: DESC}]) { totalCount edges { node {
    id publishedAt headline body status
    citations { role quote chain source { name kind } speaker { name } via { id } }
    mentions { role actor { name slug stances { edges { node { position topic { slug } } } } } }
} } } } }"""
# The page as the compiled executor plans it: chains and an actor's stances are the standard
# executor's (their resolvers are its own), so they are left out.
COMPILED_EVENT_PAGE = """query($n: Int!) { event(slug: "big") { title publisher { name }
  entries(first: $n, ordering: [{publishedAt: DESC}]) { totalCount edges { node {
    id publishedAt headline body status
    citations { role quote source { name kind } speaker { name } via { id } }
    mentions { role actor { name slug } }
} } } } }"""


@pytest.fixture
def big_event() -> None:
    """An event of 60 entries, each with a two-link chain, a mention and stances."""
    wire = Source.objects.create(name="Wire", slug="wire", kind="news_agency")
    bloc = Actor.objects.create(name="Bloc", slug="bloc", kind="coalition")
    event = Event.objects.create(
        slug="big", title="Big", starts_at=T0, status="live", publisher=wire
    )
    actors = Actor.objects.bulk_create(
        Actor(name=f"Member {i}", slug=f"member-{i}", kind="country", aliases=[f"M{i}"])
        for i in range(60)
    )
    Membership.objects.bulk_create(Membership(member=a, group=bloc, role="member") for a in actors)
    Source.objects.bulk_create(
        Source(name=f"Channel {i}", slug=f"channel-{i}", kind="social_media", operator=a)
        for i, a in enumerate(actors)
    )
    topics = Topic.objects.bulk_create(Topic(slug=f"t-{i}", title=f"T {i}") for i in range(60))
    entries = Entry.objects.bulk_create(
        Entry(event=event, published_at=T0 + timedelta(minutes=i), order=i + 1, body=f"Entry {i}.")
        for i in range(60)
    )
    for entry, actor, topic in zip(entries, actors, topics, strict=True):
        outer = Citation.objects.create(entry=entry, source=wire, role="reported_by")
        Citation.objects.create(entry=entry, speaker=actor, role="quoted", quote="q", via=outer)
        Mention.objects.create(entry=entry, actor=actor, role="speaker")
        Stance.objects.create(
            actor=actor,
            topic=topic,
            position="support",
            kind="statement",
            summary="s",
            evidence=entry,
            source=wire,
            valid_from=T0,
            status="verified",
        )


def _count(client: APIClient, query: str, n: int, executor: str = "standard") -> int:
    """Queries of one uncached request, on the executor asked for: the compiled one answers a
    document the standard one has already run, so a document is made new (a comment) or run
    first."""
    if executor == "standard":
        query = f"{query}\n# {n}"
    else:
        data(client, query, {"n": n})
        # A document outside the compiled plan would count the standard executor again.
        assert takes_compiled_path(query, {"n": n}), "the compiled executor does not take it"
    with CaptureQueriesContext(connection) as captured:
        response = client.post(
            "/graphql/",
            json.dumps({"query": query, "variables": {"n": n}}),
            content_type="application/json",
            HTTP_CACHE_CONTROL="no-cache",
        )
    assert response.status_code == 200
    assert "errors" not in response.json()
    return len(captured)


@pytest.mark.usefixtures("big_event")
@pytest.mark.parametrize(
    ("executor", "page"), [("standard", EVENT_PAGE), ("compiled", COMPILED_EVENT_PAGE)]
)
def test_the_event_page_query_is_constant_from_5_to_50_entries(
    api: APIClient, executor: str, page: str
) -> None:
    small, large = _count(api, page, 5, executor), _count(api, page, 50, executor)
    assert small == large
    assert large <= 10
    edges = data(api, page, {"n": 50})["event"]["entries"]["edges"]
    assert len(edges) == 50
    assert edges[0]["node"]["citations"][1]["speaker"]["name"] == "Member 59"


ROOT_LISTS = {
    "events": "events(first: $n) { totalCount edges { node { slug publisher { name } } } }",
    "entries": """entries(first: $n) { edges { node { event { slug }
        citations { source { name } speaker { name } } mentions { actor { slug } }
        stances { position } } } }""",
    "sources": "sources(first: $n) { edges { node { slug operator { name } } } }",
    "actors": """actors(first: $n) { edges { node { slug memberships { group { slug } }
        stances { totalCount edges { node { topic { slug } } } }
        mentions { edges { node { entry { order } } } } } } }""",
    "topics": """topics(first: $n) { edges { node { slug
        stances { edges { node { actor { slug } evidence { order } source { slug } } } } } } }""",
    "stances": """stances(first: $n) { edges { node { actor { slug } topic { slug }
        evidence { order event { slug } } evidenceEvent { slug } source { slug } } } }""",
    "search": """search(q: "entry", first: $n) {
        entries { event { slug } } actors { slug } sources { slug } }""",
    "search hits": """search(q: "entry", first: $n) { entryHits { rank snippet entry { id
        event { slug } citations { chain source { name } } mentions { actor { slug } } } } }""",
    "citations": """citations(first: $n, ordering: [{publishedAt: DESC}]) { totalCount edges {
        node { id role quote chain via { id } source { slug } speaker { slug }
        entry { id publishedAt event { slug } } } } }""",
    "mentions": """mentions(first: $n, filters: {event: "big"}) { totalCount edges { node {
        id role actor { slug } entry { id publishedAt body } } } }""",
}


# The root lists the compiled executor plans; the others are the standard executor's alone.
COMPILED_ROOT_LISTS = ["entries"]


@pytest.mark.usefixtures("big_event")
@pytest.mark.parametrize(
    ("field", "executor"),
    [(field, "standard") for field in ROOT_LISTS]
    + [(field, "compiled") for field in COMPILED_ROOT_LISTS],
)
def test_root_lists_and_their_relations_are_constant(
    api: APIClient, field: str, executor: str
) -> None:
    query = f"query($n: Int!) {{ {ROOT_LISTS[field]} }}"
    small, large = _count(api, query, 5, executor), _count(api, query, 50, executor)
    assert small == large, (small, large)
    assert large <= 12


@pytest.mark.usefixtures("big_event")
def test_the_stance_matrix_is_constant_in_the_number_of_stances(api: APIClient) -> None:
    query = """{ stanceMatrix(topic: "t-1") { positions { position stances {
        actor { slug memberships { group { slug } } } evidence { order } source { slug } } } } }"""
    small = _matrix_queries(api, query)
    for i in range(2, 40):  # 38 more actors on the same topic
        Stance.objects.filter(topic__slug=f"t-{i}").update(topic=Topic.objects.get(slug="t-1"))
    assert _matrix_queries(api, query) == small


def _matrix_queries(client: APIClient, query: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        data(client, query)
    return len(captured)
