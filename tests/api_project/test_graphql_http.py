"""/graphql/ as GraphQL over HTTP: media types and status codes, JSON transport errors, hostile
bodies, batching, HTTP caching of GETs, and production's error messages."""

import hashlib
import json
import time
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.test import APIClient

from api_project.graphql.transport import MAX_DOCUMENT_LENGTH
from events.models import Entry, Event
from tests.graphql import data

pytestmark = pytest.mark.django_db
GRAPHQL_RESPONSE = "application/graphql-response+json"
EVENT = "coalition-of-the-willing-summit-2025-09-04"
TOPICS = "{ topics { totalCount } }"


def post(
    client: Client, body: Any, accept: str | None = None, content_type: str = "application/json"
) -> Any:
    headers: dict[str, Any] = {"HTTP_ACCEPT": accept} if accept else {}
    raw = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post("/graphql/", raw, content_type=content_type, **headers)


def errors(response: Any) -> list[dict[str, Any]]:
    assert response["Content-Type"].split(";")[0] in ("application/json", GRAPHQL_RESPONSE)
    found: list[dict[str, Any]] = response.json()["errors"]
    return found


# Media types and the spec's status codes


def test_graphql_response_json_is_answered_when_preferred(api: APIClient) -> None:
    response = post(api, {"query": TOPICS}, f"{GRAPHQL_RESPONSE}, application/json;q=0.9")
    assert response.status_code == 200
    assert response["Content-Type"] == f"{GRAPHQL_RESPONSE}; charset=utf-8"
    assert response.json() == {"data": {"topics": {"totalCount": 11}}}


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        (f"{GRAPHQL_RESPONSE}; charset=utf-8", GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE}, application/json", GRAPHQL_RESPONSE),
        (f"application/json, {GRAPHQL_RESPONSE}", "application/json"),
        (f"{GRAPHQL_RESPONSE};q=0.5, application/json", "application/json"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", "application/json"),
        ("*/*, application/json;q=0", GRAPHQL_RESPONSE),
    ],
)
def test_the_accept_header_is_negotiated(api: APIClient, accept: str, media: str) -> None:
    response = post(api, {"query": TOPICS}, accept)
    assert response.status_code == 200
    assert response["Content-Type"] == f"{media}; charset=utf-8"


@pytest.mark.parametrize("accept", [None, "application/json", "*/*"])
def test_legacy_clients_get_application_json(api: APIClient, accept: str | None) -> None:
    response = post(api, {"query": TOPICS}, accept)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"query": "{ topics { "}, "Syntax Error"),
        ({"query": "{ nope }"}, "Cannot query field 'nope'"),
        (
            {
                "query": "query($n: Int) { entries(first: $n) { totalCount } }",
                "variables": {"n": "abc"},
            },
            "Int cannot represent non-integer value: 'abc'",
        ),
    ],
    ids=["parse", "validation", "coercion"],
)
def test_request_errors_are_400s_without_data_under_graphql_response_json(
    api: APIClient, body: dict[str, Any], message: str
) -> None:
    strict = post(api, body, GRAPHQL_RESPONSE)
    assert strict.status_code == 400
    assert "data" not in strict.json()
    assert message in errors(strict)[0]["message"]
    legacy = post(api, body, "application/json")
    assert legacy.status_code == 200
    assert message in errors(legacy)[0]["message"]


def test_a_field_error_keeps_its_data_and_a_200(api: APIClient) -> None:
    body = {"query": "{ topics { totalCount } entries(first: 1000) { totalCount } }"}
    response = post(api, body, GRAPHQL_RESPONSE)
    assert response.status_code == 200
    assert response.json()["data"] is None or "topics" in response.json()["data"]
    assert "cannot be higher than 100" in errors(response)[0]["message"]
    assert errors(response)[0]["path"] == ["entries"]


def test_an_unacceptable_accept_header_is_a_json_406(api: APIClient) -> None:
    response = post(api, {"query": TOPICS}, "text/csv")
    assert response.status_code == 406
    assert "Accept" in errors(response)[0]["message"]


# Transport errors: JSON bodies, each with its message


