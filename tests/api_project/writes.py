"""The writes fault tests send, and how they are looked up afterwards in the database."""

import base64
import json
from typing import Any

from django.db.models import Count

from events.models import Entry

from .traffic import Outcome, timed

CREATE_ENTRY = """mutation($data: EntryInput!) { createEntry(data: $data) {
  __typename ... on Entry { id } ... on OperationInfo { messages { field message } } } }"""
# What a whole entry is, as createEntry writes it below: a two-link chain and a mention.
CITATIONS, MENTIONS = 2, 1


def create_entry_graphql(
    base: str, token: str, event: str, order: int, sources: tuple[str, str], actor: str
) -> Outcome:
    """createEntry with its citations and mention: one transaction, all of it or nothing."""
    data = {
        "event": event,
        "publishedAt": "2025-09-04T20:00:00Z",
        "order": order,
        "body": f"Written while the server was being broken ({order}).",
        "citations": [
            {"key": "r", "source": sources[0], "role": "REPORTED_BY"},
            {"source": sources[1], "speaker": actor, "role": "QUOTED", "via": "r"},
        ],
        "mentions": [{"actor": actor, "role": "SPEAKER"}],
    }
    outcome = timed(
        "write",
        str(order),
        "POST",
        f"{base}/graphql/",
        {"query": CREATE_ENTRY, "variables": {"data": data}},
        {"Authorization": f"Token {token}"},
    )
    if outcome.status == 200 and created_by_graphql(outcome) is None:
        outcome.status = 422  # answered, but refused (OperationInfo): not acknowledged
    return outcome


def created_by_graphql(outcome: Outcome) -> str | None:
    """The entry's primary key, when createEntry answered with the entry."""
    try:
        node: dict[str, Any] = json.loads(outcome.body)["data"]["createEntry"]
    except (ValueError, KeyError, TypeError):
        return None
    if node.get("__typename") != "Entry":
        return None
    return base64.b64decode(node["id"]).decode().split(":", 1)[1]


def create_entry_rest(base: str, token: str, event: str, order: int) -> Outcome:
    return timed(
        "write",
        str(order),
        "POST",
        f"{base}/api/v1/entries/",
        {"event": event, "published_at": "2025-09-04T20:00:00Z", "order": order, "body": "x"},
        {"Authorization": f"Token {token}"},
    )


def stored_entries(orders: list[int]) -> dict[int, tuple[int, int]]:
    """order → (citations, mentions) of each entry found with one of `orders`."""
    rows = Entry.objects.filter(order__in=orders).annotate(
        citation_count=Count("citations", distinct=True),
        mention_count=Count("mentions", distinct=True),
    )
    return {row.order: (row.citation_count, row.mention_count) for row in rows}
