"""Two editors with the same change form open: the second save is refused with a form error
naming who changed the record and when, their input kept, nothing of it applied."""

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pghistory.models import MiddlewareEvents

from actors.models import Topic
from api_project.roles import editors_group_ensure
from events.models import Source
from tests.factories import SourceFactory, TopicFactory

pytestmark = pytest.mark.django_db


def _desk(name: str) -> Client:
    user = User.objects.create_user(name, password="unused-password-1", is_staff=True)
    user.groups.add(editors_group_ensure())
    client = Client()
    client.force_login(user)
    return client


def _opened_version(client: Client, url: str) -> str:
    """The version the change form carries, read from the page as a browser would."""
    page = client.get(url).content.decode()
    found = re.search(r'<input type="hidden" name="record_version" value="([0-9a-f]{32})"', page)
    assert found, "the change form carries no version"
    return found.group(1)


def _topic_post(topic: Topic, version: str, **changes: str) -> dict[str, Any]:
    return {
        "slug": topic.slug,
        "title": topic.title,
        "description": topic.description,
        "record_version": version,
        "stances-TOTAL_FORMS": "0",
        "stances-INITIAL_FORMS": "0",
        **changes,
    }


def _history(topic: Topic) -> int:
    return MiddlewareEvents.objects.filter(
        pgh_obj_model="actors.Topic", pgh_obj_id=str(topic.pk)
    ).count()


def test_the_second_save_of_one_form_is_refused_and_keeps_its_input() -> None:
    topic = TopicFactory.create(title="Before", description="")
    url = reverse("admin:actors_topic_change", args=[topic.pk])
    alice, bob = _desk("alice"), _desk("bob")
    alices, bobs = _opened_version(alice, url), _opened_version(bob, url)
    assert alices == bobs

    saved = alice.post(url, _topic_post(topic, alices, title="Alice's title"))
    assert saved.status_code == 302
    history = _history(topic)

    refused = bob.post(url, _topic_post(topic, bobs, title="Bob's title", description="Bob's."))
    assert refused.status_code == 200
    form = refused.context["adminform"].form
    [error] = form.non_field_errors()
    assert "changed by alice at" in error
    assert "not saved" in error
    page = refused.content.decode()
    assert 'value="Bob&#x27;s title"' in page  # the input is kept, escaped
    assert "Bob&#x27;s." in page
    topic.refresh_from_db()
    assert (topic.title, topic.description) == ("Alice's title", "")
    assert _history(topic) == history  # nothing of Bob's reached the audit trail

    # The refused form now carries the current version: saving again is a deliberate overwrite.
    current = form.data["record_version"]
    assert current != bobs
    again = bob.post(url, _topic_post(topic, current, title="Bob's title"))
    assert again.status_code == 302
    topic.refresh_from_db()
    assert topic.title == "Bob's title"


def test_a_change_made_outside_the_admin_also_refuses_the_stale_form() -> None:
    source = SourceFactory.create(name="Before")
    url = reverse("admin:events_source_change", args=[source.pk])
    desk = _desk("carol")
    version = _opened_version(desk, url)
    Source.objects.filter(pk=source.pk).update(needs_review=True)  # a script, not a save()
    post = {
        "name": "Mine",
        "slug": source.slug,
        "kind": source.kind,
        "url": "",
        "country": "",
        "operator": "",
        "needs_review": "",
        "record_version": version,
    }
    refused = desk.post(url, post)
    assert refused.status_code == 200
    assert "since you opened it" in refused.context["adminform"].form.non_field_errors()[0]
    source.refresh_from_db()
    assert (source.name, source.needs_review) == ("Before", True)


def test_a_form_opened_on_the_current_version_saves() -> None:
    topic = TopicFactory.create(title="Before")
    url = reverse("admin:actors_topic_change", args=[topic.pk])
    desk = _desk("dave")
    response = desk.post(url, _topic_post(topic, _opened_version(desk, url), title="After"))
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.title == "After"


def test_the_add_form_has_no_version() -> None:
    page = _desk("erin").get(reverse("admin:actors_topic_add")).content.decode()
    assert 'name="record_version"' not in page
