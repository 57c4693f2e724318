"""GraphQL mutations: every one refused without the permission, working with it, and failing
with typed errors (OperationInfo) that name the field, never in errors[]."""

import base64
from datetime import timedelta
from typing import Any

import pytest
from rest_framework.test import APIClient

from actors.models import Stance
from events.models import Citation, Entry
from tests.factories import (
    ActorFactory,
    EntryFactory,
    EventFactory,
    SourceFactory,
    StanceFactory,
    TopicFactory,
)
from tests.graphql import data

pytestmark = pytest.mark.django_db
EVENT = "coalition-of-the-willing-summit-2025-09-04"
PAYLOAD = """
  __typename
  ... on OperationInfo { messages { kind field message code } }
"""


def gid(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def _call(
    client: APIClient,
    name: str,
    arguments: str,
    fields: str = "",
    variables: dict[str, Any] | None = None,
    signature: str = "",
) -> dict[str, Any]:
    document = f"mutation{signature} {{ {name}({arguments}) {{ {PAYLOAD} {fields} }} }}"
    result: dict[str, Any] = data(client, document, variables)[name]
    return result


ENTRY = {
    "event": EVENT,
    "publishedAt": "2025-09-04T20:00:00Z",
    "order": 11,
    "body": "Stubb told Finnish media, according to Reuters, that talks go on.",
    "citations": [
        {"key": "r", "source": "reuters", "role": "REPORTED_BY"},
        {
            "source": "finnish-media",
            "speaker": "alexander-stubb",
            "role": "QUOTED",
            "quote": "talks go on",
            "via": "r",
        },
    ],
    "mentions": [{"actor": "alexander-stubb", "role": "SPEAKER"}],
}


def _cases() -> list[tuple[str, str, str, Any]]:
    """(mutation, arguments, signature, variables factory) for every mutation."""
    return [
        ("createEntry", "data: $data", "($data: EntryInput!)", lambda: {"data": ENTRY}),
        (
            "updateEntry",
            "data: $data",
            "($data: EntryUpdateInput!)",
            lambda: {"data": {"id": gid("Entry", EntryFactory.create().pk), "credit": "AFP"}},
        ),
        (
            "deleteEntry",
            "id: $id",
            "($id: ID!)",
            lambda: {"id": gid("Entry", EntryFactory.create().pk)},
        ),
        (
            "createEvent",
            "data: $data",
            "($data: EventInput!)",
            lambda: {
                "data": {
                    "slug": "new",
                    "title": "New",
                    "startsAt": "2025-10-01T09:00:00Z",
                    "status": "LIVE",
                }
            },
        ),
        (
            "updateEvent",
            "data: $data",
            "($data: EventPartialInput!)",
            lambda: {"data": {"id": gid("Event", EventFactory.create().pk), "title": "Renamed"}},
        ),
        (
            "deleteEvent",
            "id: $id",
            "($id: ID!)",
            lambda: {"id": gid("Event", EventFactory.create().pk)},
        ),
        (
            "createSource",
            "data: $data",
            "($data: SourceInput!)",
            lambda: {"data": {"slug": "new", "name": "New", "kind": "NEWSPAPER"}},
        ),
        (
            "updateSource",
            "data: $data",
            "($data: SourcePartialInput!)",
            lambda: {"data": {"id": gid("Source", SourceFactory.create().pk), "name": "Renamed"}},
        ),
        (
            "deleteSource",
            "id: $id",
            "($id: ID!)",
            lambda: {"id": gid("Source", SourceFactory.create().pk)},
        ),
        (
            "createActor",
            "data: $data",
            "($data: ActorInput!)",
            lambda: {"data": {"slug": "new", "name": "New", "kind": "PERSON", "aliases": ["Newt"]}},
        ),
        (
            "updateActor",
            "data: $data",
            "($data: ActorPartialInput!)",
            lambda: {"data": {"id": gid("Actor", ActorFactory.create().pk), "name": "Renamed"}},
        ),
        (
            "deleteActor",
            "id: $id",
            "($id: ID!)",
            lambda: {"id": gid("Actor", ActorFactory.create().pk)},
        ),
        (
            "createTopic",
            "data: $data",
            "($data: TopicInput!)",
            lambda: {"data": {"slug": "new", "title": "New"}},
        ),
        (
            "updateTopic",
            "data: $data",
            "($data: TopicPartialInput!)",
            lambda: {"data": {"id": gid("Topic", TopicFactory.create().pk), "title": "Renamed"}},
        ),
        (
            "deleteTopic",
            "id: $id",
            "($id: ID!)",
            lambda: {"id": gid("Topic", TopicFactory.create().pk)},
        ),
        (
            "createStance",
            "data: $data",
            "($data: StanceInput!)",
            lambda: {
                "data": {
                    "actor": "finland",
                    "topic": "troops-to-ukraine",
                    "source": "rt",
                    "position": "CONDITIONAL",
                    "kind": "STATEMENT",
                    "summary": "Maybe.",
                    "validFrom": "2025-09-04T20:00:00Z",
                    "evidenceEvent": EVENT,
                }
            },
        ),
        (
            "updateStance",
            "data: $data",
            "($data: StanceUpdateInput!)",
            lambda: {
                "data": {"id": gid("Stance", StanceFactory.create().pk), "summary": "Changed."}
            },
        ),
        (
            "deleteStance",
            "id: $id",
            "($id: ID!)",
            lambda: {"id": gid("Stance", StanceFactory.create().pk)},
        ),
        (
            "verifyStance",
            "id: $id",
            "($id: ID!)",
            lambda: {"id": gid("Stance", StanceFactory.create(status="proposed").pk)},
        ),
        (
            "disputeStance",
            "id: $id",
            "($id: ID!)",
            lambda: {"id": gid("Stance", StanceFactory.create(status="proposed").pk)},
        ),
        (
            "rejectStance",
            "id: $id",
            "($id: ID!)",
            lambda: {"id": gid("Stance", StanceFactory.create(status="proposed").pk)},
        ),
        (
            "supersedeStance",
            "id: $id, supersedes: $other",
            "($id: ID!, $other: ID!)",
            _conflicting_pair,
        ),
        (
            "markSameStance",
            "id: $id, sameAs: $other",
            "($id: ID!, $other: ID!)",
            _conflicting_pair,
        ),
    ]


def _conflicting_pair() -> dict[str, str]:
    """A proposed stance overlapping an earlier verified one of the same actor and topic."""
    earlier = StanceFactory.create(status="verified")
    later = StanceFactory.create(
        actor=earlier.actor,
        topic=earlier.topic,
        status="proposed",
        valid_from=earlier.valid_from + timedelta(days=1),
    )
    return {"id": gid("Stance", later.pk), "other": gid("Stance", earlier.pk)}


CASES = _cases()


@pytest.mark.parametrize(
    ("name", "arguments", "signature", "variables"), CASES, ids=[c[0] for c in CASES]
)
@pytest.mark.parametrize("who", ["api", "reader_api"])
def test_every_mutation_is_refused_without_the_permission(
    request: pytest.FixtureRequest,
    who: str,
    name: str,
    arguments: str,
    signature: str,
    variables: Any,
) -> None:
    client: APIClient = request.getfixturevalue(who)
    result = _call(client, name, arguments, variables=variables(), signature=signature)
    assert result["__typename"] == "OperationInfo"
    assert result["messages"][0]["kind"] == "PERMISSION"


@pytest.mark.parametrize(
    ("name", "arguments", "signature", "variables"), CASES, ids=[c[0] for c in CASES]
)
def test_every_mutation_works_for_an_editor(
    editor_api: APIClient, name: str, arguments: str, signature: str, variables: Any
) -> None:
    result = _call(editor_api, name, arguments, variables=variables(), signature=signature)
    assert result["__typename"] != "OperationInfo", result


def test_create_entry_stores_the_citation_chain(editor_api: APIClient) -> None:
    result = _call(
        editor_api,
        "createEntry",
        "data: $data",
        "... on Entry { id citations { chain } }",
        {"data": ENTRY},
        "($data: EntryInput!)",
    )
    chains = {tuple(c["chain"]) for c in result["citations"]}
    assert ("Reuters", "Finnish media", "Alexander Stubb") in chains
    entry = Entry.objects.get(order=11)
    assert Citation.objects.filter(entry=entry, via__source__slug="reuters").count() == 1


def test_validation_errors_name_the_field_path(editor_api: APIClient) -> None:
    bad = {**ENTRY, "citations": [{"source": "no-such-outlet", "role": "REPORTED_BY"}]}
    result = _call(
        editor_api,
        "createEntry",
        "data: $data",
        variables={"data": bad},
        signature="($data: EntryInput!)",
    )
    assert result["__typename"] == "OperationInfo"
    assert result["messages"][0]["field"] == "citations.0.source"
    assert not Entry.objects.filter(order=11).exists()  # nothing half-written


def test_a_via_naming_no_earlier_citation_is_refused(editor_api: APIClient) -> None:
    bad = {**ENTRY, "citations": [{"source": "reuters", "role": "QUOTED", "via": "x"}]}
    result = _call(
        editor_api,
        "createEntry",
        "data: $data",
        variables={"data": bad},
        signature="($data: EntryInput!)",
    )
    assert result["messages"][0]["field"] == "citations.0.via"


def test_a_constraint_violation_is_a_typed_validation_error(editor_api: APIClient) -> None:
    bad = {**ENTRY, "order": 1}  # the seed's first entry holds that place
    result = _call(
        editor_api,
        "createEntry",
        "data: $data",
        variables={"data": bad},
        signature="($data: EntryInput!)",
    )
    assert result["__typename"] == "OperationInfo"
    assert "place in the feed" in result["messages"][0]["message"]


def test_verifying_an_overlapping_stance_is_refused_with_the_constraint_message(
    editor_api: APIClient,
) -> None:
    germany = Stance.objects.get(
        actor__slug="germany", topic__slug="troops-to-ukraine", valid_from="2025-09-04T16:20Z"
    )
    rival = StanceFactory.create(
        actor=germany.actor, topic=germany.topic, status="proposed", valid_from="2025-09-04T17:00Z"
    )
    result = _call(
        editor_api,
        "verifyStance",
        "id: $id",
        variables={"id": gid("Stance", rival.pk)},
        signature="($id: ID!)",
    )
    assert result["__typename"] == "OperationInfo"
    assert "already has a verified stance" in result["messages"][0]["message"]
    rival.refresh_from_db()
    assert rival.status == "proposed"


def test_verifying_records_who_decided(editor_api: APIClient, editor: Any) -> None:
    stance = StanceFactory.create(status="proposed")
    result = _call(
        editor_api,
        "verifyStance",
        "id: $id",
        "... on Stance { status decidedAt }",
        {"id": gid("Stance", stance.pk)},
        "($id: ID!)",
    )
    assert result["status"] == "VERIFIED"
    stance.refresh_from_db()
    assert stance.decided_by == editor


def test_deleting_a_cited_source_is_a_typed_conflict(editor_api: APIClient) -> None:
    from events.models import Source

    reuters = Source.objects.get(slug="reuters")
    result = _call(
        editor_api,
        "deleteSource",
        "id: $id",
        variables={"id": gid("Source", reuters.pk)},
        signature="($id: ID!)",
    )
    assert result["__typename"] == "OperationInfo"
    assert result["messages"][0]["code"] == "protected"
    assert Source.objects.filter(slug="reuters").exists()


def test_an_id_of_the_wrong_type_is_a_field_error(editor_api: APIClient) -> None:
    result = _call(
        editor_api,
        "deleteEntry",
        "id: $id",
        variables={"id": gid("Actor", 1)},
        signature="($id: ID!)",
    )
    assert result["messages"][0]["field"] == "id"


def test_a_missing_object_is_a_field_error(editor_api: APIClient) -> None:
    result = _call(
        editor_api,
        "deleteEntry",
        "id: $id",
        variables={"id": gid("Entry", 999999)},
        signature="($id: ID!)",
    )
    assert result["messages"][0]["code"] == "not_found"


def test_update_entry_replaces_mentions_only_when_given(editor_api: APIClient) -> None:
    entry = Entry.objects.get(order=5)
    before = entry.mentions.count()
    _call(
        editor_api,
        "updateEntry",
        "data: $data",
        variables={"data": {"id": gid("Entry", entry.pk), "credit": "Reuters"}},
        signature="($data: EntryUpdateInput!)",
    )
    assert entry.mentions.count() == before
    _call(
        editor_api,
        "updateEntry",
        "data: $data",
        variables={
            "data": {
                "id": gid("Entry", entry.pk),
                "mentions": [{"actor": "finland", "role": "SUBJECT"}],
            }
        },
        signature="($data: EntryUpdateInput!)",
    )
    assert list(entry.mentions.values_list("actor__slug", flat=True)) == ["finland"]