@pytest.mark.parametrize(
    ("body", "content_type", "status", "message"),
    [
        ('{ "not a JSON', "application/json", 400, "Malformed JSON"),
        ({"qeury": TOPICS}, "application/json", 400, "No GraphQL query"),
        ({"query": 5}, "application/json", 400, "`query` must be a string"),
        (
            {"query": TOPICS, "variables": [1]},
            "application/json",
            400,
            "`variables` must be an object",
        ),
        ("", "application/json", 400, "empty"),
        ("[]", "application/json", 400, "empty batch"),
        ("7", "application/json", 400, "JSON object"),
        ("query=" + TOPICS, "application/x-www-form-urlencoded", 415, "application/json"),
        (json.dumps({"query": TOPICS}), "text/plain", 415, "not text/plain"),
        (json.dumps({"query": TOPICS}), "application/json; charset=latin-1", 415, "UTF-8"),
    ],
    ids=[
        "bad-json",
        "no-query",
        "query-not-string",
        "variables-not-object",
        "empty",
        "empty-batch",
        "scalar",
        "form",
        "text-plain",
        "latin-1",
    ],
)
def test_transport_errors_are_json(
    api: APIClient, body: Any, content_type: str, status: int, message: str
) -> None:
    response = post(api, body, content_type=content_type)
    assert response.status_code == status
    assert message in errors(response)[0]["message"]
    assert errors(response)[0]["extensions"]["code"]


def test_a_post_of_bytes_is_a_json_415(api: APIClient) -> None:
    response = api.generic("POST", "/graphql/", "{}", "application/octet-stream")
    assert response.status_code == 415
    assert "not application/octet-stream" in errors(response)[0]["message"]


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_other_methods_are_a_json_405(api: APIClient, method: str) -> None:
    response = api.generic(method, "/graphql/", json.dumps({"query": TOPICS}), "application/json")
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"
    assert "GET and POST" in errors(response)[0]["message"]


def test_a_mutation_over_get_is_a_405_naming_post(api: APIClient) -> None:
    response = api.get(
        "/graphql/",
        {"query": 'mutation { deleteTopic(id: "x") { __typename } }'},
        HTTP_ACCEPT=GRAPHQL_RESPONSE,
    )
    assert response.status_code == 405
    assert "use POST" in errors(response)[0]["message"]


# Hostile bodies, refused as REST refuses them


def test_variables_nested_50000_deep_are_a_400(api: APIClient) -> None:
    body = (
        '{"query": "{ topics { totalCount } }", "variables": {"a": '
        + "[" * 50_000
        + "]" * 50_000
        + "}}"
    )
    response = post(api, body)
    assert response.status_code == 400
    assert "nested deeper than 32 levels" in errors(response)[0]["message"]


def test_deep_variables_in_a_get_are_a_400(api: APIClient) -> None:
    response = api.get("/graphql/", {"query": TOPICS, "variables": "[" * 50_000 + "]" * 50_000})
    assert response.status_code == 400
    assert "nested deeper" in errors(response)[0]["message"]


def test_a_body_that_is_not_utf8_is_a_400(api: APIClient) -> None:
    response = post(api, '{"query": "{ topics { totalCount } }", "x": "\xe9"}'.encode("latin-1"))
    assert response.status_code == 400
    assert "not UTF-8" in errors(response)[0]["message"]


def test_utf16_is_not_guessed(api: APIClient) -> None:
    response = post(api, json.dumps({"query": TOPICS}).encode("utf-16"))
    assert response.status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        json.dumps({"query": TOPICS, "variables": {"q": "a\x00b"}}),
        b'{"query": "{ topics { totalCount } }\x00"}',
    ],
    ids=["escaped", "raw"],
)
def test_nul_in_the_body_is_a_400(api: APIClient, body: str | bytes) -> None:
    response = post(api, body)
    assert response.status_code == 400
    assert errors(response)[0]["message"]


def test_a_body_over_the_limit_is_a_json_413(api: APIClient) -> None:
    padding = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = post(api, {"query": TOPICS, "variables": {"pad": padding}})
    assert response.status_code == 413
    assert "too large" in errors(response)[0]["message"]


# Production's messages: coercion and validation readable, internal errors masked


