"""An entry in one pass through the admin: citation chains built before the first save, the
next place in the feed filled in, times said to be UTC. Posted as a browser posts the form."""

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db.models import Max
from django.test import Client
from django.urls import reverse
from pytest_django.live_server_helper import LiveServer
from rest_framework.test import APIClient

from actors.models import Actor, Stance
from api_project.roles import editors_group_ensure
from events.models import Citation, Entry, Event, Source
from tests.admin_forms import form_data, select_options
from tests.api_project.races import race, send
from tests.factories import EventFactory
from tests.graphql import data as graphql_data
from tests.graphql import run as graphql_run
from tests.tokens import token_for

pytestmark = pytest.mark.django_db
EVENT = "coalition-of-the-willing-summit-2025-09-04"
ADD = reverse("admin:events_entry_add")


@pytest.fixture
def desk(editor: User) -> Client:
    client = Client()
    client.force_login(editor)
    return client


def _pk(model: type[Source] | type[Actor] | type[Event], slug: str) -> str:
    return str(model._default_manager.get(slug=slug).pk)


def _new_entry(desk: Client, **citations: str) -> dict[str, Any]:
    """The add form as served (two blank citation rows), filled in; `citations` are
    `<row>-<field>` values."""
    data = form_data(desk.get(ADD).content, "entry_form")
    data.update(
        {
            "event": _pk(Event, EVENT),
            "published_at_0": "2025-09-04",
            "published_at_1": "20:45:00",
            "order": "",
            "body": "Stubb told Finnish media, according to Reuters, that talks go on.",
            "status": "published",
        }
    )
    data.update({f"citations-{name}": value for name, value in citations.items()})
    return data


REUTERS_THEN_STUBB = {
    "0-role": "reported_by",
    "1-role": "quoted",
    "1-speaker": "",
    "1-quote": "talks go on",
}


def _chain_rows() -> dict[str, str]:
    return {
        **REUTERS_THEN_STUBB,
        "0-source": _pk(Source, "reuters"),
        "1-source": _pk(Source, "finnish-media"),
        "1-speaker": _pk(Actor, "alexander-stubb"),
    }


def _errors(response: Any, inline: int = 0) -> list[dict[str, list[str]]]:
    return list(response.context["inline_admin_formsets"][inline].formset.errors)


def test_a_new_entry_is_saved_with_a_chain_between_two_new_rows_in_one_save(
    desk: Client,
) -> None:
    last = Entry.objects.filter(event__slug=EVENT).aggregate(last=Max("order"))["last"]
    response = desk.post(ADD, _new_entry(desk, **_chain_rows(), **{"1-via": "new-0"}))

    assert response.status_code == 302, response.context and _errors(response)
    entry = Entry.objects.get(published_at="2025-09-04T20:45Z")
    assert entry.order == last + 1  # left blank: the next place in the feed
    stubb = entry.citations.get(speaker__slug="alexander-stubb")
    assert stubb.via is not None
    assert stubb.via.source is not None
    assert (stubb.via.entry, stubb.via.source.slug) == (entry, "reuters")
    assert str(stubb) == "Reuters ← Finnish media ← Alexander Stubb"


def test_a_row_may_come_through_a_row_below_it(desk: Client) -> None:
    rows = {
        **_chain_rows(),
        "0-source": _pk(Source, "finnish-media"),
        "0-speaker": _pk(Actor, "alexander-stubb"),
        "0-role": "quoted",
        "0-via": "new-1",
        "1-source": _pk(Source, "reuters"),
        "1-speaker": "",
        "1-role": "reported_by",
    }
    response = desk.post(ADD, _new_entry(desk, **rows))

    assert response.status_code == 302, response.context and _errors(response)
    stubb = Citation.objects.get(entry__published_at="2025-09-04T20:45Z", speaker__isnull=False)
    assert str(stubb) == "Reuters ← Finnish media ← Alexander Stubb"


def _stubb_entry() -> Entry:
    return Entry.objects.get(published_at="2025-09-04T15:23Z")


def test_via_offers_only_this_entrys_rows_each_by_its_place(desk: Client) -> None:
    entry = _stubb_entry()
    url = reverse("admin:events_entry_change", args=[entry.pk])
    page = desk.get(url).content
    citations = list(entry.citations.all())
    assert len(citations) > 1
    assert Citation.objects.filter(source__slug="reuters").exclude(entry=entry).exists()

    options = select_options(page, "citations-0-via")

    own = {str(c.pk) for c in citations}
    assert {value for value, _ in options} == {""} | own - {str(citations[0].pk)}
    # Rows 2 and 3 name the same source and speaker; their places tell them apart.
    labels = [label for value, label in options if value]
    assert labels == [
        "row 2: Finnish media, Alexander Stubb",
        "row 3: Finnish media, Alexander Stubb",
    ]
    assert ("", "---------") in options
    assert "row 1: Reuters" in dict(select_options(page, "citations-1-via")).values()


