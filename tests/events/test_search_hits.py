"""Full-text hits carry their rank and a highlighted snippet, in REST and in GraphQL `search`."""

import json
import re
from typing import Any

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from events.api.serializers import EntrySerializer
from events.querysets import SEARCH_MAX_LENGTH
from tests.graphql import data, run

pytestmark = pytest.mark.django_db

URL = "/api/v1/entries/"
MARKED = re.compile(r"<mark>(.*?)</mark>")


def _hits(api: APIClient, **params: Any) -> list[dict[str, Any]]:
    response = api.get(URL, {"limit": "50", **params}, HTTP_CACHE_CONTROL="no-cache")
    assert response.status_code == 200, response.content
    rows: list[dict[str, Any]] = response.json()["results"]
    return rows


def test_a_search_gives_each_hit_its_rank_and_a_highlighted_snippet(api: APIClient) -> None:
    hits = _hits(api, q="sanctions oil")
    assert len(hits) >= 2
    ranks = [hit["rank"] for hit in hits]
    assert ranks == sorted(ranks, reverse=True)
    assert all(rank > 0 for rank in ranks)
    for hit in hits:
        marked = {word.lower() for word in MARKED.findall(hit["snippet"])}
        assert marked
        assert marked <= {"sanctions", "oil"}
        assert MARKED.sub(r"\1", hit["snippet"]).split(" … ")[0] in hit["body"]


def test_without_q_entries_are_not_hits(api: APIClient) -> None:
    [entry] = _hits(api, limit="1")
    assert "rank" not in entry
    assert "snippet" not in entry


def test_the_fast_path_and_the_serializer_agree_on_hits(api: APIClient) -> None:
    fast = _hits(api, q="troops")
    every_field = ",".join([*EntrySerializer.Meta.fields, "rank", "snippet"])
    shaped = _hits(api, q="troops", fields=every_field)
    assert fast == shaped
    assert all("<mark>" in hit["snippet"] for hit in fast)


def test_brief_and_selected_hits_keep_rank_and_snippet(api: APIClient) -> None:
    [brief] = _hits(api, q="Stubb", brief="true", limit="1")
    assert set(brief) == {
        "id",
        "event",
        "published_at",
        "order",
        "headline",
        "status",
        "rank",
        "snippet",
    }
    assert "<mark>Stubb</mark>" in brief["snippet"]
    [picked] = _hits(api, q="Stubb", fields="id,snippet", limit="1")
    assert picked == {"id": brief["id"], "snippet": brief["snippet"]}


def test_every_page_of_a_search_has_its_snippets(api: APIClient) -> None:
    first = api.get(URL, {"q": "Trump", "limit": "2"}).json()
    second = api.get(first["next"]).json()
    assert second["results"]
    for hit in first["results"] + second["results"]:
        assert "<mark>Trump</mark>" in hit["snippet"]
    assert first["results"][-1]["rank"] >= second["results"][0]["rank"]


@override_settings(SEARCH_SNIPPET_START="[[", SEARCH_SNIPPET_STOP="]]")
def test_the_markers_are_configurable(api: APIClient) -> None:
    [hit] = _hits(api, q="Stubb", limit="1")
    assert "[[Stubb]]" in hit["snippet"]
    assert "<mark>" not in hit["snippet"]


def test_an_export_of_a_search_keeps_the_list_columns(api: APIClient) -> None:
    response = api.get(URL, {"q": "troops", "format": "csv"})
    header = b"".join(response.streaming_content).split(b"\r\n")[0]  # type: ignore[attr-defined]
    assert (
        header
        == b"id,published_at,order,headline,body,credit,status,updated_at,event,sources,actors"
    )


SEARCH = """query($q: String!) { search(q: $q, first: 5) { entries { id }
    entryHits { rank snippet entry { id publishedAt body } } } }"""


def test_graphql_hits_are_the_rest_hits(api: APIClient) -> None:
    result = data(api, SEARCH, {"q": "sanctions oil"})["search"]
    hits = result["entryHits"]
    assert [hit["entry"]["id"] for hit in hits] == [entry["id"] for entry in result["entries"]]
    rest = _hits(api, q="sanctions oil", limit="5")
    assert [hit["snippet"] for hit in hits] == [hit["snippet"] for hit in rest]
    assert [hit["rank"] for hit in hits] == pytest.approx([hit["rank"] for hit in rest])
    assert [hit["entry"]["body"] for hit in hits] == [hit["body"] for hit in rest]


def test_graphql_hits_without_their_entry_and_an_empty_search(api: APIClient) -> None:
    found = data(api, '{ search(q: "Stubb") { entryHits { rank snippet } } }')
    assert len(found["search"]["entryHits"]) == 1
    assert "<mark>Stubb</mark>" in found["search"]["entryHits"][0]["snippet"]
    none = data(api, '{ search(q: "zzzqqq") { entryHits { rank entry { id } } } }')
    assert none["search"]["entryHits"] == []


def test_the_snippet_is_plain_text_with_markers(api: APIClient) -> None:
    """The text around the markers is the entry's own: the client escapes it."""
    [hit] = _hits(api, q="Stubb", limit="1")
    assert json.dumps(hit["snippet"]).count("<mark>") == hit["snippet"].count("<mark>")
    assert "&lt;" not in hit["snippet"]


@pytest.mark.parametrize("blank", ["", " ", "\t"])
def test_a_blank_q_is_no_search(api: APIClient, blank: str) -> None:
    """The filter ignores a blank `q`; ordering and the hit fields follow it (this was a 500)."""
    rows = _hits(api, q=blank, limit="3")
    assert [row["id"] for row in rows] == [row["id"] for row in _hits(api, limit="3")]
    assert "snippet" not in rows[0]
    assert api.get(URL, {"q": blank, "fields": "id"}).status_code == 200


def test_a_search_text_over_the_limit_is_refused_with_its_field(api: APIClient) -> None:
    """A snippet's cost grows with the square of the query's terms: 3,600 characters of one
    word repeated took seconds, and a longer GraphQL `q` outlasted the worker."""
    longest = "ukraine  " + " ".join(["ukraine"] * 31)
    assert len(longest) == SEARCH_MAX_LENGTH
    assert _hits(api, q=longest)
    too_long = longest + " ukraine"
    response = api.get(URL, {"q": too_long})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert f"at most {SEARCH_MAX_LENGTH} characters" in response.json()["errors"]["q"][0]
    for query in (
        "query($q: String!) { search(q: $q) { entryHits { rank snippet } } }",
        "query($q: String) { entries(first: 1, filters: {q: $q}) { totalCount } }",
    ):
        assert data(api, query, {"q": longest})
        body = run(api, query, {"q": too_long})
        assert f"at most {SEARCH_MAX_LENGTH} characters" in body["errors"][0]["message"]
        assert body["data"] is None
