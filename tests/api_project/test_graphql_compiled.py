"""The compiled executor is an optimisation, never a second semantics: every document here, the
suite's own and generated ones, gets the same response through both executors — data, errors,
nulls, aliases, fragments, @include/@skip, visibility — and the documents it is meant for do
take the compiled path."""

import itertools
import json
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.test import Client
from rest_framework.test import APIClient

from actors.models import Actor, Topic
from api_project.graphql import compiled
from api_project.schema import schema
from events.models import Entry, Source
from tests.api_project.test_graphql_query_counts import (
    COMPILED_EVENT_PAGE,
    EVENT_PAGE,
    ROOT_LISTS,
)
from tests.factories import StanceFactory
from tests.graphql import compiled_context, takes_compiled_path

pytestmark = pytest.mark.django_db

EVENT = "coalition-of-the-willing-summit-2025-09-04"

ENTRY_FIELDS = "id __typename publishedAt order headline body credit status createdAt updatedAt"
CITATION_FIELDS = "id role quote source { slug name kind url country needsReview } speaker { slug }"

# Documents the compiled executor is built for; each must take the compiled path.
COVERED = {
    "event page": """query($slug: String!) { event(slug: $slug) { title entries(first: 100,
        ordering: [{publishedAt: DESC}]) { edges { node { publishedAt headline body
        citations { role quote source { name slug } } mentions { role actor { name slug } }
        } } } } }""",
    "every entry field": f"""query($slug: String!) {{ event(slug: $slug) {{ id __typename slug
        title standfirst summary location startsAt endsAt status url language createdAt
        publisher {{ slug operator {{ slug }} }}
        entries(first: 7) {{ totalCount pageInfo {{ hasNextPage hasPreviousPage __typename }}
        edges {{ __typename node {{ {ENTRY_FIELDS} event {{ slug }}
        citations {{ {CITATION_FIELDS} via {{ {CITATION_FIELDS} via {{ id source {{ slug }} }} }} }}
        mentions {{ id role actor {{ id name slug kind aliases country title wikidataId
        description memberships {{ role startedOn endedOn group {{ slug }} }} }} }}
        stances {{ position kind summary status actor {{ slug }} topic {{ slug }} }}
        }} }} }} }} }}""",
    "aliases and fragments": """query($slug: String!, $yes: Boolean!, $no: Boolean!) {
        first: event(slug: $slug) { ...Head again: title
          entries(first: 3, ordering: [{order: ASC}]) { edges { node { ...Node
            headline @include(if: $yes) body @include(if: $no) credit @skip(if: $yes)
            ... on Entry { o: order } ... @include(if: $no) { status } } } } }
        second: event(slug: $slug) { title @skip(if: $no) }
        missing: event(slug: "no-such-event") { title }
        __typename }
        fragment Head on Event { title t2: title ... on Node { id } }
        fragment Node on Entry { order citations { source { slug } } }""",
    "root entries": """{ entries(first: 4, ordering: [{publishedAt: ASC}, {order: DESC}]) {
        totalCount pageInfo { hasNextPage } edges { node { order event { slug } } } } }""",
    "nulls": """{ event(slug: "coalition-of-the-willing-summit-2025-09-04") { endsAt
        entries(first: 100) { edges { node { citations { source { name } speaker { name }
        via { role } } } } } } }""",
    "empty page": """{ event(slug: "coalition-of-the-willing-summit-2025-09-04") {
        entries(first: 0) { totalCount pageInfo { hasNextPage } edges { node { order } } } } }""",
    "root list entries of the query-count tests": f"query($n: Int!) {{ {ROOT_LISTS['entries']} }}",
    "compiled event page of the query-count tests": COMPILED_EVENT_PAGE,
    "a citation's entry and times": """query($slug: String!) { event(slug: $slug) {
        entries(first: 10) { edges { node { id citations { id createdAt updatedAt
        entry { id order } via { entry { id } } } mentions { id createdAt updatedAt } } } } } }""",
}

# Documents it hands to the standard executor (cursors, filters, list connections, custom
# resolvers…); both paths must still agree.
FALLBACK = {
    "cursors": f"""{{ event(slug: "{EVENT}") {{ entries(first: 2) {{ edges {{ cursor }}
        pageInfo {{ endCursor }} }} }} }}""",
    "filters": f"""{{ entries(first: 5, filters: {{ event: "{EVENT}" }}) {{ totalCount }} }}""",
    "chain resolver": f"""{{ event(slug: "{EVENT}") {{ entries(first: 20) {{ edges {{ node {{
        citations {{ chain }} }} }} }} }} }}""",
    "list connection": "{ sources(first: 3) { edges { node { slug } } } }",
    "search": '{ search(q: "troops") { entries { order } } }',
    "event page of the query-count tests": EVENT_PAGE,
    **{
        f"root list {name}": f"query($n: Int!) {{ {body} }}"
        for name, body in ROOT_LISTS.items()
        if name != "entries"
    },
}

VARIABLES = {"slug": EVENT, "yes": True, "no": False, "n": 5}


