"""Posting GraphQL documents through the real endpoint."""

import json
from typing import Any

from django.test import Client


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
