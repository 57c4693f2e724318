"""Inputs that once reached a 500 or a masked "Unexpected error.": each is now a 4xx (or a
typed GraphQL error) naming what is wrong, and nothing is written."""

import json
from typing import Any

import pytest
from rest_framework.test import APIClient

from actors.models import Actor
from events.models import Event, Source

pytestmark = pytest.mark.django_db
EVENT = "coalition-of-the-willing-summit-2025-09-04"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/entries/?updated_since=2025-01-01T00:00:00%2B18:17",
        "/api/v1/stances/?as_of=2025-09-04T16:20:00-16:00",
        "/api/v1/changes/?since=0027-03-22T23:19:27.22%2B19:22",
        "/api/v1/changes/export.csv/?since=0027-03-22T23:19:27.22%2B19:22",
        "/api/v1/entries/?format=csv&updated_since=2025-01-01T00:00:00%2B18:17",
        "/api/v1/topics/troops-to-ukraine/matrix/?as_of=2025-09-04T16:20:00%2B20:00",
        "/api/v1/stances/?as_of=9999-12-31T23:59:59-15:00",
    ],
)
def test_an_instant_postgresql_cannot_hold_is_a_400_naming_the_parameter(
    api: APIClient, url: str
) -> None:
    response = api.get(url)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    name = url.split("?")[1].split("&")[-1].split("=")[0]
    assert name in response.json()["errors"]


def test_offsets_postgresql_holds_still_filter(api: APIClient) -> None:
    response = api.get("/api/v1/entries/", {"updated_since": "2025-01-01T00:00:00+15:59"})
    assert response.status_code == 200


def test_a_write_with_an_impossible_offset_is_a_400_naming_the_field(
    editor_api: APIClient,
) -> None:
    count = Event.objects.count()
    body = {
        "slug": "far-east",
        "title": "Far east",
        "starts_at": "2025-09-04T13:30:00+18:00",
        "status": "live",
    }
    response = editor_api.post("/api/v1/events/", body, format="json")
    assert response.status_code == 400
    assert "starts_at" in response.json()["errors"]
    assert "15:59" in response.json()["errors"]["starts_at"][0]
    assert Event.objects.count() == count


def test_an_empty_alias_is_a_400_whose_errors_name_the_position(editor_api: APIClient) -> None:
    count = Actor.objects.count()
    body = {"slug": "nobody", "name": "Nobody", "kind": "person", "aliases": ["Nob", ""]}
    response = editor_api.post("/api/v1/actors/", body, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]["aliases"]
    assert "1" in errors  # the second alias, keyed as JSON allows
    assert Actor.objects.count() == count


def test_a_nul_in_a_form_encoded_body_is_a_400(editor_api: APIClient) -> None:
    count = Source.objects.count()
    response = editor_api.post(
        "/api/v1/sources/",
        "slug=nul&name=a%00b&kind=newspaper",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"name": ["Text may not contain NUL characters."]}
    assert Source.objects.count() == count


def test_a_nul_or_a_lone_surrogate_in_a_json_value_is_refused_under_its_path(
    editor_api: APIClient,
) -> None:
    count = Source.objects.count()
    body = b'{"slug": "nul", "name": "N", "kind": "newspaper", "url": "\\ud800"}'
    response = editor_api.generic(
        "POST",
        "/api/v1/sources/",
        body,  # type: ignore[arg-type]  # bytes are sent as they are
        content_type="application/json",
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["url"]

    nested = {"event": "x", "body": "B", "citations": [{"role": "reported", "quote": "a\x00"}]}
    response = editor_api.post("/api/v1/entries/", nested, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "citations": {"0": {"quote": ["Text may not contain NUL characters."]}}
    }

    # A key is no field: the body as a whole is refused.
    response = editor_api.post("/api/v1/sources/", {"sl\x00ug": "x"}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "Text may not contain NUL characters."
    assert Source.objects.count() == count


def _graphql(client: APIClient, query: str, variables: dict[str, Any] | None = None) -> Any:
    body = {"query": query, "variables": variables or {}}
    response = client.post("/graphql/", json.dumps(body), content_type="application/json")
    assert response.status_code == 200
    return response.json()


PAYLOAD = "{ __typename ... on OperationInfo { messages { field message code } } }"


@pytest.mark.parametrize(
    ("mutation", "data", "field"),
    [
        (
            "createEvent(data: $data)",
            {
                "slug": "null-summary",
                "title": "Null summary",
                "startsAt": "2025-09-04T13:30:00Z",
                "status": "LIVE",
                "summary": None,
            },
            "summary",
        ),
        (
            "createSource(data: $data)",
            {"slug": "null-country", "name": "Null country", "kind": "NEWSPAPER", "country": None},
            "country",
        ),
    ],
    ids=["event-summary", "source-country"],
)
def test_a_null_for_a_text_that_is_never_null_is_an_operation_info(
    editor_api: APIClient, mutation: str, data: dict[str, Any], field: str
) -> None:
    kind = "EventInput" if "Event" in mutation else "SourceInput"
    document = f"mutation($data: {kind}!) {{ {mutation} {PAYLOAD} }}"
    events, sources = Event.objects.count(), Source.objects.count()
    body = _graphql(editor_api, document, {"data": data})
    assert "errors" not in body, body
    [payload] = body["data"].values()
    assert payload["__typename"] == "OperationInfo"
    assert [message["field"] for message in payload["messages"]] == [field]
    assert (Event.objects.count(), Source.objects.count()) == (events, sources)


@pytest.mark.parametrize("cursor", ["not-base64!", "YXJyYXljb25uZWN0aW9uOng="])
def test_a_malformed_cursor_says_so_without_python_internals(api: APIClient, cursor: str) -> None:
    body = _graphql(
        api,
        "query($c: String) { entries(first: 2, after: $c) { totalCount } }",
        {"c": cursor},
    )
    [error] = body["errors"]
    assert "cursor" in error["message"].lower()
    assert "base64" not in error["message"].lower()
    assert "Unexpected error" not in error["message"]
