"""REST and GraphQL give the same answers on the seed: one rule behind each filter."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from events.models import Entry
from tests.factories import StanceFactory
from tests.graphql import data

pytestmark = pytest.mark.django_db

ENTRY_FILTERS = [
    ({"actor": "donald-trump"}, '{actor: "donald-trump"}'),
    ({"source": "reuters"}, '{source: "reuters"}'),
    ({"topic": "troops-to-ukraine"}, '{topic: "troops-to-ukraine"}'),
    (
        {"event": "coalition-of-the-willing-summit-2025-09-04"},
        '{event: "coalition-of-the-willing-summit-2025-09-04"}',
    ),
    ({"published_after": "2025-09-04T15:00:00Z"}, '{publishedAfter: "2025-09-04T15:00:00Z"}'),
    ({"published_before": "2025-09-04T15:00:00Z"}, '{publishedBefore: "2025-09-04T15:00:00Z"}'),
    ({"status": "published"}, "{status: PUBLISHED}"),
    ({"q": "security guarantees"}, '{q: "security guarantees"}'),
    ({"q": '"coalition of the willing" -Macron'}, '{q: "\\"coalition of the willing\\" -Macron"}'),
]


def _rest_ids(api: APIClient, url: str, params: dict[str, str], key: str = "id") -> set[Any]:
    rows = api.get(url, {**params, "limit": "500"}).json()["results"]
    return {row[key] for row in rows}


@pytest.mark.parametrize(("rest", "graphql"), ENTRY_FILTERS)
def test_entries_agree(api: APIClient, rest: dict[str, str], graphql: str) -> None:
    result = data(
        api,
        f"{{ entries(first: 100, filters: {graphql}) {{ edges {{ node {{ publishedAt }} }} }} }}",
    )
    from_graphql = {edge["node"]["publishedAt"] for edge in result["entries"]["edges"]}
    from_rest = {
        Entry.objects.get(pk=pk).published_at.isoformat()
        for pk in _rest_ids(api, "/api/v1/entries/", rest)
    }
    assert from_graphql == from_rest
    assert from_rest  # every case finds something, so agreement is not vacuous


STANCE_FILTERS = [
    ({"actor": "donald-trump"}, '{actor: "donald-trump"}'),
    (
        {"topic": "troops-to-ukraine", "as_of": "2025-09-04T16:20:00Z"},
        '{topic: "troops-to-ukraine", asOf: "2025-09-04T16:20:00Z"}',
    ),
    ({"position": "undecided"}, "{position: UNDECIDED}"),
    ({"kind": "pledge"}, "{kind: PLEDGE}"),
    ({"actor_kind": "person"}, "{actorKind: PERSON}"),
    ({"country": "US"}, '{country: "US"}'),
    ({"source": "reuters"}, '{source: "reuters"}'),
    ({"status": "verified"}, "{status: VERIFIED}"),
]


def _stances_agree(client: APIClient, rest: dict[str, str], graphql: str) -> set[str]:
    result = data(
        client,
        f"{{ stances(first: 100, filters: {graphql}) {{ edges {{ node {{ summary }} }} }} }}",
    )
    from_graphql = {edge["node"]["summary"] for edge in result["stances"]["edges"]}
    assert from_graphql == _rest_ids(client, "/api/v1/stances/", rest, key="summary")
    return from_graphql


@pytest.mark.parametrize(("rest", "graphql"), STANCE_FILTERS)
def test_stances_agree(api: APIClient, rest: dict[str, str], graphql: str) -> None:
    assert _stances_agree(api, rest, graphql)  # every case finds something


def test_proposed_stances_agree_for_an_editor(editor_api: APIClient) -> None:
    """Proposed stances are an editor's to see (an anonymous reader's two empty answers
    would agree whatever the filters did)."""
    StanceFactory.create(status="proposed", summary="A stance still to be verified.")
    found = _stances_agree(editor_api, {"status": "proposed"}, "{status: PROPOSED}")
    assert "A stance still to be verified." in found


ACTOR_FILTERS = [
    ({"name": "Kiev"}, '{name: "Kiev"}'),
    ({"q": "an"}, '{q: "an"}'),
    ({"kind": "country"}, "{kind: COUNTRY}"),
    ({"member_of": "nato"}, '{memberOf: "nato"}'),
    (
        {"member_of": "european-union", "member_on": "2021-01-01"},
        '{memberOf: "european-union", memberOn: "2021-01-01"}',
    ),
]


@pytest.mark.parametrize(("rest", "graphql"), ACTOR_FILTERS)
def test_actors_agree(api: APIClient, rest: dict[str, str], graphql: str) -> None:
    result = data(
        api, f"{{ actors(first: 100, filters: {graphql}) {{ edges {{ node {{ slug }} }} }} }}"
    )
    from_graphql = {edge["node"]["slug"] for edge in result["actors"]["edges"]}
    assert from_graphql == _rest_ids(api, "/api/v1/actors/", rest, key="slug")
    assert from_graphql


@pytest.mark.parametrize(
    "as_of", ["2025-09-04T15:00:00Z", "2025-09-04T16:20:00Z", "2025-09-04T23:00:00Z"]
)
def test_the_matrix_agrees(api: APIClient, as_of: str) -> None:
    rest = api.get("/api/v1/topics/troops-to-ukraine/matrix/", {"as_of": as_of}).json()
    from_rest = {
        group["position"].upper(): [row["actor"]["slug"] for row in group["actors"]]
        for group in rest["positions"]
    }
    result = data(
        api,
        'query($t: DateTime!) { stanceMatrix(topic: "troops-to-ukraine", asOf: $t) '
        "{ positions { position stances { actor { slug } } } } }",
        {"t": as_of},
    )
    from_graphql = {
        group["position"]: [s["actor"]["slug"] for s in group["stances"]]
        for group in result["stanceMatrix"]["positions"]
    }
    assert from_graphql == from_rest
