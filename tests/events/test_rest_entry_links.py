"""An entry's citations and mentions written over REST with the entry (POST, PUT, PATCH), as
GraphQL's createEntry/updateEntry write them: chains by `key`/`via`, sources, speakers and
actors by slug, a list sent replacing the entry's and a list left out keeping it, errors keyed
by path, and a refused write leaving every table as it was."""

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from pytest_django.live_server_helper import LiveServer
from rest_framework.test import APIClient
from strawberry import relay

from actors.models import Actor, Mention
from api_project.roles import editors_group_ensure
from api_project.versions import row_version
from events.models import Citation, Entry, Source
from tests.api_project.test_hostile_writes import snapshot
from tests.factories import ActorFactory, EventFactory, SourceFactory
from tests.graphql import data
from tests.tokens import token_for

pytestmark = pytest.mark.django_db
EVENT = "coalition-of-the-willing-summit-2025-09-04"

# "Stubb told Finnish media, according to Reuters", as the README writes it.
STUBB_CHAIN = [
    {"key": "r", "source": "reuters", "role": "reported_by"},
    {
        "source": "finnish-media",
        "speaker": "alexander-stubb",
        "role": "quoted",
        "quote": "Europe must be ready.",
        "via": "r",
    },
]
STUBB_NAMES = ["Reuters", "Finnish media", "Alexander Stubb"]


def _entry(**extra: Any) -> dict[str, Any]:
    return {
        "event": EVENT,
        "published_at": "2025-09-04T20:00:00Z",
        "order": 900,
        "body": "Stubb told Finnish media Europe must be ready, according to Reuters.",
        **extra,
    }


def _post(client: APIClient, body: Any) -> Any:
    return client.post("/api/v1/entries/", json.dumps(body), content_type="application/json")


def _send(client: APIClient, method: str, entry: Entry, body: Any, **headers: str) -> Any:
    return client.generic(
        method,
        f"/api/v1/entries/{entry.pk}/",
        json.dumps(body),
        content_type="application/json",
        **headers,  # type: ignore[arg-type]  # extra headers, as Django's client takes them
    )


def _chains(citations: list[dict[str, Any]]) -> list[list[str]]:
    return sorted(citation["chain"] for citation in citations)


def _graphql_links(client: APIClient, pk: int) -> dict[str, Any]:
    found: dict[str, Any] = data(
        client,
        """query($id: ID!) { node(id: $id) { ... on Entry {
             citations { role quote chain source { slug } speaker { slug } }
             mentions { role actor { slug } } } } }""",
        {"id": relay.to_base64("Entry", pk)},
    )["node"]
    return found


def _stored(entry: Entry) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    citations = Citation.objects.filter(entry=entry).order_by("id")
    mentions = Mention.objects.filter(entry=entry).order_by("id")
    return (
        list(citations.values_list("role", "source__slug", "speaker__slug", "quote", "via__id")),
        list(mentions.values_list("actor__slug", "role")),
    )


