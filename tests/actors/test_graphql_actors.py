"""GraphQL reads of actors, topics, stances and the stance matrix; visibility on every path."""

import base64
from typing import Any

import pytest
from rest_framework.test import APIClient

from actors.models import Actor, Topic
from tests.factories import StanceFactory
from tests.graphql import data

pytestmark = pytest.mark.django_db

MATRIX = """query($asOf: DateTime) { stanceMatrix(topic: "troops-to-ukraine", asOf: $asOf) {
    topic { slug } asOf positions { position stances { actor { slug } kind } } } }"""


def _camps(result: dict[str, Any]) -> dict[str, set[str]]:
    return {
        group["position"]: {s["actor"]["slug"] for s in group["stances"]}
        for group in result["stanceMatrix"]["positions"]
    }


def test_stance_matrix_reproduces_the_1620_camps(api: APIClient) -> None:
    camps = _camps(data(api, MATRIX, {"asOf": "2025-09-04T16:20:00Z"}))
    assert camps["SUPPORT"] == {"france", "united-kingdom", "belgium", "lithuania", "estonia"}
    assert camps["OPPOSE"] == {
        "germany",
        "hungary",
        "poland",
        "italy",
        "netherlands",
        "spain",
        "united-states",
    }
    assert camps["UNDECIDED"] == {"latvia", "sweden"}
    assert camps["CONDITIONAL"] == set()


def test_stance_matrix_of_an_unknown_topic_is_null(api: APIClient) -> None:
    assert data(api, '{ stanceMatrix(topic: "nope") { asOf } }') == {"stanceMatrix": None}


def test_proposed_stances_are_hidden_from_anonymous_readers_on_every_path(
    api: APIClient, editor_api: APIClient
) -> None:
    proposed = StanceFactory.create(
        actor=Actor.objects.get(slug="finland"),
        topic=Topic.objects.get(slug="troops-to-ukraine"),
        status="proposed",
        position="conditional",
        valid_from="2025-09-04T16:00Z",
    )
    node_id = base64.b64encode(f"Stance:{proposed.pk}".encode()).decode()
    node_query = "query($id: ID!) { node(id: $id) { id } }"
    assert data(api, node_query, {"id": node_id}) == {"node": None}
    assert data(editor_api, node_query, {"id": node_id})["node"]["id"] == node_id
    count = "{ stances(filters: {status: PROPOSED}) { totalCount } }"
    assert data(api, count)["stances"]["totalCount"] == 0
    assert data(editor_api, count)["stances"]["totalCount"] == 1
    nested = '{ actor(slug: "finland") { stances { totalCount } } }'
    assert data(api, nested)["actor"]["stances"]["totalCount"] == 0
    assert data(editor_api, nested)["actor"]["stances"]["totalCount"] == 1
    as_of = {"asOf": "2025-09-04T16:20:00Z"}
    assert _camps(data(api, MATRIX, as_of))["CONDITIONAL"] == set()
    assert _camps(data(editor_api, MATRIX, as_of))["CONDITIONAL"] == {"finland"}


@pytest.mark.parametrize(
    ("filters", "count"),
    [
        ('{actor: "donald-trump"}', 5),
        ("{position: UNDECIDED}", 2),
        ("{kind: PLEDGE}", 4),
        ("{actorKind: PERSON}", 8),
        ('{country: "US"}', 9),
        ('{source: "zelensky-telegram"}', 3),
        ('{topic: "troops-to-ukraine", asOf: "2025-09-04T16:20:00Z"}', 14),
        ('{topic: "new-sanctions-on-russia", asOf: "2025-09-04T15:30:00Z"}', 1),
    ],
)
def test_stance_filters(api: APIClient, filters: str, count: int) -> None:
    assert (
        data(api, f"{{ stances(filters: {filters}) {{ totalCount }} }}")["stances"]["totalCount"]
        == count
    )


def test_stances_order_and_paginate_both_ways(api: APIClient) -> None:
    query = """query($after: String, $before: String, $first: Int, $last: Int) {
      stances(first: $first, last: $last, after: $after, before: $before,
              ordering: [{validFrom: DESC}], filters: {actor: "donald-trump"}) {
        pageInfo { endCursor startCursor } edges { node { validFrom topic { slug } } } } }"""
    first = data(api, query, {"first": 2})["stances"]
    assert [e["node"]["validFrom"][11:16] for e in first["edges"]] == ["19:10", "15:23"]
    second = data(api, query, {"first": 2, "after": first["pageInfo"]["endCursor"]})["stances"]
    back = data(api, query, {"last": 2, "before": second["pageInfo"]["startCursor"]})["stances"]
    assert back["edges"] == first["edges"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ('{name: "Kiev"}', ["ukraine"]),
        ('{name: "the states"}', ["united-states"]),
        ('{q: "zelensk"}', ["volodymyr-zelensky"]),
        ("{kind: INTERNATIONAL_BODY}", ["european-commission", "european-union", "nato"]),
        ('{kind: PERSON, country: "US"}', ["donald-trump", "steve-witkoff"]),
        ('{memberOf: "coalition-of-the-willing"}', ["france", "united-kingdom"]),
        ('{memberOf: "european-union", memberOn: "2019-01-01", q: "united"}', ["united-kingdom"]),
        ('{memberOf: "european-union", memberOn: "2021-01-01", q: "united"}', []),
    ],
)
def test_actor_filters(api: APIClient, filters: str, expected: list[str]) -> None:
    result = data(
        api,
        (
            f"{{ actors(filters: {filters}, ordering: [{{name: ASC}}]) {{ edges {{ "
            f"node {{ slug }} }} }} }}"
        ),
    )
    assert [e["node"]["slug"] for e in result["actors"]["edges"]] == expected


def test_actor_by_slug_with_memberships_and_mentions(api: APIClient) -> None:
    result = data(
        api,
        """{ actor(slug: "finland") { name kind memberships { group { slug } startedOn }
             mentions { totalCount edges { node { role entry { publishedAt } } } } } }""",
    )["actor"]
    assert result["kind"] == "COUNTRY"
    assert {m["group"]["slug"] for m in result["memberships"]} == {"nato", "european-union"}
    assert result["mentions"]["totalCount"] == 1


def test_a_membership_is_a_node_found_again_by_its_id(api: APIClient) -> None:
    memberships = data(
        api, '{ actor(slug: "finland") { memberships { id group { slug } startedOn } } }'
    )["actor"]["memberships"]
    nato = next(m for m in memberships if m["group"]["slug"] == "nato")
    assert base64.b64decode(nato["id"]).decode().startswith("Membership:")
    found = data(
        api,
        "query($id: ID!) { node(id: $id) { __typename id ... on Membership { group { slug } } } }",
        {"id": nato["id"]},
    )["node"]
    assert found == {"__typename": "Membership", "id": nato["id"], "group": {"slug": "nato"}}


def test_topics_with_their_stances(api: APIClient) -> None:
    result = data(
        api,
        """{ topics(filters: {q: "sanctions"}) { edges { node { slug
             stances(filters: {position: SUPPORT}) { totalCount } } } } }""",
    )
    nodes = [e["node"] for e in result["topics"]["edges"]]
    assert nodes == [{"slug": "new-sanctions-on-russia", "stances": {"totalCount": 2}}]
