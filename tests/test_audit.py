"""The audit trail records every create, update and delete, however the write arrives."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from pghistory.models import MiddlewareEvents
from rest_framework.test import APIClient

from events.models import Entry
from tests.factories import StanceFactory, TopicFactory
from tests.graphql import data

pytestmark = pytest.mark.django_db


def _changes(obj: Any) -> list[MiddlewareEvents]:
    return list(MiddlewareEvents.objects.tracks(obj).order_by("pgh_created_at", "pgh_id"))


def test_a_bulk_update_is_recorded_with_what_changed() -> None:
    entry = Entry.objects.get(order=1)
    Entry.objects.filter(pk=entry.pk).update(credit="Bulk")
    last = _changes(entry)[-1]
    assert last.pgh_label == "update"
    assert last.pgh_diff == {"credit": ["", "Bulk"]}


def test_a_raw_sql_update_is_recorded() -> None:
    entry = Entry.objects.get(order=2)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE events_entry SET headline = %s WHERE id = %s", ["Raw", entry.pk])
    last = _changes(entry)[-1]
    assert last.pgh_diff == {"headline": ["", "Raw"]}


def test_creates_and_deletes_are_recorded() -> None:
    topic = TopicFactory.create()
    pk = topic.pk
    topic.delete()
    labels = [
        event.pgh_label
        for event in MiddlewareEvents.objects.filter(
            pgh_obj_model="actors.Topic", pgh_obj_id=str(pk)
        ).order_by("pgh_created_at", "pgh_id")
    ]
    assert labels == ["insert", "delete"]


def test_an_unchanged_save_records_nothing() -> None:
    entry = Entry.objects.get(order=3)
    before = len(_changes(entry))
    entry.save(update_fields=["body"])
    assert len(_changes(entry)) == before


def test_rest_writes_record_the_editor(editor_api: APIClient) -> None:
    entry = Entry.objects.get(order=4)
    editor_api.patch(f"/api/v1/entries/{entry.pk}/", {"credit": "AFP"}, format="json")
    rows = editor_api.get(
        "/api/v1/changes/", {"model": "events.Entry", "object_id": str(entry.pk)}
    ).json()["results"]
    assert rows[0]["user"] == "curator"
    assert rows[0]["diff"]["credit"] == ["RT", "AFP"]


def test_graphql_writes_record_the_editor(editor_api: APIClient) -> None:
    data(editor_api, 'mutation { createTopic(data: {slug: "gq", title: "GQ"}) { __typename } }')
    change = MiddlewareEvents.objects.filter(pgh_obj_model="actors.Topic").latest("pgh_created_at")
    assert change.user is not None
    assert change.user.get_username() == "curator"


def test_unverified_stance_history_is_hidden_from_anonymous_readers(
    api: APIClient, editor_api: APIClient
) -> None:
    stance = StanceFactory.create(status="proposed")
    params = {"model": "actors.Stance", "object_id": str(stance.pk)}
    assert api.get("/api/v1/changes/", params).json()["count"] == 0
    assert editor_api.get("/api/v1/changes/", params).json()["count"] == 1


def test_changes_filter_by_action_and_time(api: APIClient) -> None:
    response = api.get("/api/v1/changes/", {"action": "delete", "since": "2025-01-01T00:00:00Z"})
    assert response.status_code == 200
    assert all(row["action"] == "delete" for row in response.json()["results"])
    bad = api.get("/api/v1/changes/", {"since": "yesterday"})
    assert bad.status_code == 400


def test_the_admin_history_of_an_object_is_its_audit_trail(client: Client, editor: Any) -> None:
    entry = Entry.objects.get(order=5)
    Entry.objects.filter(pk=entry.pk).update(credit="Reuters")
    client.force_login(editor)
    response = client.get(reverse("admin:events_entry_history", args=[entry.pk]), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Reuters" in page
    assert "Changed entry" in page
    assert "system" in page  # a bulk update outside any request names no user
