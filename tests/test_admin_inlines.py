"""Stances added from an entry's page: what is missing comes back on the form, never a 500."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from actors.models import Stance
from events.models import Entry

from .admin_forms import form_data

pytestmark = pytest.mark.django_db


def _form_data(page: bytes) -> dict[str, Any]:
    return form_data(page, "entry_form")


def _new_stance(data: dict[str, Any], **values: str) -> dict[str, Any]:
    index = int(data["stances-TOTAL_FORMS"])
    data["stances-TOTAL_FORMS"] = str(index + 1)
    return {**data, **{f"stances-{index}-{name}": value for name, value in values.items()}}


STANCE = {
    "topic": "",
    "actor": "",
    "position": "oppose",
    "kind": "statement",
    "status": "proposed",
    "valid_from_0": "2025-09-04",
    "valid_from_1": "19:45:00",
    "source": "",
}


def _ids() -> dict[str, str]:
    from actors.models import Actor, Topic
    from events.models import Source

    return {
        "topic": str(Topic.objects.get(slug="troops-to-ukraine").pk),
        "actor": str(Actor.objects.get(slug="italy").pk),
        "source": str(Source.objects.get(slug="reuters").pk),
    }


def test_a_stance_without_its_summary_is_refused_on_the_form_with_the_input_kept(
    desk: Client,
) -> None:
    entry = Entry.objects.order_by("-order").first()
    assert entry is not None
    url = reverse("admin:events_entry_change", args=[entry.pk])
    before = Stance.objects.count()
    data = _new_stance(_form_data(desk.get(url).content), **{**STANCE, **_ids()})

    response = desk.post(url, data)

    assert response.status_code == 200  # the form again, not a redirect and not a 500
    errors = response.context["inline_admin_formsets"][2].formset.errors
    assert errors[-1] == {"summary": ["This field is required."]}
    assert b"19:45:00" in response.content  # what was typed is still there
    assert Stance.objects.count() == before


def test_a_stance_with_its_summary_is_saved_from_the_entry_page(desk: Client) -> None:
    entry = Entry.objects.order_by("-order").first()
    assert entry is not None
    url = reverse("admin:events_entry_change", args=[entry.pk])
    values = {**STANCE, **_ids(), "summary": "Italy will not send troops."}
    data = _new_stance(_form_data(desk.get(url).content), **values)

    response = desk.post(url, data)

    assert response.status_code == 302, response.context and [
        f.errors for f in response.context["inline_admin_formsets"]
    ]
    stance = Stance.objects.get(summary="Italy will not send troops.")
    assert (stance.evidence, stance.actor.slug, stance.position) == (entry, "italy", "oppose")
