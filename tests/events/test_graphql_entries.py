"""GraphQL reads of events, entries and sources, through /graphql/."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.graphql import data, run

pytestmark = pytest.mark.django_db
EVENT = "coalition-of-the-willing-summit-2025-09-04"


def _times(connection: dict[str, Any]) -> list[str]:
    return [edge["node"]["publishedAt"][11:16] for edge in connection["edges"]]


def test_event_by_slug_with_its_entries_in_order(api: APIClient) -> None:
    result = data(
        api,
        """query($slug: String!) { event(slug: $slug) { title status publisher { slug }
             entries(first: 3, ordering: [{order: ASC}]) { totalCount
               edges { node { order publishedAt } } } } }""",
        {"slug": EVENT},
    )
    event = result["event"]
    assert event["status"] == "ENDED"
    assert event["publisher"]["slug"] == "rt"
    assert event["entries"]["totalCount"] == 10
    assert [e["node"]["order"] for e in event["entries"]["edges"]] == [1, 2, 3]


def test_a_missing_event_is_null_not_an_error(api: APIClient) -> None:
    assert data(api, '{ event(slug: "nope") { id } }') == {"event": None}


def test_events_list(api: APIClient) -> None:
    result = data(
        api, "{ events(filters: {status: ENDED}) { totalCount edges { node { slug } } } }"
    )
    assert result["events"]["totalCount"] == 1
    assert (
        data(api, "{ events(filters: {status: LIVE}) { totalCount } }")["events"]["totalCount"] == 0
    )


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ('{actor: "alexander-stubb"}', ["15:23"]),
        ('{source: "reuters"}', ["14:27", "15:23"]),
        ('{topic: "troops-to-ukraine"}', ["16:20"]),
        ('{publishedAfter: "2025-09-04T18:00:00Z"}', ["18:28", "19:10"]),
        ('{publishedBefore: "2025-09-04T14:30:00+00:00"}', ["14:02", "14:27"]),
        ("{status: RETRACTED}", []),
        ('{q: "sanctions oil"}', ["15:23", "19:10"]),
        ('{event: "nope"}', []),
        ('{actor: "alexander-stubb", OR: {actor: "sergey-poletaev"}}', ["15:23", "18:28"]),
    ],
)
def test_entry_filters(api: APIClient, filters: str, expected: list[str]) -> None:
    result = data(
        api,
        f"{{ entries(first: 20, filters: {filters}, ordering: [{{publishedAt: ASC}}]) "
        "{ edges { node { publishedAt } } } }",
    )
    assert _times(result["entries"]) == expected


def test_updated_since(api: APIClient, editor_api: APIClient) -> None:
    from datetime import UTC, datetime

    from events.models import Entry

    cutoff = datetime.now(UTC).isoformat()
    entry = Entry.objects.get(order=3)
    entry.credit = "AFP"
    entry.save()
    result = data(
        api,
        "query($t: DateTime!) { entries(first: 5, filters: {updatedSince: $t}) "
        "{ edges { node { order } } } }",
        {"t": cutoff},
    )
    assert [e["node"]["order"] for e in result["entries"]["edges"]] == [3]


def test_entries_page_forwards_and_backwards(api: APIClient) -> None:
    query = """query($after: String, $before: String, $first: Int, $last: Int) {
        entries(first: $first, last: $last, after: $after, before: $before,
                ordering: [{publishedAt: ASC}]) {
          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
          edges { node { publishedAt } } } }"""
    first = data(api, query, {"first": 4})["entries"]
    assert _times(first) == ["14:02", "14:27", "14:34", "14:37"]
    assert first["pageInfo"]["hasNextPage"] is True
    second = data(api, query, {"first": 4, "after": first["pageInfo"]["endCursor"]})["entries"]
    assert _times(second) == ["15:23", "15:58", "16:20", "17:48"]
    back = data(api, query, {"last": 2, "before": second["pageInfo"]["startCursor"]})["entries"]
    assert _times(back) == ["14:34", "14:37"]


def test_ordering_newest_first(api: APIClient) -> None:
    result = data(
        api,
        "{ entries(first: 2, ordering: [{publishedAt: DESC}]) { edges { node { publishedAt } } } }",
    )
    assert _times(result["entries"]) == ["19:10", "18:28"]


def test_citations_keep_their_chains(api: APIClient) -> None:
    result = data(
        api,
        """{ entries(first: 1, filters: {actor: "alexander-stubb"}) { edges { node {
             citations { role quote chain via { source { name } } speaker { slug } } } } } }""",
    )
    citations = result["entries"]["edges"][0]["node"]["citations"]
    quoted = [c for c in citations if c["speaker"]]
    assert {tuple(c["chain"]) for c in quoted} == {("Reuters", "Finnish media", "Alexander Stubb")}
    assert {c["via"]["source"]["name"] for c in quoted} == {"Reuters"}


def test_node_refetches_an_entry_by_global_id(api: APIClient) -> None:
    node_id = data(api, "{ entries(first: 1) { edges { node { id } } } }")["entries"]["edges"][0][
        "node"
    ]["id"]
    result = data(
        api,
        "query($id: ID!) { node(id: $id) { id ... on Entry { publishedAt } } }",
        {"id": node_id},
    )
    assert result["node"]["id"] == node_id


def test_node_with_an_unknown_id_is_null(api: APIClient) -> None:
    import base64

    missing = base64.b64encode(b"Entry:999999").decode()
    assert data(api, "query($id: ID!) { node(id: $id) { id } }", {"id": missing}) == {"node": None}


def test_search_ranks_entries_actors_and_sources(api: APIClient) -> None:
    result = data(
        api,
        """{ search(q: "reuters") { entries { publishedAt } sources { slug } actors { slug } } }""",
    )["search"]
    assert [s["slug"] for s in result["sources"]] == ["reuters"]
    assert {e["publishedAt"][11:16] for e in result["entries"]} == {"14:27", "15:23"}
    actors = data(api, '{ search(q: "kiev") { actors { slug } } }')["search"]["actors"]
    assert [a["slug"] for a in actors] == ["ukraine"]


def test_sources_filters(api: APIClient) -> None:
    result = data(
        api,
        (
            "{ sources(filters: {kind: NEWS_AGENCY}, ordering: [{name: ASC}]) { edges "
            "{ node { slug } } } }"
        ),
    )
    assert [e["node"]["slug"] for e in result["sources"]["edges"]] == ["reuters", "sputnik"]
    result = data(api, '{ sources(filters: {country: "GB", q: "times"}) { totalCount } }')
    assert result["sources"]["totalCount"] == 1


def test_an_invalid_filter_value_is_an_error_naming_it(api: APIClient) -> None:
    body = run(
        api,
        '{ entries(first: 1, filters: {publishedAfter: "yesterday"}) { edges { node { id } } } }',
    )
    assert body.get("data") is None
    assert (
        "publishedAfter" in body["errors"][0]["message"]
        or "DateTime" in body["errors"][0]["message"]
    )