@pytest.mark.parametrize(
    ("query", "variables", "message"),
    [
        (
            "query($t: DateTime!) "
            "{ entries(first: 1, filters: {publishedAfter: $t}) { totalCount } }",
            {"t": "2025-09-04T16:20:00"},
            "timezone",
        ),
        ("query($n: Int) { entries(first: $n) { totalCount } }", {"n": "abc"}, "non-integer"),
        (
            "query($p: Position) { stances(first: 1, filters: {position: $p}) { totalCount } }",
            {"p": "MAYBE"},
            "MAYBE",
        ),
    ],
    ids=["naive-datetime", "int", "enum"],
)
def test_variable_coercion_errors_keep_their_message(
    api: APIClient, query: str, variables: dict[str, Any], message: str
) -> None:
    assert not settings.DEBUG
    response = post(api, {"query": query, "variables": variables})
    found = errors(response)[0]["message"]
    assert message in found
    assert found != "Unexpected error."


def test_a_naive_published_at_comes_back_in_operation_info(editor_api: APIClient) -> None:
    document = """mutation($data: EntryInput!) { createEntry(data: $data) {
        __typename ... on OperationInfo { messages { kind field message code } } } }"""
    data = {"event": EVENT, "publishedAt": "2025-09-04T21:00:00", "order": 900, "body": "Late."}
    count = Entry.objects.count()
    response = post(editor_api, {"query": document, "variables": {"data": data}}, GRAPHQL_RESPONSE)
    assert response.status_code == 200
    body = response.json()
    assert "errors" not in body
    payload = body["data"]["createEntry"]
    assert payload["__typename"] == "OperationInfo"
    assert payload["messages"] == [
        {
            "kind": "VALIDATION",
            "field": "publishedAt",
            "message": payload["messages"][0]["message"],
            "code": "invalid",
        }
    ]
    assert "timezone" in payload["messages"][0]["message"]
    assert Entry.objects.count() == count


def test_a_naive_published_at_in_update_entry_is_in_operation_info(editor_api: APIClient) -> None:
    before = dict(Entry.objects.values_list("pk", "published_at"))
    node = post(editor_api, {"query": "{ entries(first: 1) { edges { node { id } } } }"})
    entry_id = node.json()["data"]["entries"]["edges"][0]["node"]["id"]
    document = """mutation($data: EntryUpdateInput!) { updateEntry(data: $data) {
        ... on OperationInfo { messages { field code } } } }"""
    variables = {"data": {"id": entry_id, "publishedAt": "2025-09-04 21:00"}}
    body = post(editor_api, {"query": document, "variables": variables}).json()
    assert body == {
        "data": {"updateEntry": {"messages": [{"field": "publishedAt", "code": "invalid"}]}}
    }
    assert dict(Entry.objects.values_list("pk", "published_at")) == before


LATE_EVENT = """mutation { createEvent(data:
    {slug: "late", title: "Late", startsAt: "2025-09-04 21:00", status: LIVE})"""


def test_a_naive_datetime_inline_in_a_generated_mutation_is_in_operation_info(
    editor_api: APIClient,
) -> None:
    document = (
        LATE_EVENT
        + """ {
        __typename ... on OperationInfo { messages { field message } } } }"""
    )
    body = post(editor_api, {"query": document}).json()
    assert "errors" not in body
    assert body["data"]["createEvent"]["messages"][0]["field"] == "startsAt"
    assert not Event.objects.filter(slug="late").exists()


def test_permission_is_checked_before_the_inputs(api: APIClient) -> None:
    document = (
        LATE_EVENT
        + """ {
        ... on OperationInfo { messages { kind } } } }"""
    )
    body = post(api, {"query": document}).json()
    assert body["data"]["createEvent"]["messages"][0]["kind"] == "PERMISSION"


# Batching


def test_a_batch_is_answered_with_an_array(api: APIClient) -> None:
    batch = [
        {"query": TOPICS},
        {"query": "query Named { events { totalCount } }", "operationName": "Named"},
        {"query": "{ nope }"},
    ]
    response = post(api, batch, GRAPHQL_RESPONSE)
    assert response.status_code == 200
    first, second, third = response.json()
    assert first == {"data": {"topics": {"totalCount": 11}}}
    assert second == {"data": {"events": {"totalCount": 1}}}
    assert "data" not in third
    assert "nope" in third["errors"][0]["message"]


def test_a_batch_over_the_limit_is_refused(api: APIClient) -> None:
    response = post(api, [{"query": TOPICS}] * 11)
    assert response.status_code == 400
    assert "at most 10 operations" in errors(response)[0]["message"]


# HTTP caching of GETs


