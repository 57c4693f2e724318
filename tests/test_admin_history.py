"""The admin's History pages tell editors what changed, in words: who, when, which field, the
changed words of a long text highlighted, a seed load as one line; never a 500."""

from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.urls import reverse
from lxml import html

from actors.models import Actor, Membership, Mention
from events.models import Citation, Entry

from .admin_forms import form_data

pytestmark = pytest.mark.django_db


def _save_entry(client: Client, entry: Entry, **changes: str) -> None:
    url = reverse("admin:events_entry_change", args=[entry.pk])
    data = form_data(client.get(url).content, "entry_form") | changes
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]


def _css(element: Any, name: str) -> list[Any]:
    """The descendants of `element` with the class `name`."""
    found: list[Any] = element.xpath(
        f".//*[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]"
    )
    return found


def _tags(element: Any, tag: str) -> list[str]:
    return [found.text_content() for found in element.iter(tag)]


def _history(client: Client, obj: models.Model) -> str:
    opts = obj._meta
    response = client.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])
    )
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def editor_client(client: Client, editor: User) -> Client:
    client.force_login(editor)
    return client


def _long_entry() -> Entry:
    return max(Entry.objects.all(), key=lambda entry: len(entry.body))


def test_a_typo_fix_shows_the_word_not_the_whole_body_twice(editor_client: Client) -> None:
    entry = _long_entry()
    words = entry.body.split(" ")
    middle = len(words) // 2
    fixed = " ".join([*words[:middle], "Typofixed", *words[middle + 1 :]])
    _save_entry(editor_client, entry, body=fixed)

    page = html.fromstring(_history(editor_client, entry))
    [change] = [row for row in _css(page, "history-change") if _tags(row, "ins")]
    assert _tags(change, "ins") == ["Typofixed"]
    assert _tags(change, "del") == [words[middle]]
    text = change.text_content()
    assert len(text) < 300 < len(entry.body)
    assert "Body" in text
    assert "curator" in page.text_content()
    assert "Updated at" not in page.text_content()


def test_a_short_field_shows_old_and_new_with_choice_labels(editor_client: Client) -> None:
    entry = Entry.objects.get(order=2)
    _save_entry(editor_client, entry, credit="By our correspondent", status="corrected")
    page = html.fromstring(_history(editor_client, entry))
    fields = {
        dt.text_content(): dt.getnext().text_content()
        for dt in page.xpath("//dl[@class='history-fields']/dt")
    }
    assert fields["Credit"] == "(empty) → By our correspondent"
    assert fields["Status"] == "Published → Corrected"


def test_the_seed_load_is_one_line(editor_client: Client) -> None:
    entry = Entry.objects.get(order=1)
    page = html.fromstring(_history(editor_client, entry))
    rows = page.xpath("//table[@class='chronicle-history']/tbody/tr")
    assert len(rows) == 1
    [who] = rows[0].xpath("td[@class='nowrap']")
    assert who.text_content() == "seed load"
    summary = _css(rows[0], "history-summary")[0].text_content()
    assert summary.startswith("Created by seed load: 1 entry")
    assert not _css(rows[0], "history-change")


def test_a_citation_change_shows_under_its_entry(editor_client: Client) -> None:
    citation = Citation.objects.exclude(quote="").select_related("entry").first()
    assert citation is not None
    url = reverse("admin:events_citation_change", args=[citation.pk])
    data = form_data(editor_client.get(url).content, "citation_form")
    response = editor_client.post(url, {**data, "quote": citation.quote + " Indeed."})
    assert response.status_code == 302, response.content.decode()[:2000]

    page = html.fromstring(_history(editor_client, citation.entry))
    [change] = _css(page, "history-change")
    assert _css(change, "history-object")[0].text_content().startswith("Changed citation")
    assert _tags(change, "ins") == [" Indeed."]


def test_foreign_keys_are_named_not_numbered(editor_client: Client) -> None:
    membership = Membership.objects.select_related("member", "group").first()
    assert membership is not None
    other = Actor.objects.exclude(pk__in=[membership.member_id, membership.group_id]).first()
    assert other is not None
    url = reverse("admin:actors_membership_change", args=[membership.pk])
    data = form_data(editor_client.get(url).content, "membership_form")
    response = editor_client.post(url, {**data, "group": str(other.pk)})
    assert response.status_code == 302, response.content.decode()[:2000]

    # Under the member's history, as a change of one of its memberships.
    page = html.fromstring(_history(editor_client, membership.member))
    fields = {dt.text_content(): dt.getnext().text_content() for dt in page.iter("dt")}
    assert fields["Group"] == f"{membership.group.name} → {other.name}"


def _registered_objects() -> list[tuple[type[models.Model], Any]]:
    """A row of each registered model (pghistory's own admin of the trail has no rows of its
    own: its default manager is empty)."""
    found = []
    for model in admin.site._registry:
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            found.append((model, obj.pk))
    return found


def test_every_registered_admin_answers_its_history(client: Client) -> None:
    client.force_login(User.objects.create_superuser("chief", password="unused-password-1"))
    User.objects.create_user("someone", password="unused-password-1")
    checked = []
    for model, pk in _registered_objects():
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[pk])
        # A row of the trail itself leads to the History of the object it changed.
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        checked.append(opts.label)
    assert {"events.Entry", "actors.Stance", "auth.User"} <= set(checked)