def test_a_saved_entry_gains_a_chain_through_a_saved_row_and_a_new_one_in_one_save(
    desk: Client,
) -> None:
    entry = _stubb_entry()
    url = reverse("admin:events_entry_change", args=[entry.pk])
    data = form_data(desk.get(url).content, "entry_form")
    saved = int(data["citations-TOTAL_FORMS"])
    reuters = entry.citations.get(source__slug="reuters", via=None)
    new, newer = saved, saved + 1
    data.update(
        {
            "citations-TOTAL_FORMS": str(saved + 2),
            f"citations-{new}-source": _pk(Source, "sputnik"),
            f"citations-{new}-role": "via",
            f"citations-{new}-via": str(reuters.pk),
            f"citations-{newer}-speaker": _pk(Actor, "sergey-poletaev"),
            f"citations-{newer}-role": "quoted",
            f"citations-{newer}-via": f"new-{new}",
        }
    )

    response = desk.post(url, data)

    assert response.status_code == 302, response.context and _errors(response)
    poletaev = entry.citations.get(speaker__slug="sergey-poletaev")
    assert poletaev.chain() == ["Reuters", "Sputnik", "Sergey Poletaev"]


@pytest.mark.parametrize(
    ("vias", "row", "message"),
    [
        ({"0-via": "new-1", "1-via": "new-0"}, "0", "loop"),
        ({"1-via": "new-1"}, "1", "through itself"),
        ({"1-via": "new-5"}, "1", "Choose a citation of this entry"),
    ],
)
def test_a_broken_chain_is_refused_on_its_row_with_the_input_kept(
    desk: Client, vias: dict[str, str], row: str, message: str
) -> None:
    before = Citation.objects.count()
    response = desk.post(ADD, _new_entry(desk, **_chain_rows(), **vias))

    assert response.status_code == 200  # the form again, not a redirect and not a 500
    errors = _errors(response)
    assert message in " ".join(errors[int(row)]["via"])
    assert Citation.objects.count() == before
    assert not Entry.objects.filter(published_at="2025-09-04T20:45Z").exists()
    kept = dict(select_options(response.content, f"citations-{row}-via"))
    assert vias[f"{row}-via"] in kept  # the choice made is still there to correct
    assert b"talks go on" in response.content


def test_a_row_through_a_row_marked_for_deletion_is_refused(desk: Client) -> None:
    entry = _stubb_entry()
    url = reverse("admin:events_entry_change", args=[entry.pk])
    data = form_data(desk.get(url).content, "entry_form")
    chains = {c.pk: c for c in entry.citations.all()}
    rows = {data[f"citations-{i}-id"]: i for i in range(int(data["citations-TOTAL_FORMS"]))}
    relayed = next(c for c in chains.values() if c.via_id is not None)
    assert relayed.via_id is not None
    data[f"citations-{rows[str(relayed.via_id)]}-DELETE"] = "on"

    response = desk.post(url, data)

    assert response.status_code == 200
    row = rows[str(relayed.pk)]
    assert _errors(response)[row]["via"] == ["That citation is marked for deletion."]
    assert Citation.objects.filter(id=relayed.via_id).exists()


def test_via_naming_another_entrys_citation_is_refused(desk: Client) -> None:
    elsewhere = Citation.objects.exclude(entry=_stubb_entry()).first()
    assert elsewhere is not None
    response = desk.post(ADD, _new_entry(desk, **_chain_rows(), **{"1-via": str(elsewhere.pk)}))

    assert response.status_code == 200
    assert "Choose a citation of this entry" in " ".join(_errors(response)[1]["via"])


def test_an_order_given_in_the_admin_is_kept(desk: Client) -> None:
    response = desk.post(ADD, {**_new_entry(desk), "order": "40"})

    assert response.status_code == 302
    assert Entry.objects.get(published_at="2025-09-04T20:45Z").order == 40


def _next_place() -> int:
    last = Entry.objects.filter(event__slug=EVENT).aggregate(last=Max("order"))["last"]
    return int(last) + 1