def test_anonymous_gets_are_public_and_revalidated(api: APIClient) -> None:
    time.sleep(1.05)  # Last-Modified is only sent once the second of the last write is over.
    response = api.get("/graphql/", {"query": TOPICS})
    assert response.status_code == 200
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert cache_control == {"public", "max-age=0", "must-revalidate"}
    vary = {part.strip() for part in response["Vary"].split(",")}
    assert {"Accept", "Authorization", "Cookie"} <= vary
    assert response["ETag"]
    again = api.get("/graphql/", {"query": TOPICS}, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    since = api.get(
        "/graphql/", {"query": TOPICS}, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]
    )
    assert since.status_code == 304


def test_authenticated_gets_are_private(editor_api: APIClient, editor: User) -> None:
    response = editor_api.get("/graphql/", {"query": TOPICS})
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    session = Client()
    session.force_login(editor)
    assert "private" in session.get("/graphql/", {"query": TOPICS})["Cache-Control"]


def test_posts_carry_no_cache_headers(api: APIClient) -> None:
    response = post(api, {"query": TOPICS})
    assert "Cache-Control" not in response
    assert "Last-Modified" not in response


# A mutation's payload selection is not its input: refused values there stop it before it writes

RENAME_TOPIC = """mutation%s { updateTopic(data: {id: "%s", title: "Renamed"}) {
    ... on Topic { stances(first: 1, filters: {asOf: %s}) { totalCount } }
    ... on OperationInfo { messages { field message code } } } }"""


def _topic_id(client: APIClient) -> str:
    body = post(client, {"query": "{ topics(first: 1) { edges { node { id title } } } }"})
    node: dict[str, str] = body.json()["data"]["topics"]["edges"][0]["node"]
    return node["id"]


def test_a_naive_datetime_written_in_the_payload_selection_is_refused_before_the_write(
    editor_api: APIClient,
) -> None:
    from actors.models import Topic

    titles = set(Topic.objects.values_list("title", flat=True))
    document = RENAME_TOPIC % ("", _topic_id(editor_api), '"2025-09-04T16:20"')
    response = post(editor_api, {"query": document}, GRAPHQL_RESPONSE)
    assert response.status_code == 400  # a request error: nothing ran
    assert "timezone" in errors(response)[0]["message"]
    assert set(Topic.objects.values_list("title", flat=True)) == titles


def test_a_naive_datetime_variable_in_the_payload_selection_is_refused_before_the_write(
    editor_api: APIClient,
) -> None:
    from actors.models import Topic

    titles = set(Topic.objects.values_list("title", flat=True))
    document = RENAME_TOPIC % ("($at: DateTime!)", _topic_id(editor_api), "$at")
    variables = {"at": "2025-09-04T16:20"}
    body = post(editor_api, {"query": document, "variables": variables}).json()
    assert "errors" not in body
    [message] = body["data"]["updateTopic"]["messages"]
    assert message["field"] == "$at"
    assert message["code"] == "invalid"
    assert "timezone" in message["message"]
    assert set(Topic.objects.values_list("title", flat=True)) == titles


def test_an_aware_datetime_in_the_payload_selection_runs(editor_api: APIClient) -> None:
    document = RENAME_TOPIC % ("", _topic_id(editor_api), '"2025-09-04T16:20:00Z"')
    body = post(editor_api, {"query": document}).json()
    assert "errors" not in body
    assert isinstance(body["data"]["updateTopic"]["stances"]["totalCount"], int)


# Values JSON can carry and Python or PostgreSQL cannot


@pytest.mark.parametrize(
    "variables",
    [
        '{"a": 18446744073709551616}',
        '{"a": ' + "1" * 5000 + "}",
        '{"a": "\\ud800"}',
        '{"\\udfff": 1}',
    ],
    ids=["over-64-bits", "over-4300-digits", "lone-surrogate", "surrogate-key"],
)
def test_unreadable_variables_are_a_json_4xx_over_post_and_get(
    api: APIClient, variables: str
) -> None:
    body = '{"query": "{ __typename }", "variables": ' + variables + "}"
    over_post = post(api, body)
    over_get = api.get("/graphql/", {"query": "{ __typename }", "variables": variables})
    for response in (over_post, over_get):
        assert response.status_code in (200, 400), response.content
        assert response["Content-Type"].startswith("application/json")
        answer = response.json()
        assert answer.get("errors") or answer["data"] == {"__typename": "Query"}


