"""Posting GraphQL documents through the real endpoint."""

import json
from types import SimpleNamespace
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory

from api_project.graphql import compiled
from api_project.schema import schema


def run(client: Client, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    """POST a document to /graphql/ and return the decoded body."""
    response = client.post(
        "/graphql/",
        json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    return body


def data(client: Client, query: str, variables: dict[str, Any] | None = None) -> Any:
    """The `data` of a document that must succeed without errors."""
    body = run(client, query, variables)
    assert "errors" not in body, body["errors"]
    return body["data"]


def compiled_context(user: Any) -> Any:
    """The context the compiled executor reads: the request, with its user."""
    request = RequestFactory().post("/graphql/")
    request.user = user
    return SimpleNamespace(request=request, response=None)


def takes_compiled_path(query: str, variables: dict[str, Any], user: Any | None = None) -> bool:
    """Whether the compiled executor answers `query` (once the standard one has seen it)."""
    context = compiled_context(user or AnonymousUser())
    return compiled.execute(schema, query, variables, None, context) is not None