def test_history_is_refused_without_view_permission_and_missing_objects_are_404(
    client: Client,
) -> None:
    entry = Entry.objects.get(order=1)
    url = reverse("admin:events_entry_history", args=[entry.pk])
    client.force_login(User.objects.create_user("staff", password="x-unused-1", is_staff=True))
    assert client.get(url).status_code == 403
    assert client.get(reverse("admin:audit_recentchange_changelist")).status_code == 403
    client.force_login(User.objects.create_superuser("chief", password="unused-password-1"))
    assert client.get(reverse("admin:events_entry_history", args=[10**9])).status_code == 404
    assert client.get(reverse("admin:events_entry_history", args=["nope"])).status_code == 404


def test_a_long_history_reads_a_fixed_number_of_queries(
    editor_client: Client, django_assert_max_num_queries: Any
) -> None:
    entry = Entry.objects.get(order=3)
    for n in range(12):
        _save_entry(editor_client, entry, credit=f"Credit {n}", headline=f"Headline {n}")
    url = reverse("admin:events_entry_history", args=[entry.pk])
    with django_assert_max_num_queries(20):
        response = editor_client.get(url)
    assert response.content.decode().count('class="history-change"') == 12


def test_recent_changes_list_every_change_in_words(editor_client: Client) -> None:
    entry = Entry.objects.get(order=4)
    _save_entry(editor_client, entry, credit="Agencies")
    response = editor_client.get(reverse("admin:audit_recentchange_changelist"))
    assert response.status_code == 200
    page = html.fromstring(response.content.decode())
    rows = page.xpath("//table[@class='chronicle-history']/tbody/tr")
    assert rows[0].xpath("td[@class='nowrap']")[0].text_content() == "curator"
    assert "Changed entry" in rows[0].text_content()
    # The seed load's hundreds of rows are one line, counted in full on one page.
    [seed] = [row for row in rows if "Created by seed load" in row.text_content()]
    assert f"{Mention.objects.count()} mentions" in seed.text_content()
    assert f"{Citation.objects.count()} citations" in seed.text_content()
    [link] = [a for a in rows[0].iter("a") if "Agencies" not in a.text_content()]
    assert link.get("href") == reverse("admin:events_entry_change", args=[entry.pk])

    only_topics = editor_client.get(
        reverse("admin:audit_recentchange_changelist"), {"model": "actors.Topic"}
    ).content.decode()
    assert "Changed entry" not in only_topics


def test_the_index_names_the_trail_for_people(editor_client: Client) -> None:
    index = editor_client.get(reverse("admin:index")).content.decode()
    assert "Recent changes" in index
    assert "Audit trail" in index
    assert "Middleware events" not in index
    assert "Pghistory" not in index


def test_the_librarys_trail_pages_lead_to_the_pages_for_people(editor_client: Client) -> None:
    entry = Entry.objects.get(order=1)
    library = reverse("admin:pghistory_middlewareevents_changelist")
    response = editor_client.get(library)
    assert response["Location"] == reverse("admin:audit_recentchange_changelist")
    response = editor_client.get(library, {"obj": f"events.Entry:{entry.pk}"})
    assert response["Location"] == reverse("admin:events_entry_history", args=[entry.pk])

    from pghistory.models import MiddlewareEvents

    event = MiddlewareEvents.objects.tracks(entry).first()
    assert event is not None
    for name in ("admin:pghistory_middlewareevents_change", "admin:audit_recentchange_change"):
        response = editor_client.get(reverse(name, args=[event.pgh_slug]))
        assert response["Location"] == reverse("admin:events_entry_history", args=[entry.pk])
        assert editor_client.get(reverse(name, args=["events.EntryEvent:0"])).status_code == 404
        assert editor_client.get(reverse(name, args=["nothing"])).status_code == 404


def test_an_import_is_one_line_naming_the_editor_and_the_import(editor_client: Client) -> None:
    rows = "".join(f"imported-{n},Imported {n},country,,,,,\n" for n in range(5))
    upload = SimpleUploadedFile(
        "actors.csv",
        ("slug,name,kind,aliases,country,title,wikidata_id,description\n" + rows).encode(),
        content_type="text/csv",
    )
    preview = editor_client.post(
        reverse("admin:actors_actor_import"),
        {"import_file": upload, "format": "0", "resource": "0"},
    )
    assert preview.status_code == 200
    confirm = preview.context["confirm_form"]
    response = editor_client.post(reverse("admin:actors_actor_process_import"), confirm.initial)
    assert response.status_code == 302
    assert Actor.objects.filter(slug__startswith="imported-").count() == 5

    page = html.fromstring(
        editor_client.get(reverse("admin:audit_recentchange_changelist")).content.decode()
    )
    newest = page.xpath("//table[@class='chronicle-history']/tbody/tr")[0]
    assert newest.xpath("td[@class='nowrap']")[0].text_content() == "curator"
    assert _css(newest, "history-summary")[0].text_content() == "Created by import: 5 actors"
    assert not _css(newest, "history-change")


def test_a_save_that_changes_nothing_visible_says_so(editor_client: Client) -> None:
    entry = Entry.objects.get(order=6)
    _save_entry(editor_client, entry)  # the form as served: only updated_at moves
    page = html.fromstring(_history(editor_client, entry))
    [change] = _css(page, "history-change")
    assert "Saved; no field an editor sets changed." in change.text_content()
    assert not list(change.iter("dl"))