def test_a_lone_surrogate_in_a_persisted_query_or_document_id_is_a_400(api: APIClient) -> None:
    apq = '{"query": "{ __typename \\ud800 }", "extensions": {"persistedQuery": {"version": 1, '
    apq += '"sha256Hash": "' + "0" * 64 + '"}}}'
    for body in (apq, '{"documentId": "sha256:\\ud800"}'):
        response = post(api, body)
        assert response.status_code == 400
        assert "surrogate" in errors(response)[0]["message"]


def test_a_document_over_the_length_limit_is_a_413(api: APIClient) -> None:
    from api_project.graphql.transport import MAX_DOCUMENT_LENGTH

    query = "{ __typename }\n#" + "x" * MAX_DOCUMENT_LENGTH
    response = post(api, {"query": query})
    assert response.status_code == 413
    assert errors(response)[0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


def test_an_invalid_token_is_refused_in_the_transport_error_shape(api: APIClient) -> None:
    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    response = post(api, {"query": TOPICS})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {
        "errors": [{"message": "Invalid token.", "extensions": {"code": "UNAUTHENTICATED"}}]
    }


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_empty_query_is_a_400_naming_the_missing_query(api: APIClient, method: str) -> None:
    """`query: ""` reached the executor, which raised (a 500)."""
    if method == "get":
        response = api.get("/graphql/", {"query": ""}, HTTP_ACCEPT="application/json")
    else:
        response = post(api, {"query": ""})
    assert response.status_code == 400
    assert "No GraphQL query" in errors(response)[0]["message"]


@pytest.mark.parametrize("accept", [None, GRAPHQL_RESPONSE])
def test_a_variable_beyond_64_bits_is_an_int_coercion_error(
    api: APIClient, accept: str | None
) -> None:
    """A JSON number too large for the response cache's key was a 500."""
    query = "query($n: Int) { entries(first: $n) { totalCount } }"
    response = post(api, {"query": query, "variables": {"n": 10**40}}, accept)
    assert response.status_code == (400 if accept else 200)
    assert "32-bit" in errors(response)[0]["message"]
    unused = post(api, {"query": TOPICS, "variables": {"big": 10**40}})
    assert unused.status_code == 200
    assert unused.json()["data"]["topics"]["totalCount"] > 0


@pytest.mark.parametrize(
    "query",
    [
        '{ citations(first: 1, filters: {event: "\\u0000"}) { totalCount } }',
        '{ search(q: "a\\u0000b") { entryHits { rank snippet } } }',
        'query($q: String = "\\u0000") { mentions(filters: {actor: $q}) { totalCount } }',
    ],
    ids=["filter", "search", "default"],
)
@pytest.mark.parametrize("accept", [None, GRAPHQL_RESPONSE])
def test_a_nul_escaped_in_the_document_is_a_request_error(
    api: APIClient, query: str, accept: str | None
) -> None:
    """The escape passes the body's check and only the parser decodes it: PostgreSQL refused
    it and production answered "Unexpected error."."""
    response = post(api, {"query": query}, accept)
    assert response.status_code == (400 if accept else 200)
    assert errors(response)[0]["message"] == "Text may not contain NUL characters."
    assert "data" not in response.json() or response.json()["data"] is None


@pytest.mark.parametrize("apq", [False, True], ids=["text", "apq"])
def test_a_document_over_the_length_limit_is_a_json_413(api: APIClient, apq: bool) -> None:
    """Comments and whitespace are not tokens: a 2 MB document of one comment ran, and every
    such text stayed in the parse cache (and the APQ store), 2.5 MB of a worker each."""
    longest = "{ topics { totalCount } }\n#" + "x" * 60_000
    longest += "x" * (MAX_DOCUMENT_LENGTH - len(longest))
    assert data(api, longest)["topics"]["totalCount"] > 0
    query = longest + "x"
    body: dict[str, Any] = {"query": query}
    if apq:
        sha256 = hashlib.sha256(query.encode()).hexdigest()
        body["extensions"] = {"persistedQuery": {"version": 1, "sha256Hash": sha256}}
    response = post(api, body)
    assert response.status_code == 413
    assert f"at most {MAX_DOCUMENT_LENGTH:,} characters" in errors(response)[0]["message"]
    assert errors(response)[0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
    batch = post(api, [{"query": TOPICS}, {"query": query}])
    assert batch.status_code == 413
