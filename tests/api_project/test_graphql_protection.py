"""/graphql/'s defences: limits, CSRF for cookie sessions, the same tokens as REST, masking."""

import base64
import json

import pytest
from django.contrib.auth.models import User
from django.test import Client
from graphql import GraphQLError
from rest_framework.test import APIClient

from api_project.graphql.errors import should_mask
from tests.graphql import data, run

pytestmark = pytest.mark.django_db
CREATE_TOPIC = 'mutation { createTopic(data: {slug: "t", title: "T"}) { __typename } }'


def test_an_over_deep_query_is_rejected(api: APIClient) -> None:
    deep = (
        "{ actors(first: 1) { edges { node { "
        + "memberships { group { " * 8
        + "slug"
        + " } }" * 8
        + " } } } }"
    )
    body = run(api, deep)
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]


def test_an_alias_flood_is_rejected(api: APIClient) -> None:
    flood = "{ " + " ".join(f"a{i}: topics(first: 1) {{ totalCount }}" for i in range(30)) + " }"
    body = run(api, flood)
    assert "aliases found" in body["errors"][0]["message"]


def test_a_token_flood_is_rejected(api: APIClient) -> None:
    flood = "{ topics(first: 1) { " + " ".join(["totalCount"] * 3000) + " } }"
    response = api.post("/graphql/", json.dumps({"query": flood}), content_type="application/json")
    assert response.status_code in (200, 400)
    assert "token" in response.json()["errors"][0]["message"].lower()


def test_an_oversized_page_is_refused(api: APIClient) -> None:
    body = run(api, "{ entries(first: 1000) { edges { node { id } } } }")
    assert body["data"] is None
    assert body["errors"][0]["message"] == "Argument 'first' cannot be higher than 100."


def test_mutations_over_get_are_refused(api: APIClient) -> None:
    response = api.get("/graphql/", {"query": CREATE_TOPIC})
    assert response.status_code == 405  # GraphQL over HTTP: Method Not Allowed
    assert response["Allow"] == "POST"
    assert b"mutations are not allowed" in response.content.lower()
    from actors.models import Topic

    assert not Topic.objects.filter(slug="t").exists()


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("query=" + CREATE_TOPIC, "application/x-www-form-urlencoded"),
        (json.dumps({"query": CREATE_TOPIC}), "text/plain"),
    ],
)
def test_form_and_text_plain_posts_are_refused(
    api: APIClient, body: str, content_type: str
) -> None:
    response = api.post("/graphql/", body, content_type=content_type)
    assert response.status_code == 415  # Unsupported Media Type, in JSON
    assert "application/json" in response.json()["errors"][0]["message"]


def test_a_cookie_session_needs_a_csrf_token(editor: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post(
        "/graphql/", json.dumps({"query": CREATE_TOPIC}), content_type="application/json"
    )
    assert response.status_code == 403
    client.get("/admin/")  # sets the CSRF cookie, as a page of the site would
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/graphql/",
        json.dumps({"query": CREATE_TOPIC}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200
    assert response.json()["data"]["createTopic"]["__typename"] == "Topic"


def test_scripts_use_the_same_tokens_as_rest(editor_api: APIClient) -> None:
    body = run(editor_api, CREATE_TOPIC)
    assert body["data"]["createTopic"]["__typename"] == "Topic"


def test_a_bad_token_is_a_401(api: APIClient) -> None:
    api.credentials(HTTP_AUTHORIZATION="Token nope")
    response = api.post(
        "/graphql/",
        json.dumps({"query": "{ topics { totalCount } }"}),
        content_type="application/json",
    )
    assert response.status_code == 401


def test_anonymous_queries_need_no_csrf_token() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/graphql/",
        json.dumps({"query": "{ topics { totalCount } }"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["data"]["topics"]["totalCount"] == 11


def test_graphiql_is_served_to_browsers(api: APIClient) -> None:
    response = api.get("/graphql/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"graphiql" in response.content.lower()


def test_unexpected_errors_are_masked_and_client_errors_are_not() -> None:
    assert should_mask(GraphQLError("boom", original_error=RuntimeError("secret detail")))
    assert not should_mask(
        GraphQLError("Argument 'first' cannot be higher than 100.", original_error=ValueError("x"))
    )
    assert not should_mask(GraphQLError("Syntax Error: Unexpected Name"))


def test_a_malformed_document_is_reported_in_errors(api: APIClient) -> None:
    response = api.post(
        "/graphql/", json.dumps({"query": "{ topics { "}), content_type="application/json"
    )
    assert "Syntax Error" in response.json()["errors"][0]["message"]


def test_a_datetime_without_a_timezone_is_refused(api: APIClient) -> None:
    body = run(
        api,
        'query { entries(first: 1, filters: {publishedAfter: "2025-09-04T16:20:00"}) '
        "{ edges { node { id } } } }",
    )
    assert body["data"] is None
    assert "timezone" in body["errors"][0]["message"]


@pytest.mark.parametrize("field", ["citations", "mentions", "events", "stances"])
@pytest.mark.parametrize("argument", ["after", "before"])
def test_a_cursor_beyond_any_list_is_refused_with_a_message(
    api: APIClient, field: str, argument: str
) -> None:
    """An offset beyond a bigint reached PostgreSQL ("bigint out of range"): masked as
    "Unexpected error." in production."""
    cursor = base64.b64encode(b"arrayconnection:99999999999999999999999").decode()
    size = "first" if argument == "after" else "last"
    body = run(api, f'{{ {field}({size}: 2, {argument}: "{cursor}") {{ edges {{ cursor }} }} }}')
    assert body["errors"][0]["message"] == f"Argument '{argument}' is not a cursor of this list."
    assert body["errors"][0]["path"] == [field]
    page = data(api, f"{{ {field}(first: 2) {{ edges {{ cursor }} }} }}")[field]["edges"]
    following = data(
        api, f'{{ {field}(first: 1, after: "{page[0]["cursor"]}") {{ edges {{ cursor }} }} }}'
    )
    assert following[field]["edges"] == page[1:]
