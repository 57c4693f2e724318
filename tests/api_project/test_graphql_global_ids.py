"""A mutation sent a global ID it cannot use (unreadable, empty, of an unknown or another type,
naming no row) answers OperationInfo naming the argument or input field that holds it, whether
the id is written in the document or passed in a variable, and writes nothing."""

import json
from typing import Any

import pytest
from rest_framework.test import APIClient
from strawberry import relay

from actors.models import Stance, Topic
from api_project.graphql.global_ids import UNREADABLE
from tests.factories import TopicFactory
from tests.graphql import run

pytestmark = pytest.mark.django_db
PAYLOAD = "{ __typename ... on OperationInfo { messages { kind field message code } } }"
UNREADABLE_IDS = ["not-an-id", "", "bm90LWFuLWlk", "!!!"]


def _wrong_ids() -> list[tuple[str, str]]:
    """(id, the refusal's code) for ids that read but name no topic."""
    return [
        (str(relay.GlobalID("Nope", "1")), "invalid"),
        (str(relay.GlobalID("Actor", "1")), "invalid"),
        (str(relay.GlobalID("Topic", "987654321")), "not_found"),
        (str(relay.GlobalID("Topic", "abc")), "not_found"),
    ]


def _refusal(body: dict[str, Any], mutation: str) -> list[dict[str, Any]]:
    assert "errors" not in body, body["errors"]
    payload = body["data"][mutation]
    assert payload["__typename"] == "OperationInfo", payload
    messages: list[dict[str, Any]] = payload["messages"]
    return messages


@pytest.mark.parametrize("sent", UNREADABLE_IDS)
def test_an_unreadable_id_argument_is_named(editor_api: APIClient, sent: str) -> None:
    topic = TopicFactory.create()
    variable = f"mutation($id: ID!) {{ deleteTopic(id: $id) {PAYLOAD} }}"
    literal = f"mutation {{ deleteTopic(id: {json.dumps(sent)}) {PAYLOAD} }}"
    for document, variables in ((variable, {"id": sent}), (literal, {})):
        messages = _refusal(run(editor_api, document, variables), "deleteTopic")
        assert messages == [
            {"kind": "VALIDATION", "field": "id", "message": UNREADABLE, "code": "invalid"}
        ]
    assert Topic.objects.filter(pk=topic.pk).exists()


@pytest.mark.parametrize("sent", UNREADABLE_IDS)
def test_an_unreadable_id_in_an_input_is_named_by_its_path(
    editor_api: APIClient, sent: str
) -> None:
    topic = TopicFactory.create(title="Kept")
    document = f"mutation($data: TopicPartialInput!) {{ updateTopic(data: $data) {PAYLOAD} }}"
    messages = _refusal(run(editor_api, document, {"data": {"id": sent}}), "updateTopic")
    assert [(m["field"], m["code"]) for m in messages] == [("id", "invalid")]

    literal = f'mutation {{ updateTopic(data: {{id: {json.dumps(sent)}, title: "X"}}) {PAYLOAD} }}'
    messages = _refusal(run(editor_api, literal), "updateTopic")
    assert [(m["field"], m["code"]) for m in messages] == [("id", "invalid")]
    topic.refresh_from_db()
    assert topic.title == "Kept"


def test_an_id_naming_no_topic_is_named_in_deletes_and_updates(editor_api: APIClient) -> None:
    topic = TopicFactory.create(title="Kept")
    delete = f"mutation($id: ID!) {{ deleteTopic(id: $id) {PAYLOAD} }}"
    update = f"mutation($data: TopicPartialInput!) {{ updateTopic(data: $data) {PAYLOAD} }}"
    for sent, code in _wrong_ids():
        messages = _refusal(run(editor_api, delete, {"id": sent}), "deleteTopic")
        assert [(m["field"], m["code"]) for m in messages] == [("id", code)], sent
        body = run(editor_api, update, {"data": {"id": sent, "title": "X"}})
        messages = _refusal(body, "updateTopic")
        assert [(m["field"], m["code"]) for m in messages] == [("id", code)], sent
    topic.refresh_from_db()
    assert topic.title == "Kept"


def test_a_nested_id_is_named_by_its_field(editor_api: APIClient) -> None:
    """`evidence`, an entry's id inside the stance's input."""
    document = f"mutation($data: StanceInput!) {{ createStance(data: $data) {PAYLOAD} }}"
    data = {
        "actor": "finland",
        "topic": "troops-to-ukraine",
        "source": "reuters",
        "position": "SUPPORT",
        "kind": "STATEMENT",
        "summary": "S",
        "validFrom": "2025-09-04T13:30:00Z",
    }
    before = Stance.objects.count()
    for sent in [*UNREADABLE_IDS, *(sent for sent, _ in _wrong_ids())]:
        messages = _refusal(
            run(editor_api, document, {"data": {**data, "evidence": sent}}), "createStance"
        )
        assert [m["field"] for m in messages] == ["evidence"], sent
    assert Stance.objects.count() == before


def test_a_query_keeps_an_unreadable_id_a_request_error(editor_api: APIClient) -> None:
    """Outside mutations no payload can carry the refusal: it stays in errors[], unmasked."""
    body = run(editor_api, "query($id: ID!) { node(id: $id) { id } }", {"id": "not-an-id"})
    [error] = body["errors"]
    assert error["message"] == 'Value cannot represent a GlobalID: "not-an-id".'
    assert error["path"] == ["node"]
