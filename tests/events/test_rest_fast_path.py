"""The fast entries list is an optimisation, never a second representation."""

import json

import pytest
from rest_framework.test import APIClient

from events.api.serializers import EntrySerializer
from events.models import Entry
from tests.factories import EntryFactory

pytestmark = pytest.mark.django_db


def test_the_fast_list_equals_the_serializer_on_every_seed_entry(api: APIClient) -> None:
    fast = api.get("/api/v1/entries/", {"limit": "100"}).json()["results"]
    entries = Entry.objects.order_by("-published_at", "-id")
    slow = json.loads(json.dumps(EntrySerializer(entries, many=True).data))
    assert fast == slow
    assert any(len(row["citations"]) > 1 for row in fast)  # chains are exercised


def test_an_entry_without_links_and_a_retracted_one_agree_too(api: APIClient) -> None:
    EntryFactory.create(status="retracted", headline="Withdrawn", credit="AP")
    fast = api.get("/api/v1/entries/", {"limit": "100"}).json()["results"]
    slow = json.loads(
        json.dumps(EntrySerializer(Entry.objects.order_by("-published_at", "-id"), many=True).data)
    )
    assert fast == slow


def test_shaped_lists_take_the_serializer_path(api: APIClient) -> None:
    rows = api.get("/api/v1/entries/", {"limit": "2", "fields": "id,citations"}).json()["results"]
    assert set(rows[0]) == {"id", "citations"}
