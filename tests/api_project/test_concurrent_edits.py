"""Two editors writing the same record at once, with the same precondition, over real HTTP: one
succeeds, the other is refused (REST 412 problem+json, GraphQL an OperationInfo naming
`ifMatch`), and the record holds exactly the winner's change, nothing of the loser's."""

from typing import Any

import pytest
from django.contrib.auth.models import User
from pytest_django.live_server_helper import LiveServer

from actors.models import Mention, Topic
from api_project.roles import editors_group_ensure
from api_project.versions import row_version
from events.models import Citation, Entry
from tests.factories import ActorFactory, EntryFactory, SourceFactory, TopicFactory
from tests.tokens import token_for

from .races import graphql, race, send

pytestmark = pytest.mark.django_db(transaction=True)


def _tokens(count: int = 2) -> list[str]:
    """One token per editor: different users, as two people at two desks."""
    tokens = []
    for n in range(count):
        user = User.objects.create_user(f"desk-{n}", password="unused-password-1")
        user.groups.add(editors_group_ensure())
        tokens.append(token_for(user))
    return tokens


def _etag(url: str, token: str) -> str:
    status, headers, _ = send(url, "GET", token)
    assert status == 200
    return headers["ETag"]


def _one_winner(statuses: list[int], success: int) -> int:
    """The index of the request that succeeded; the other must be a 412."""
    assert sorted(statuses) == sorted([success, 412]), statuses
    return statuses.index(success)


def test_two_patches_with_one_etag_give_one_200_and_one_412(live_server: LiveServer) -> None:
    entry = EntryFactory.create(headline="Before", credit="")
    url = f"{live_server.url}/api/v1/entries/{entry.pk}/"
    tokens = _tokens()
    etag = _etag(url, tokens[0])
    changes = [
        {"headline": "Desk zero's headline", "credit": "AFP"},
        {"headline": "Desk one's headline", "body": "Desk one rewrote the body."},
    ]
    results = race(
        [
            lambda n=n: send(url, "PATCH", tokens[n], changes[n], {"If-Match": etag})  # type: ignore[misc]
            for n in range(2)
        ]
    )
    winner = _one_winner([status for status, _, _ in results], 200)
    loser = 1 - winner
    refused = results[loser]
    assert refused[1]["Content-Type"] == "application/problem+json"
    assert refused[2]["status"] == 412
    entry.refresh_from_db()
    expected = {"headline": "Before", "credit": "", "body": "Something happened."}
    expected |= changes[winner]
    assert {name: getattr(entry, name) for name in expected} == expected


def test_two_puts_with_one_etag_give_one_200_and_one_412(live_server: LiveServer) -> None:
    topic = TopicFactory.create(title="Before", description="")
    url = f"{live_server.url}/api/v1/topics/{topic.slug}/"
    tokens = _tokens()
    etag = _etag(url, tokens[0])
    bodies = [
        {"slug": topic.slug, "title": "Zero's title", "description": "Zero's words."},
        {"slug": topic.slug, "title": "One's title", "description": ""},
    ]
    results = race(
        [
            lambda n=n: send(url, "PUT", tokens[n], bodies[n], {"If-Match": etag})  # type: ignore[misc]
            for n in range(2)
        ]
    )
    winner = _one_winner([status for status, _, _ in results], 200)
    topic.refresh_from_db()
    assert (topic.title, topic.description) == (
        bodies[winner]["title"],
        bodies[winner]["description"],
    )


def test_a_delete_and_a_patch_with_one_etag_let_exactly_one_through(
    live_server: LiveServer,
) -> None:
    topic = TopicFactory.create(title="Before")
    url = f"{live_server.url}/api/v1/topics/{topic.slug}/"
    tokens = _tokens()
    etag = _etag(url, tokens[0])
    deleted, patched = race(
        [
            lambda: send(url, "DELETE", tokens[0], headers={"If-Match": etag}),
            lambda: send(url, "PATCH", tokens[1], {"title": "After"}, {"If-Match": etag}),
        ]
    )
    assert sorted([deleted[0], patched[0]]) in ([200, 412], [204, 412])
    if deleted[0] == 204:
        assert not Topic.objects.filter(pk=topic.pk).exists()
        assert patched[2]["status"] == 412
    else:
        assert Topic.objects.get(pk=topic.pk).title == "After"


def test_two_deletes_with_one_etag_give_one_204_and_one_412(live_server: LiveServer) -> None:
    topic = TopicFactory.create()
    url = f"{live_server.url}/api/v1/topics/{topic.slug}/"
    tokens = _tokens()
    etag = _etag(url, tokens[0])
    results = race(
        [lambda n=n: send(url, "DELETE", tokens[n], headers={"If-Match": etag}) for n in range(2)]  # type: ignore[misc]
    )
    _one_winner([status for status, _, _ in results], 204)
    assert not Topic.objects.filter(pk=topic.pk).exists()


def test_the_graphql_version_is_accepted_as_rest_if_match(live_server: LiveServer) -> None:
    topic = TopicFactory.create(title="Before")
    [token] = _tokens(1)
    url = f"{live_server.url}/api/v1/topics/{topic.slug}/"
    stale = f'"{row_version(topic)}"'
    assert send(url, "PATCH", token, {"title": "First"}, {"If-Match": stale})[0] == 200
    assert send(url, "PATCH", token, {"title": "Second"}, {"If-Match": stale})[0] == 412
    assert Topic.objects.get(pk=topic.pk).title == "First"


