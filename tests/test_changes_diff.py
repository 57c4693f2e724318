"""/api/v1/changes/ tells each change as the admin's History page does: who, field by field,
with labels, names instead of ids, and a word diff for long texts."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from actors.models import Stance
from events.models import Citation, Entry

pytestmark = pytest.mark.django_db


def _fields(row: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {field["field"]: field for field in row["changed_fields"]}


def test_a_typo_fix_comes_back_as_a_word_diff(editor_api: APIClient) -> None:
    entry = max(Entry.objects.all(), key=lambda entry: len(entry.body))
    words = entry.body.split(" ")
    fixed = " ".join([*words[:10], "Typofixed", *words[11:]])
    assert editor_api.patch(f"/api/v1/entries/{entry.pk}/", {"body": fixed}).status_code == 200

    [row] = editor_api.get(
        "/api/v1/changes/",
        {"model": "events.Entry", "object_id": str(entry.pk), "action": "update"},
    ).json()["results"]
    assert row["who"] == "curator"
    assert row["summary"] == "Changed entry"
    assert row["object_label"] == str(Entry.objects.get(pk=entry.pk))
    body = _fields(row)["body"]
    assert body["label"] == "Body"
    assert [s["text"] for s in body["segments"] if s["op"] == "insert"] == ["Typofixed"]
    assert [s["text"] for s in body["segments"] if s["op"] == "delete"] == [words[10]]
    assert sum(len(s["text"]) for s in body["segments"]) < 200 < len(entry.body)
    assert "updated_at" not in _fields(row)
    assert "updated_at" in row["diff"]  # the recorded diff is kept as it was


def test_choices_and_related_objects_are_named(editor_api: APIClient) -> None:
    stance = Stance.objects.select_related("topic").filter(status="verified").first()
    assert stance is not None
    response = editor_api.patch(f"/api/v1/stances/{stance.pk}/", {"position": "oppose"})
    assert response.status_code == 200, response.json()
    [row] = editor_api.get(
        "/api/v1/changes/",
        {"model": "actors.Stance", "object_id": str(stance.pk), "action": "update"},
    ).json()["results"]
    position = _fields(row)["position"]
    assert position["after"] == "Oppose"
    assert position["segments"] is None


def test_related_to_gives_an_entry_with_its_citations(api: APIClient) -> None:
    citation = Citation.objects.filter(speaker__isnull=False).select_related("speaker").first()
    assert citation is not None
    rows = api.get("/api/v1/changes/", {"related_to": f"events.Entry:{citation.entry_id}"}).json()[
        "results"
    ]
    models = {row["model"] for row in rows}
    assert {"events.Entry", "events.Citation"} <= models
    [created] = [
        row
        for row in rows
        if row["model"] == "events.Citation" and row["object_id"] == str(citation.pk)
    ]
    assert created["who"] == "seed load"
    assert citation.speaker is not None
    assert _fields(created)["speaker"]["after"] == citation.speaker.name


def test_related_to_refuses_what_is_not_an_object(api: APIClient) -> None:
    for value in ("events.Entry", "auth.User:1", "events.Entry:x"):
        response = api.get("/api/v1/changes/", {"related_to": value})
        assert response.status_code == 400, value
        assert "related_to" in response.json()["errors"]


def test_naming_chained_citations_takes_the_same_queries_for_any_page(
    editor_api: APIClient,
) -> None:
    """A citation is named by its chain (Reuters ← Finnish media ← Stubb): the links are
    read a chain's depth at a time, not once per row."""
    assert Citation.objects.filter(via__isnull=False).count() >= 3
    assert editor_api.get("/api/v1/").status_code == 200  # the token's first use is noted
    counts = []
    for limit in (3, 30):
        with CaptureQueriesContext(connection) as captured:
            response = editor_api.get(
                "/api/v1/changes/",
                {"model": "events.Citation", "limit": limit},
                HTTP_CACHE_CONTROL="no-cache",
            )
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
    labels = [row["object_label"] for row in response.json()["results"]]
    assert "Reuters ← Finnish media ← Alexander Stubb" in labels
