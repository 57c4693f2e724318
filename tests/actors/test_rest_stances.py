"""/api/v1/stances/: filters, the as-of rule, and what each viewer may see."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from actors.models import Stance
from tests.factories import StanceFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/stances/"


def _pairs(response: Any) -> set[tuple[str, str]]:
    return {(row["actor"]["slug"], row["position"]) for row in response.json()["results"]}


def test_as_of_and_topic_give_the_1620_camps(api: APIClient) -> None:
    response = api.get(URL, {"topic": "troops-to-ukraine", "as_of": "2025-09-04T16:20:00Z"})
    pairs = _pairs(response)
    assert ("latvia", "undecided") in pairs
    assert ("germany", "oppose") in pairs
    assert len(pairs) == 14


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ({"actor": "donald-trump"}, 5),
        ({"position": "undecided"}, 2),
        ({"kind": "pledge"}, 4),
        ({"actor_kind": "person"}, 8),
        ({"country": "US"}, 9),
        ({"source": "zelensky-telegram"}, 3),
        ({"topic": "new-sanctions-on-russia", "as_of": "2025-09-04T15:30:00Z"}, 1),
    ],
)
def test_filters(api: APIClient, params: dict[str, str], count: int) -> None:
    assert api.get(URL, params).json()["count"] == count


def test_anonymous_readers_see_verified_stances_only(api: APIClient) -> None:
    proposed = StanceFactory.create(status="proposed")
    assert api.get(f"{URL}{proposed.pk}/").status_code == 404
    assert api.get(URL, {"status": "proposed"}).json()["count"] == 0
    assert api.get(URL).json()["count"] == 34
    export = b"".join(api.get(URL, {"format": "ndjson"}).streaming_content)  # type: ignore[attr-defined]
    assert len(export.splitlines()) == 34


def test_editors_see_and_filter_every_status(editor_api: APIClient) -> None:
    proposed = StanceFactory.create(status="proposed")
    assert editor_api.get(f"{URL}{proposed.pk}/").status_code == 200
    rows = editor_api.get(URL, {"status": "proposed"}).json()["results"]
    assert [row["id"] for row in rows] == [proposed.pk]


def test_an_editor_verifying_a_stance_is_recorded_as_its_decider(
    editor_api: APIClient, editor: Any
) -> None:
    proposed = StanceFactory.create(status="proposed")
    response = editor_api.patch(f"{URL}{proposed.pk}/", {"status": "verified"}, format="json")
    assert response.status_code == 200
    assert response.json()["decided_by"] == editor.username
    proposed.refresh_from_db()
    assert proposed.decided_at is not None


def test_verifying_an_overlapping_stance_is_a_400_with_the_constraint_message(
    editor_api: APIClient,
) -> None:
    germany = Stance.objects.get(
        actor__slug="germany", topic__slug="troops-to-ukraine", valid_from="2025-09-04T16:20Z"
    )
    rival = StanceFactory.create(
        actor=germany.actor,
        topic=germany.topic,
        position="support",
        status="proposed",
        valid_from="2025-09-04T17:00Z",
    )
    response = editor_api.patch(f"{URL}{rival.pk}/", {"status": "verified"}, format="json")
    assert response.status_code == 400
    assert "already has a verified stance" in str(response.json()["errors"])
    rival.refresh_from_db()
    assert rival.status == "proposed"


def test_creating_a_stance_by_slugs(editor_api: APIClient) -> None:
    payload = {
        "actor": "finland",
        "topic": "troops-to-ukraine",
        "position": "conditional",
        "kind": "statement",
        "summary": "Finland would consider it after a ceasefire.",
        "evidence_event": "coalition-of-the-willing-summit-2025-09-04",
        "source": "rt",
        "valid_from": "2025-09-04T20:00:00Z",
    }
    response = editor_api.post(URL, payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["actor"]["slug"] == "finland"
    assert response.json()["status"] == "proposed"


def test_a_stance_with_both_kinds_of_evidence_is_refused(editor_api: APIClient) -> None:
    entry_id = Stance.objects.filter(evidence__isnull=False).first().evidence_id  # type: ignore[union-attr]
    payload = {
        "actor": "finland",
        "topic": "troops-to-ukraine",
        "position": "support",
        "kind": "statement",
        "summary": "x",
        "evidence": entry_id,
        "evidence_event": "coalition-of-the-willing-summit-2025-09-04",
        "source": "rt",
        "valid_from": "2025-09-04T20:00:00Z",
    }
    response = editor_api.post(URL, payload, format="json")
    assert response.status_code == 400
    assert "not both" in str(response.json()["errors"])