UPDATE_ENTRY = """
mutation($data: EntryUpdateInput!, $ifMatch: String) {
  updateEntry(data: $data, ifMatch: $ifMatch) {
    __typename
    ... on Entry { version headline citations { source { slug } } mentions { actor { slug } } }
    ... on OperationInfo { messages { kind field code message } }
  }
}
"""
ENTRY_VERSION = "query($id: ID!) { node(id: $id) { ... on Entry { version } } }"


def _global_id(type_name: str, pk: int) -> str:
    from strawberry import relay

    return str(relay.GlobalID(type_name, str(pk)))


def test_two_graphql_updates_of_one_entry_and_its_links_give_one_winner(
    live_server: LiveServer,
) -> None:
    """The loser's citations and mentions are not half-applied: the entry keeps the winner's."""
    entry = EntryFactory.create(headline="Before")
    sources = SourceFactory.create_batch(2)
    actors = ActorFactory.create_batch(2)
    node_id = _global_id("Entry", entry.pk)
    tokens = _tokens()
    version = graphql(live_server.url, tokens[0], ENTRY_VERSION, {"id": node_id})["data"]["node"][
        "version"
    ]
    assert version == row_version(entry)
    edits: list[dict[str, Any]] = [
        {
            "id": node_id,
            "headline": f"Desk {n}",
            "citations": [{"source": sources[n].slug, "role": "REPORTED_BY"}],
            "mentions": [{"actor": actors[n].slug, "role": "SPEAKER"}],
        }
        for n in range(2)
    ]
    results = race(
        [
            lambda n=n: graphql(  # type: ignore[misc]
                live_server.url, tokens[n], UPDATE_ENTRY, {"data": edits[n], "ifMatch": version}
            )["data"]["updateEntry"]
            for n in range(2)
        ]
    )
    kinds = [result["__typename"] for result in results]
    assert sorted(kinds) == ["Entry", "OperationInfo"], results
    winner = kinds.index("Entry")
    [message] = results[1 - winner]["messages"]
    assert (message["field"], message["code"]) == ("ifMatch", "precondition_failed")
    entry.refresh_from_db()
    assert entry.headline == f"Desk {winner}"
    assert list(Citation.objects.filter(entry=entry).values_list("source__slug", flat=True)) == [
        sources[winner].slug
    ]
    assert list(Mention.objects.filter(entry=entry).values_list("actor__slug", flat=True)) == [
        actors[winner].slug
    ]
    assert results[winner]["version"] == row_version(entry) != version


UPDATE_TOPIC = """
mutation($data: TopicPartialInput!, $ifMatch: String) {
  updateTopic(data: $data, ifMatch: $ifMatch) {
    __typename ... on Topic { title version }
    ... on OperationInfo { messages { field code } }
  }
}
"""
DELETE_TOPIC = """
mutation($id: ID!, $ifMatch: String) {
  deleteTopic(id: $id, ifMatch: $ifMatch) {
    __typename ... on OperationInfo { messages { field code } }
  }
}
"""


def test_a_graphql_update_and_delete_with_one_version_let_exactly_one_through(
    live_server: LiveServer,
) -> None:
    topic = TopicFactory.create(title="Before")
    node_id = _global_id("Topic", topic.pk)
    tokens = _tokens()
    version = row_version(topic)
    updated, deleted = race(
        [
            lambda: graphql(
                live_server.url,
                tokens[0],
                UPDATE_TOPIC,
                {"data": {"id": node_id, "title": "After"}, "ifMatch": version},
            )["data"]["updateTopic"],
            lambda: graphql(
                live_server.url, tokens[1], DELETE_TOPIC, {"id": node_id, "ifMatch": version}
            )["data"]["deleteTopic"],
        ]
    )
    kinds = sorted([updated["__typename"], deleted["__typename"]])
    assert kinds in (["OperationInfo", "Topic"], ["Deletion", "OperationInfo"]), kinds
    refused = updated if updated["__typename"] == "OperationInfo" else deleted
    assert [(m["field"], m["code"]) for m in refused["messages"]] == [
        ("ifMatch", "precondition_failed")
    ]
    if deleted["__typename"] == "Deletion":
        assert not Topic.objects.filter(pk=topic.pk).exists()
    else:
        assert Topic.objects.get(pk=topic.pk).title == "After"


def test_a_stale_graphql_version_writes_nothing_and_a_current_one_writes(
    live_server: LiveServer,
) -> None:
    entry = EntryFactory.create(headline="Before")
    [token] = _tokens(1)
    node_id = _global_id("Entry", entry.pk)
    Entry.objects.filter(pk=entry.pk).update(credit="Changed by SQL")  # no updated_at bump
    stale = graphql(
        live_server.url,
        token,
        UPDATE_ENTRY,
        {"data": {"id": node_id, "headline": "Mine"}, "ifMatch": row_version(entry)},
    )["data"]["updateEntry"]
    assert stale["__typename"] == "OperationInfo"
    entry.refresh_from_db()
    assert entry.headline == "Before"
    fresh = graphql(
        live_server.url,
        token,
        UPDATE_ENTRY,
        {"data": {"id": node_id, "headline": "Mine"}, "ifMatch": row_version(entry)},
    )["data"]["updateEntry"]
    assert fresh["__typename"] == "Entry"
    assert Entry.objects.get(pk=entry.pk).headline == "Mine"
