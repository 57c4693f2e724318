"""Racing writers over real HTTP: one wins, the others get a 409, nothing is half-written."""

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from pytest_django.live_server_helper import LiveServer

from actors.models import Actor, Stance, Topic
from api_project.roles import editors_group_ensure
from events.models import Entry, Event, Source
from tests.factories import (
    ActorFactory,
    EntryFactory,
    EventFactory,
    SourceFactory,
    TopicFactory,
)
from tests.tokens import token_for

from .races import graphql, race, send

pytestmark = pytest.mark.django_db(transaction=True)


def _post(url: str, token: str, payload: dict[str, str]) -> int:
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Token {token}"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_racing_creates_of_one_slug_give_one_201_and_409s(live_server: LiveServer) -> None:
    editor = User.objects.create_user("racer", password="unused-password-1")
    editor.groups.add(editors_group_ensure())
    token = token_for(editor)
    barrier = threading.Barrier(4)
    statuses: list[int] = []

    def create(n: int) -> None:
        barrier.wait()
        statuses.append(
            _post(
                f"{live_server.url}/api/v1/topics/", token, {"slug": "contested", "title": f"T{n}"}
            )
        )

    threads = [threading.Thread(target=create, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [201, 409, 409, 409]
    assert Topic.objects.filter(slug="contested").count() == 1


def test_the_api_docs_and_schema_are_served(live_server: LiveServer) -> None:
    with urllib.request.urlopen(f"{live_server.url}/api/docs/", timeout=30) as response:
        page = response.read().decode()
    assert "swagger-ui" in page
    assert "cdn" not in page.lower()  # served from the package, not a CDN
    with urllib.request.urlopen(f"{live_server.url}/api/schema/", timeout=30) as response:
        assert b"openapi: 3" in response.read()


def _editor_token() -> str:
    editor = User.objects.create_user("key-racer", password="unused-password-1")
    editor.groups.add(editors_group_ensure())
    return token_for(editor)


def _natural_keys() -> dict[str, tuple[str, Callable[[int], dict[str, Any]], Callable[[], int]]]:
    """Each natural key: the list to POST to, the n-th racer's body (one key, different other
    fields), and how many rows hold the key afterwards."""
    event = EventFactory.create()
    actor, topic, source = ActorFactory.create(), TopicFactory.create(), SourceFactory.create()
    entry = EntryFactory.create(event=event)
    return {
        "event slug": (
            "events",
            lambda n: {"slug": "k", "title": f"E{n}", "starts_at": START, "status": "live"},
            lambda: Event.objects.filter(slug="k").count(),
        ),
        "source slug": (
            "sources",
            lambda n: {"slug": "k", "name": f"S{n}", "kind": "newspaper"},
            lambda: Source.objects.filter(slug="k").count(),
        ),
        "actor slug": (
            "actors",
            lambda n: {"slug": "k", "name": f"A{n}", "kind": "person"},
            lambda: Actor.objects.filter(slug="k").count(),
        ),
        "actor wikidata id": (
            "actors",
            lambda n: {"slug": f"k{n}", "name": f"A{n}", "kind": "person", "wikidata_id": "Q7"},
            lambda: Actor.objects.filter(wikidata_id="Q7").count(),
        ),
        "entry place in its event": (
            "entries",
            lambda n: {"event": event.slug, "published_at": START, "order": 99, "body": f"B{n}"},
            lambda: Entry.objects.filter(event=event, order=99).count(),
        ),
        "verified stance span": (
            "stances",
            lambda n: {
                "actor": actor.slug,
                "topic": topic.slug,
                "source": source.slug,
                "evidence": entry.pk,
                "position": "support",
                "kind": "statement",
                "summary": f"Said so ({n}).",
                "valid_from": START,
                "status": "verified",
            },
            lambda: Stance.objects.filter(actor=actor, topic=topic).count(),
        ),
    }


START = "2025-09-04T13:30:00Z"
KEYS = [
    "event slug",
    "source slug",
    "actor slug",
    "actor wikidata id",
    "entry place in its event",
]
# Not a key but a rule of the same kind: verified stances of one actor and topic never overlap.
# A loser gets what a writer coming second gets: a 400 with the constraint's message.
OVERLAP = "verified stance span"


@pytest.mark.parametrize("key", KEYS)
def test_racing_rest_creates_of_one_natural_key_give_one_201_and_409s(
    live_server: LiveServer, key: str
) -> None:
    resource, body, holders = _natural_keys()[key]
    token = _editor_token()
    url = f"{live_server.url}/api/v1/{resource}/"
    results = race([lambda n=n: send(url, "POST", token, body(n)) for n in range(3)])  # type: ignore[misc]
    statuses = sorted(status for status, _, _ in results)
    assert statuses == [201, 409, 409], results
    for status, headers, problem in results:
        if status == 409:
            assert headers["Content-Type"] == "application/problem+json"
            assert problem["status"] == 409
            assert problem["errors"], problem  # what it conflicts on, as a second writer hears
    assert holders() == 1


def test_racing_overlapping_verified_stances_give_one_201_and_the_constraints_400s(
    live_server: LiveServer,
) -> None:
    resource, body, holders = _natural_keys()[OVERLAP]
    token = _editor_token()
    url = f"{live_server.url}/api/v1/{resource}/"
    results = race([lambda n=n: send(url, "POST", token, body(n)) for n in range(3)])  # type: ignore[misc]
    assert sorted(status for status, _, _ in results) == [201, 400, 400], results
    for status, _, problem in results:
        if status == 400:
            assert "already has a verified stance" in str(problem["errors"])
    assert holders() == 1


GRAPHQL_CREATES = {
    "event slug": ("createEvent", "EventInput"),
    "source slug": ("createSource", "SourceInput"),
    "actor slug": ("createActor", "ActorInput"),
    "actor wikidata id": ("createActor", "ActorInput"),
    "entry place in its event": ("createEntry", "EntryInput"),
    "verified stance span": ("createStance", "StanceInput"),
}
ENUMS = {"status", "kind", "position"}


def _graphql_input(body: dict[str, Any]) -> dict[str, Any]:
    """A REST body as the mutation's input: camelCase names, enum values in capitals, an
    entry's id as a global ID."""
    from strawberry import relay
    from strawberry.utils.str_converters import to_camel_case

    data: dict[str, Any] = {}
    for name, value in body.items():
        if name in ENUMS:
            value = value.upper()
        if name == "evidence":
            value = str(relay.GlobalID("Entry", str(value)))
        data[to_camel_case(name)] = value
    return data


@pytest.mark.parametrize("key", [*KEYS, OVERLAP])
def test_racing_graphql_creates_of_one_natural_key_give_one_record_and_typed_conflicts(
    live_server: LiveServer, key: str
) -> None:
    _, body, holders = _natural_keys()[key]
    mutation, input_type = GRAPHQL_CREATES[key]
    document = (
        f"mutation($data: {input_type}!) {{ {mutation}(data: $data) {{ __typename "
        "... on OperationInfo { messages { kind field code message } } } }"
    )
    token = _editor_token()
    results = race(
        [
            lambda n=n: graphql(live_server.url, token, document, {"data": _graphql_input(body(n))})  # type: ignore[misc]
            for n in range(3)
        ]
    )
    assert all("errors" not in result for result in results), results
    payloads = [result["data"][mutation] for result in results]
    refused = [p for p in payloads if p["__typename"] == "OperationInfo"]
    assert len(refused) == 2, payloads
    for payload in refused:
        [message] = payload["messages"]
        assert message["kind"] == "VALIDATION"
        assert message["code"] == ("overlap" if key == OVERLAP else "unique"), message
    assert holders() == 1
