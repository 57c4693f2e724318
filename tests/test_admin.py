"""Editors can browse the seed in the admin: every model listed, searchable and filterable."""

from pathlib import Path

import pghistory.models
import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db import models
from django.test import Client, override_settings
from django.urls import reverse

from events.models import DataVersion, Entry

pytestmark = pytest.mark.django_db
MODELS = [
    model
    for app in ("events", "actors")
    for model in apps.get_app_config(app).get_models()
    # Bookkeeping kept by triggers, not curated: the data version and the audit trail.
    if model is not DataVersion and not issubclass(model, pghistory.models.Event)
]


@pytest.fixture
def editor_client(client: Client) -> Client:
    client.force_login(User.objects.create_superuser("chief", password="unused-password-1"))
    return client


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_every_model_has_a_changelist_with_search(
    editor_client: Client, model: type[models.Model]
) -> None:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = editor_client.get(url, {"q": "Trump"})
    assert response.status_code == 200
    assert response.context["cl"].search_fields


def test_searching_entries_finds_the_stubb_entry(editor_client: Client) -> None:
    response = editor_client.get(reverse("admin:events_entry_changelist"), {"q": "Stubb"})
    results = list(response.context["cl"].result_list)
    assert [entry.published_at.strftime("%H:%M") for entry in results] == ["15:23"]


def test_an_entry_page_shows_its_citation_chains(editor_client: Client) -> None:
    entry = Entry.objects.get(published_at="2025-09-04T15:23Z")
    response = editor_client.get(reverse("admin:events_entry_change", args=[entry.pk]))
    assert response.status_code == 200
    assert "Reuters ← Finnish media ← Alexander Stubb" in response.content.decode()


def test_anonymous_visitors_are_sent_to_the_login_page(client: Client) -> None:
    response = client.get(reverse("admin:events_entry_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_local_editor_gets_the_editors_group_without_user_management(
    client: Client, tmp_path: Path
) -> None:
    from django.core.management import call_command

    with override_settings(VAR_DIR=tmp_path):  # not the checkout's login and token
        call_command("local_editor", verbosity=0)
    editor = User.objects.get(username="editor")
    assert editor.groups.filter(name="editors").exists()
    assert editor.has_perm("actors.change_stance")
    assert not editor.has_perm("auth.change_user")
    client.force_login(editor)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
