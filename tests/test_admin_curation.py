"""Curation in the admin: decisions recorded, conflicts explained, CSV previewed before import."""

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from actors.models import Actor, Stance
from tests.factories import StanceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client: Client, editor: User) -> Client:
    client.force_login(editor)
    return client


def _germany_rival() -> Stance:
    germany = Stance.objects.get(
        actor__slug="germany", topic__slug="troops-to-ukraine", valid_from="2025-09-04T16:20Z"
    )
    return StanceFactory.create(
        actor=germany.actor,
        topic=germany.topic,
        evidence=germany.evidence,
        source=germany.source,
        status="proposed",
        valid_from="2025-09-04T17:00Z",
    )


def _act(client: Client, action: str, stances: list[Stance]) -> Any:
    return client.post(
        reverse("admin:actors_stance_changelist"),
        {"action": action, "_selected_action": [s.pk for s in stances]},
        follow=True,
    )


def test_the_verify_action_records_who_decided(editor_client: Client, editor: User) -> None:
    stance = StanceFactory.create(status="proposed")
    response = _act(editor_client, "verify", [stance])
    assert "1 stance(s) marked verified" in response.content.decode()
    stance.refresh_from_db()
    assert (stance.status, stance.decided_by) == ("verified", editor)
    assert stance.decided_at is not None


def test_verifying_a_conflicting_stance_reports_the_constraint(editor_client: Client) -> None:
    rival = _germany_rival()
    response = _act(editor_client, "verify", [rival])
    assert response.status_code == 200
    assert "already has a verified stance" in response.content.decode()
    rival.refresh_from_db()
    assert rival.status == "proposed"


def test_the_change_form_shows_the_overlap_as_a_form_error(editor_client: Client) -> None:
    rival = _germany_rival()
    url = reverse("admin:actors_stance_change", args=[rival.pk])
    form = {
        "actor": rival.actor_id,
        "topic": rival.topic_id,
        "position": "support",
        "kind": "statement",
        "summary": rival.summary,
        "quote": "",
        "evidence": rival.evidence_id,
        "evidence_event": "",
        "source": rival.source_id,
        "stated_at_0": "",
        "stated_at_1": "",
        "valid_from_0": "2025-09-04",
        "valid_from_1": "17:00:00",
        "valid_until_0": "",
        "valid_until_1": "",
        "status": "verified",
    }
    response = editor_client.post(url, form)
    assert response.status_code == 200  # the form again, not a redirect or a 500
    assert "already has a verified stance" in response.content.decode()


def test_entries_list_shows_their_sources(editor_client: Client) -> None:
    response = editor_client.get(reverse("admin:events_entry_changelist"), {"q": "Stubb"})
    assert "Finnish media, Reuters" in response.content.decode()


def test_in_force_filter_uses_the_as_of_rule(editor_client: Client) -> None:
    response = editor_client.get(reverse("admin:actors_stance_changelist"), {"in_force": "now"})
    shown = list(response.context["cl"].result_list)
    assert len(shown) == Stance.objects.filter(valid_until__isnull=True).count()


CSV = "slug,name,kind,aliases,country,title,wikidata_id,description\n"


def _import(client: Client, body: str) -> Any:
    upload = SimpleUploadedFile("actors.csv", body.encode(), content_type="text/csv")
    return client.post(
        reverse("admin:actors_actor_import"),
        {"import_file": upload, "format": "0", "resource": "0"},
    )


def test_an_actor_csv_is_previewed_then_imported(editor_client: Client) -> None:
    preview = _import(editor_client, CSV + "moldova,Moldova,country,Chisinau,MD,,,\n")
    assert preview.status_code == 200
    assert "Moldova" in preview.content.decode()
    assert not Actor.objects.filter(slug="moldova").exists()  # nothing written yet
    confirm = preview.context["confirm_form"]
    response = editor_client.post(
        reverse("admin:actors_actor_process_import"), confirm.initial, follow=True
    )
    assert response.status_code == 200
    assert Actor.objects.get(slug="moldova").aliases == ["Chisinau"]


def test_an_invalid_csv_row_is_reported_and_nothing_is_written(editor_client: Client) -> None:
    body = CSV + "moldova,Moldova,country,,MD,,,\natlantis,Atlantis,planet,,XX,,,\n"
    response = _import(editor_client, body)
    page = response.content.decode()
    assert "atlantis" in page.lower()
    assert "Row 3, column kind: “planet” is not one of: person (Person)" in page
    assert (
        "confirm_form" not in (response.context or {}) or response.context["confirm_form"] is None
    )
    assert not Actor.objects.filter(slug__in=["moldova", "atlantis"]).exists()


def test_stances_export_as_csv(editor_client: Client) -> None:
    response = editor_client.post(
        reverse("admin:actors_stance_export"),
        {
            "format": "0",
            "resource": "0",
            **{f"stanceresource_{f}": "on" for f in ["id", "actor", "position"]},
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert text.splitlines()[0].startswith("id,actor")
    assert "germany" in text


def test_saving_an_entry_form_keeps_its_text_exactly(editor_client: Client) -> None:
    from events.models import Entry

    entry = Entry.objects.get(order=7)
    original = entry.body
    url = reverse("admin:events_entry_change", args=[entry.pk])
    form = editor_client.get(url).context["adminform"].form
    post = {
        key: value
        for key, value in form.initial.items()
        if value is not None and key not in ("published_at",)
    }
    post |= {
        "event": entry.event_id,
        "published_at_0": "2025-09-04",
        "published_at_1": "16:20:00",
        "body": original.replace("\n", "\r\n"),
    }
    for prefix in ("citations", "mentions", "stances"):
        post |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    response = editor_client.post(url, post)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry.refresh_from_db()
    assert entry.body == original