def _post(client: Client, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    response = client.post(
        "/graphql/",
        json.dumps({"query": query, "variables": variables}),
        content_type="application/json",
        HTTP_CACHE_CONTROL="no-cache",
    )
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    return body


def _both(client: Client, query: str, variables: dict[str, Any]) -> tuple[Any, Any]:
    """The standard executor's response (a document's first run), then the second run's."""
    compiled._validated.discard(query)
    standard = _post(client, query, variables)
    return standard, _post(client, query, variables)


@pytest.mark.parametrize("name", list(COVERED))
def test_covered_documents_answer_the_same_through_the_compiled_path(
    api: APIClient, name: str
) -> None:
    query = COVERED[name]
    standard, second = _both(api, query, VARIABLES)
    assert "errors" not in standard, standard
    assert second == standard
    assert takes_compiled_path(query, VARIABLES, AnonymousUser())


@pytest.mark.parametrize("name", list(FALLBACK))
def test_documents_outside_the_plan_fall_back_and_still_agree(api: APIClient, name: str) -> None:
    query = FALLBACK[name]
    standard, second = _both(api, query, VARIABLES)
    assert second == standard
    assert not takes_compiled_path(query, VARIABLES, AnonymousUser())


def test_the_event_page_really_carries_the_record() -> None:
    """Guards the comparison itself: the page is not empty, chains and nulls are in it."""
    unseen = COVERED["nulls"] + "\n# a document the standard executor has not run yet"
    assert compiled.execute(schema, unseen, {}, None, compiled_context(AnonymousUser())) is None
    client = Client()
    standard, second = _both(client, COVERED["every entry field"], VARIABLES)
    entries = second["data"]["event"]["entries"]
    assert entries["totalCount"] == Entry.objects.filter(event__slug=EVENT).count() == 10
    assert entries["pageInfo"]["hasNextPage"] is True
    citations = [c for e in entries["edges"] for c in e["node"]["citations"]]
    assert any(c["via"] is not None for c in citations)
    assert any(c["source"] is None for c in citations) or any(
        c["speaker"] is None for c in citations
    )
    assert second == standard


def test_errors_are_never_compiled_and_stay_identical(api: APIClient) -> None:
    bad = "{ event(slug: 1) { title } }"
    standard, second = _both(api, bad, {})
    assert standard["errors"]
    assert second == standard
    assert bad not in compiled._validated
    # A learned document with variables the plan refuses (over the page cap) errs the same way.
    paged = "query($n: Int!) { entries(first: $n) { edges { node { order } } } }"
    _both(api, paged, {"n": 2})
    assert _post(api, paged, {"n": 101}) == (standard_over := _standard(api, paged, {"n": 101}))
    assert standard_over["errors"]


def _standard(client: Client, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    compiled._validated.discard(query)
    return _post(client, query, variables)


def test_visibility_is_the_viewers_on_both_paths(api: APIClient, editor_api: APIClient) -> None:
    entry = Entry.objects.get(event__slug=EVENT, order=3)
    StanceFactory.create(
        actor=Actor.objects.get(slug="finland"),
        topic=Topic.objects.get(slug="troops-to-ukraine"),
        evidence=entry,
        source=Source.objects.first(),
        status="proposed",
        summary="Not yet checked.",
    )
    query = COVERED["every entry field"]
    for client in (api, editor_api):
        standard, second = _both(client, query, VARIABLES)
        assert second == standard
    summaries = {
        name: [
            stance["summary"]
            for edge in _post(client, query, VARIABLES)["data"]["event"]["entries"]["edges"]
            for stance in edge["node"]["stances"]
        ]
        for name, client in (("anonymous", api), ("editor", editor_api))
    }
    assert "Not yet checked." in summaries["editor"]
    assert "Not yet checked." not in summaries["anonymous"]
    editor = User.objects.get(username="curator")
    assert takes_compiled_path(query, VARIABLES, editor)


# Generated documents: every combination of a few selections, aliases and directives.
PARTS = [
    "title",
    "publisher { name }",
    "entries(first: 3) { totalCount }",
    "e2: entries(first: 2, ordering: [{order: DESC}]) { edges { node { order headline } } }",
    "x: entries(first: 1) { edges { node { mentions { actor { slug } } } } }",
    "slug @skip(if: $yes)",
    "... on Event { status }",
]


@pytest.mark.parametrize(
    "combination",
    [c for size in (1, 2, 3) for c in itertools.combinations(range(len(PARTS)), size)],
)
def test_generated_documents_agree(api: APIClient, combination: tuple[int, ...]) -> None:
    selection = " ".join(PARTS[i] for i in combination)
    uses_yes = "$yes" in selection
    declared = "$slug: String!, $yes: Boolean!" if uses_yes else "$slug: String!"
    query = f"query({declared}) {{ event(slug: $slug) {{ {selection} }} }}"
    variables: dict[str, Any] = {"slug": EVENT, "yes": True} if uses_yes else {"slug": EVENT}
    standard, second = _both(api, query, variables)
    assert "errors" not in standard, standard
    assert second == standard
    assert takes_compiled_path(query, variables, AnonymousUser())