def test_a_posted_chain_reads_back_the_same_over_rest_and_graphql(
    editor_api: APIClient, api: APIClient
) -> None:
    body = _entry(
        citations=STUBB_CHAIN,
        mentions=[{"actor": "alexander-stubb", "role": "speaker"}],
    )
    response = _post(editor_api, body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert _chains(created["citations"]) == [["Reuters"], STUBB_NAMES]
    reuters, quoted = sorted(created["citations"], key=lambda c: len(c["chain"]))
    assert quoted["via"] == reuters["id"]  # the read shape: ids, not keys
    assert quoted["source"]["slug"] == "finnish-media"
    assert quoted["speaker"]["slug"] == "alexander-stubb"
    assert "key" not in quoted

    detail = api.get(f"/api/v1/entries/{created['id']}/").json()
    assert detail["citations"] == created["citations"]
    assert (
        detail["mentions"]
        == [{"actor": created["mentions"][0]["actor"], "role": "speaker"}]
        == created["mentions"]
    )

    node = _graphql_links(api, created["id"])
    assert sorted(c["chain"] for c in node["citations"]) == [["Reuters"], STUBB_NAMES]
    quoted_node = next(c for c in node["citations"] if len(c["chain"]) == 3)
    assert quoted_node == {
        "role": "QUOTED",
        "quote": "Europe must be ready.",
        "chain": STUBB_NAMES,
        "source": {"slug": "finnish-media"},
        "speaker": {"slug": "alexander-stubb"},
    }
    assert node["mentions"] == [{"role": "SPEAKER", "actor": {"slug": "alexander-stubb"}}]


def test_the_readme_example_writes_the_chain(editor_api: APIClient) -> None:
    """The body the README's curl sends, as it stands there."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme[readme.index("### Writing an entry's citations and mentions") :]
    body = json.loads(section[section.index("<<'JSON'\n") + 9 : section.index("\nJSON\n")])
    response = _post(editor_api, body)
    assert response.status_code == 201, response.content
    assert _chains(response.json()["citations"]) == [["Reuters"], STUBB_NAMES]
    assert [m["actor"]["slug"] for m in response.json()["mentions"]] == ["alexander-stubb"]


def _seed_entry() -> Entry:
    """The seed's Stubb entry: a chain and several mentions."""
    entry = Entry.objects.filter(event__slug=EVENT, mentions__actor__slug="alexander-stubb")[0]
    assert entry.citations.filter(via__isnull=False).exists()
    return entry


def test_patch_replacing_mentions_keeps_the_citations(editor_api: APIClient) -> None:
    entry = _seed_entry()
    citations_before, _ = _stored(entry)
    response = _send(
        editor_api, "PATCH", entry, {"mentions": [{"actor": "finland", "role": "subject"}]}
    )
    assert response.status_code == 200, response.content
    assert response.json()["mentions"] == [
        {
            "actor": {"slug": "finland", "name": "Finland", "kind": "country", "country": "FI"},
            "role": "subject",
        }
    ]
    citations_after, mentions_after = _stored(entry)
    assert citations_after == citations_before
    assert mentions_after == [("finland", "subject")]


def test_an_empty_list_removes_and_a_field_only_write_keeps(editor_api: APIClient) -> None:
    entry = _seed_entry()
    citations_before, mentions_before = _stored(entry)
    assert _send(editor_api, "PATCH", entry, {"credit": "AFP"}).status_code == 200
    assert _stored(entry) == (citations_before, mentions_before)
    response = _send(editor_api, "PATCH", entry, {"citations": []})
    assert response.status_code == 200, response.content
    assert response.json()["citations"] == []
    assert _stored(entry) == ([], mentions_before)


def test_put_keeps_lists_it_leaves_out_and_replaces_lists_it_sends(editor_api: APIClient) -> None:
    entry = _seed_entry()
    _, mentions_before = _stored(entry)
    fields = {
        "event": EVENT,
        "published_at": entry.published_at.isoformat(),
        "order": entry.order,
        "body": entry.body,
    }
    response = _send(editor_api, "PUT", entry, {**fields, "citations": STUBB_CHAIN})
    assert response.status_code == 200, response.content
    assert _chains(response.json()["citations"]) == [["Reuters"], STUBB_NAMES]
    citations, mentions = _stored(entry)
    assert mentions == mentions_before
    assert [(role, source, speaker) for role, source, speaker, *_ in citations] == [
        ("reported_by", "reuters", None),
        ("quoted", "finnish-media", "alexander-stubb"),
    ]
    assert citations[1][4] == Citation.objects.get(entry=entry, source__slug="reuters").pk


def test_if_match_guards_the_links_too(editor_api: APIClient) -> None:
    entry = _seed_entry()
    stale = f'"{row_version(entry)}"'
    assert _send(editor_api, "PATCH", entry, {"credit": "Reuters"}).status_code == 200
    before = snapshot()
    response = _send(editor_api, "PATCH", entry, {"mentions": []}, HTTP_IF_MATCH=stale)
    assert response.status_code == 412
    assert snapshot() == before
    entry.refresh_from_db()
    fresh = f'"{row_version(entry)}"'
    response = _send(editor_api, "PATCH", entry, {"mentions": []}, HTTP_IF_MATCH=fresh)
    assert response.status_code == 200, response.content
    entry.refresh_from_db()
    assert row_version(entry) != fresh.strip('"')  # writing the links moves the entry's version


HOSTILE: list[tuple[str, dict[str, Any], str]] = [
    (
        "unknown source slug",
        {"citations": [STUBB_CHAIN[0], {**STUBB_CHAIN[1], "source": "no-such-outlet"}]},
        "citations.1.source",
    ),
    (
        "unknown speaker slug",
        {"citations": [{"role": "quoted", "speaker": "nobody"}]},
        "citations.0.speaker",
    ),
    (
        "unknown actor slug",
        {"mentions": [{"actor": "nobody", "role": "subject"}]},
        "mentions.0.actor",
    ),
    ("via naming no key", {"citations": [{**STUBB_CHAIN[1], "via": "x"}]}, "citations.0.via"),
    (
        "vias in a loop",
        {
            "citations": [
                {"key": "a", "source": "reuters", "role": "via", "via": "b"},
                {"key": "b", "source": "reuters", "role": "via", "via": "a"},
            ]
        },
        "citations.0.via",
    ),
    (
        "via naming itself",
        {"citations": [{"key": "a", "source": "reuters", "role": "via", "via": "a"}]},
        "citations.0.via",
    ),
    (
        "a key given twice",
        {"citations": [STUBB_CHAIN[0], STUBB_CHAIN[0]]},
        "citations.1.key",
    ),
    ("nobody cited", {"citations": [{"role": "quoted", "quote": "Q"}]}, "citations.0"),
    (
        "an actor mentioned twice",
        {
            "mentions": [
                {"actor": "finland", "role": "subject"},
                {"actor": "finland", "role": "speaker"},
            ]
        },
        "mentions.1",
    ),
    ("citations not a list", {"citations": {"role": "quoted"}}, "citations"),
    ("a citation not an object", {"citations": ["reuters"]}, "citations.0"),
    ("a number for a slug", {"citations": [{"role": "quoted", "source": 7}]}, "citations.0.source"),
    (
        "a slug an object",
        {"citations": [{"role": "quoted", "source": {"slug": "reuters"}}]},
        "citations.0.source",
    ),
    ("via a number", {"citations": [{**STUBB_CHAIN[1], "via": [1]}]}, "citations.0.via"),
    ("unknown role", {"citations": [{"role": "said", "source": "reuters"}]}, "citations.0.role"),
    ("a role left out", {"citations": [{"source": "reuters"}]}, "citations.0.role"),
    ("an actor left out", {"mentions": [{"role": "subject"}]}, "mentions.0.actor"),
    ("an actor null", {"mentions": [{"actor": None, "role": "subject"}]}, "mentions.0.actor"),
    (
        "an unknown field of a citation",
        {"citations": [{**STUBB_CHAIN[0], "sorce": "reuters"}]},
        "citations.0.sorce",
    ),
    ("mentions not a list", {"mentions": "finland"}, "mentions"),
]


@pytest.mark.parametrize("method", ["POST", "PATCH"])
@pytest.mark.parametrize(
    ("body", "path"), [(body, path) for _, body, path in HOSTILE], ids=[n for n, _, _ in HOSTILE]
)
def test_a_bad_link_is_a_400_naming_its_path_and_writes_nothing(
    editor_api: APIClient, method: str, body: dict[str, Any], path: str
) -> None:
    entry = _seed_entry()
    stored_before = _stored(entry)
    version_before = row_version(entry)
    before = snapshot()
    if method == "POST":
        # A good chain beside the bad part: none of it may be written.
        response = _post(editor_api, _entry(**{"citations": STUBB_CHAIN, **body}))
    else:
        response = _send(editor_api, "PATCH", entry, {"credit": "Changed", **body})
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert path in errors, errors
    assert all(isinstance(message, str) for message in errors[path]), errors
    assert snapshot() == before
    entry.refresh_from_db()
    assert row_version(entry) == version_before
    assert _stored(entry) == stored_before


def test_graphql_refuses_a_key_given_twice_as_rest_does(editor_api: APIClient) -> None:
    """One rule for both APIs: the service's."""
    before = snapshot()
    result = data(
        editor_api,
        """mutation($data: EntryInput!) { createEntry(data: $data) {
             ... on OperationInfo { messages { field code } } } }""",
        {
            "data": {
                "event": EVENT,
                "publishedAt": "2025-09-04T20:00:00Z",
                "order": 901,
                "body": "B",
                "citations": [
                    {"key": "r", "source": "reuters", "role": "REPORTED_BY"},
                    {"key": "r", "source": "reuters", "role": "REPORTED_BY"},
                ],
            }
        },
    )
    assert [m["field"] for m in result["createEntry"]["messages"]] == ["citations.1.key"]
    assert snapshot() == before


@pytest.mark.django_db(transaction=True)
def test_the_chain_over_real_http(live_server: LiveServer) -> None:
    """A real client's POST and GET, with a token, against the live server."""
    event = EventFactory()
    # The seed's, where this database holds it; made here where it does not.
    for slug, name in (("reuters", "Reuters"), ("finnish-media", "Finnish media")):
        if not Source.objects.filter(slug=slug).exists():
            SourceFactory(slug=slug, name=name)
    if not Actor.objects.filter(slug="alexander-stubb").exists():
        ActorFactory(slug="alexander-stubb", name="Alexander Stubb", kind="person")
    editor = User.objects.create_user("linker", password="unused-password-1")
    editor.groups.add(editors_group_ensure())
    token = token_for(editor)

    def call(method: str, path: str, body: Any = None) -> tuple[int, Any]:
        request = urllib.request.Request(
            f"{live_server.url}{path}",
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Token {token}"},
            method=method,
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return int(response.status), json.loads(response.read())
        except urllib.error.HTTPError as error:
            return int(error.code), json.loads(error.read())

    body = {**_entry(citations=STUBB_CHAIN), "event": event.slug, "order": 1}
    status, created = call("POST", "/api/v1/entries/", body)
    assert status == 201, created
    status, read = call("GET", f"/api/v1/entries/{created['id']}/")
    assert status == 200
    assert _chains(read["citations"]) == [["Reuters"], STUBB_NAMES]

    before = (Entry.objects.count(), Citation.objects.count())
    bad = {"citations": [{**STUBB_CHAIN[1], "via": "nowhere"}]}
    status, problem = call("PATCH", f"/api/v1/entries/{created['id']}/", bad)
    assert status == 400
    assert list(problem["errors"]) == ["citations.0.via"]
    assert (Entry.objects.count(), Citation.objects.count()) == before
    status, read_again = call("GET", f"/api/v1/entries/{created['id']}/")
    assert read_again["citations"] == read["citations"]


def test_the_editors_browsable_form_offers_slugs(client: Any, editor: User) -> None:
    """The HTML form for an entry lists events by the slug a write takes (it was a 500: the
    brief objects a read shows cannot key a choice)."""
    client.force_login(editor)
    response = client.get(f"/api/v1/entries/{_seed_entry().pk}/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert f'<option value="{EVENT}"'.encode() in response.content