def test_a_rest_create_without_order_takes_the_next_place(editor_api: APIClient) -> None:
    expected = _next_place()
    response = editor_api.post(
        "/api/v1/entries/",
        {"event": EVENT, "published_at": "2025-09-04T20:45:00Z", "body": "Talks go on."},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["order"] == expected


def test_a_graphql_create_without_order_takes_the_next_place(editor_api: APIClient) -> None:
    expected = _next_place()
    result = graphql_data(
        editor_api,
        """mutation($data: EntryInput!) { createEntry(data: $data) {
             ... on Entry { order } } }""",
        {"data": {"event": EVENT, "publishedAt": "2025-09-04T20:45:00Z", "body": "Go on."}},
    )

    assert result["createEntry"]["order"] == expected


@pytest.mark.django_db(transaction=True)
def test_creates_at_once_without_order_take_different_places(live_server: LiveServer) -> None:
    editor = User.objects.create_user("racer", password="unused-password-1")
    editor.groups.add(editors_group_ensure())
    token = token_for(editor)
    event = EventFactory.create()
    body = {"event": event.slug, "published_at": "2025-09-04T20:45:00Z", "body": "At once."}

    def create() -> int:
        status, _, answer = send(f"{live_server.url}/api/v1/entries/", "POST", token, body)
        assert status == 201, answer
        return int(answer["order"])

    orders = race([create] * 4)

    assert sorted(orders) == [1, 2, 3, 4]


def test_every_time_in_the_admin_says_it_is_utc(desk: Client) -> None:
    entry = _stubb_entry()
    stance = Stance.objects.first()
    assert stance is not None
    pages = {
        "entry": reverse("admin:events_entry_change", args=[entry.pk]),
        "event": reverse("admin:events_event_change", args=[entry.event_id]),
        "stance": reverse("admin:actors_stance_change", args=[stance.pk]),
    }
    for name, url in pages.items():
        page = desk.get(url).content.decode()
        assert "(UTC)" in page, name
        assert "data-utc-time" in page, name
        assert "chronicle/admin/local_time.js" in page, name
    listing = desk.get(reverse("admin:events_entry_changelist")).content.decode()
    assert "2025-09-04 15:23 UTC" in listing  # the times shown say UTC too


def test_the_add_form_offers_its_blank_rows_without_javascript(desk: Client) -> None:
    options = select_options(desk.get(ADD).content, "citations-1-via")

    assert options == [("", "---------"), ("new-0", "row 1: (new)")]


REST_ENTRY = {"event": EVENT, "published_at": "2025-09-04T20:45:00Z", "body": "Talks go on."}


def test_a_rest_via_may_name_a_later_citation_of_the_list(editor_api: APIClient) -> None:
    citations = [
        {"source": "finnish-media", "speaker": "alexander-stubb", "role": "quoted", "via": "r"},
        {"key": "r", "source": "reuters", "role": "reported_by"},
    ]
    response = editor_api.post(
        "/api/v1/entries/", {**REST_ENTRY, "citations": citations}, format="json"
    )

    assert response.status_code == 201, response.json()
    chains = [c["chain"] for c in response.json()["citations"]]
    assert ["Reuters", "Finnish media", "Alexander Stubb"] in chains


def test_a_rest_loop_is_refused_at_the_via_that_closes_it(editor_api: APIClient) -> None:
    citations = [
        {"key": "a", "source": "reuters", "role": "reported_by", "via": "b"},
        {"key": "b", "source": "finnish-media", "role": "via", "via": "a"},
    ]
    before = Entry.objects.count()
    response = editor_api.post(
        "/api/v1/entries/", {**REST_ENTRY, "citations": citations}, format="json"
    )

    assert response.status_code == 400
    assert "loop" in str(response.json()["errors"]["citations.0.via"])
    assert Entry.objects.count() == before


def test_a_graphql_citation_through_itself_is_refused(editor_api: APIClient) -> None:
    body = graphql_run(
        editor_api,
        """mutation($data: EntryInput!) { createEntry(data: $data) {
             ... on OperationInfo { messages { field message } } } }""",
        {
            "data": {
                "event": EVENT,
                "publishedAt": "2025-09-04T20:45:00Z",
                "body": "Go on.",
                "citations": [{"key": "x", "source": "reuters", "role": "QUOTED", "via": "x"}],
            }
        },
    )

    (message,) = body["data"]["createEntry"]["messages"]
    assert message["field"] == "citations.0.via"
    assert "through itself" in message["message"]


def test_a_saved_citations_own_page_offers_its_entrys_citations_only(desk: Client) -> None:
    entry = _stubb_entry()
    citation = entry.citations.filter(via__isnull=False).first()
    assert citation is not None
    page = desk.get(reverse("admin:events_citation_change", args=[citation.pk])).content

    offered = {value for value, _ in select_options(page, "via") if value}

    assert offered == {str(c.pk) for c in entry.citations.exclude(pk=citation.pk)}
