"""Stance conflicts an editor can settle: a refused overlap names the stance it clashes with,
and "supersede" or "same stance" settles it, in the admin, over REST and over GraphQL."""

import base64
from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pghistory.models import MiddlewareEvents
from rest_framework.test import APIClient

from actors.models import Stance
from tests.factories import StanceFactory
from tests.graphql import data

pytestmark = pytest.mark.django_db
URL = "/api/v1/stances/"
PAYLOAD = "__typename ... on OperationInfo { messages { kind field message code } }"
STANCE_FIELDS = "... on Stance { id status validFrom validUntil curatorNote sameAs { id } }"


@pytest.fixture
def editor_client(client: Client, editor: Any) -> Client:
    client.force_login(editor)
    return client


def _germany() -> Stance:
    """Germany's verified, open-ended stance on troops from 16:20."""
    return Stance.objects.select_related("actor", "topic").get(
        actor__slug="germany", topic__slug="troops-to-ukraine", valid_from="2025-09-04T16:20Z"
    )


def _rival(valid_from: str = "2025-09-04T17:00Z", **kwargs: Any) -> Stance:
    germany = _germany()
    return StanceFactory.create(
        actor=germany.actor,
        topic=germany.topic,
        evidence=germany.evidence,
        source=germany.source,
        position="support",
        status="proposed",
        valid_from=valid_from,
        **kwargs,
    )


def gid(pk: int) -> str:
    return base64.b64encode(f"Stance:{pk}".encode()).decode()


def _history(stance: Stance) -> int:
    return MiddlewareEvents.objects.filter(
        pgh_obj_model="actors.Stance", pgh_obj_id=str(stance.pk), pgh_label="update"
    ).count()


# Labels


def test_labels_carry_the_span() -> None:
    germany = _germany()
    assert str(germany) == f"Germany: Oppose — {germany.topic}, from 2025-09-04 16:20 UTC"
    ended = _rival(valid_until="2025-09-05T09:00Z")
    assert str(ended).endswith(", 2025-09-04 17:00 – 2025-09-05 09:00 UTC")  # noqa: RUF001
    assert str(ended) != str(germany)


# The refusal names the clashing stance


def test_the_admin_verify_action_names_and_links_the_clashing_stance(
    editor_client: Client,
) -> None:
    germany, rival = _germany(), _rival()
    response = editor_client.post(
        reverse("admin:actors_stance_changelist"),
        {"action": "verify", "_selected_action": [rival.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "Germany already has a verified stance on" in page
    assert "from 4 Sep 2025 16:20 UTC (open-ended)" in page
    assert "Supersede it, mark this one as the same stance, or change the span." in page
    assert reverse("admin:actors_stance_change", args=[germany.pk]) in page
    assert reverse("admin:actors_stance_supersede", args=[rival.pk, germany.pk]) in page
    assert reverse("admin:actors_stance_same_as", args=[rival.pk, germany.pk]) in page
    rival.refresh_from_db()
    assert rival.status == "proposed"


def _change_form(rival: Stance, status: str) -> dict[str, Any]:
    return {
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
        "status": status,
        "curator_note": "Checked against the transcript.",
    }


def test_the_change_form_names_the_clash_and_offers_to_settle_it(editor_client: Client) -> None:
    germany, rival = _germany(), _rival()
    url = reverse("admin:actors_stance_change", args=[rival.pk])
    response = editor_client.post(url, _change_form(rival, "verified"))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<a href="{reverse("admin:actors_stance_change", args=[germany.pk])}">' in page
    assert "Germany already has a verified stance on" in page
    assert reverse("admin:actors_stance_supersede", args=[rival.pk, germany.pk]) in page
    assert "Checked against the transcript." in page  # the input is kept
    errors = response.context["adminform"].form.non_field_errors()
    assert any("from 4 Sep 2025 16:20 UTC (open-ended)" in e for e in errors)


def test_the_inline_refusal_names_the_clashing_stance(editor_client: Client) -> None:
    germany = _germany()
    topic = germany.topic
    url = reverse("admin:actors_topic_change", args=[topic.pk])
    form = editor_client.get(url).context["adminform"].form
    stances = list(topic.stances.order_by("pk"))
    post: dict[str, Any] = {
        "slug": topic.slug,
        "title": topic.title,
        "description": form.initial.get("description", ""),
        "stances-TOTAL_FORMS": str(len(stances) + 1),
        "stances-INITIAL_FORMS": str(len(stances)),
        "stances-MIN_NUM_FORMS": "0",
        "stances-MAX_NUM_FORMS": "1000",
    }
    for n, stance in enumerate(stances):
        post |= _inline_row(n, stance)
    new = len(stances)
    post |= {
        f"stances-{new}-topic": topic.pk,
        f"stances-{new}-actor": germany.actor_id,
        f"stances-{new}-position": "support",
        f"stances-{new}-kind": "statement",
        f"stances-{new}-status": "verified",
        f"stances-{new}-valid_from_0": "2025-09-04",
        f"stances-{new}-valid_from_1": "18:00:00",
        f"stances-{new}-source": germany.source_id,
        f"stances-{new}-summary": "Changed its mind.",
        f"stances-{new}-curator_note": "Seen on TV.",
        f"stances-{new}-evidence": germany.evidence_id,
    }
    response = editor_client.post(url, post)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Germany already has a verified stance on" in page
    assert "from 4 Sep 2025 16:20 UTC (open-ended)" in page


def _inline_row(n: int, stance: Stance) -> dict[str, Any]:
    def split(at: datetime | None) -> tuple[str, str]:
        if at is None:
            return "", ""
        at = at.astimezone(UTC)
        return f"{at:%Y-%m-%d}", f"{at:%H:%M:%S}"

    start, end = split(stance.valid_from), split(stance.valid_until)
    return {
        f"stances-{n}-id": stance.pk,
        f"stances-{n}-topic": stance.topic_id,
        f"stances-{n}-actor": stance.actor_id,
        f"stances-{n}-position": stance.position,
        f"stances-{n}-kind": stance.kind,
        f"stances-{n}-status": stance.status,
        f"stances-{n}-valid_from_0": start[0],
        f"stances-{n}-valid_from_1": start[1],
        f"stances-{n}-valid_until_0": end[0],
        f"stances-{n}-valid_until_1": end[1],
        f"stances-{n}-source": stance.source_id,
        f"stances-{n}-evidence": stance.evidence_id or "",
        f"stances-{n}-evidence_event": stance.evidence_event_id or "",
        f"stances-{n}-summary": stance.summary,
        f"stances-{n}-curator_note": stance.curator_note,
    }


def test_an_overlap_over_rest_names_the_clashing_stance_id(editor_api: APIClient) -> None:
    germany, rival = _germany(), _rival()
    response = editor_api.patch(f"{URL}{rival.pk}/", {"status": "verified"}, format="json")
    assert response.status_code == 400
    body = response.json()
    [message] = body["errors"]["non_field_errors"]
    assert message.startswith("Germany already has a verified stance on")
    assert f"“{germany}”" in message
    assert body["conflicts"] == [
        {"field": "non_field_errors", "code": "overlap", "id": germany.pk, "label": str(germany)}
    ]


def test_an_overlap_over_graphql_names_the_clashing_stance(editor_api: APIClient) -> None:
    germany, rival = _germany(), _rival()
    document = f"""mutation($id: ID!) {{ verifyStance(id: $id) {{ {PAYLOAD} }} }}"""
    result = data(editor_api, document, {"id": gid(rival.pk)})["verifyStance"]
    [message] = result["messages"]
    assert message["code"] == "overlap"
    assert f"“{germany}”" in message["message"]
    overlapping = data(
        editor_api,
        "query($id: ID!) { node(id: $id) { ... on Stance { overlapping { id } } } }",
        {"id": gid(rival.pk)},
    )["node"]["overlapping"]
    assert overlapping == [{"id": gid(germany.pk)}]


# Supersede


def test_supersede_through_the_admin_with_a_note(editor_client: Client, editor: Any) -> None:
    germany, rival = _germany(), _rival()
    before = _history(germany)
    url = reverse("admin:actors_stance_supersede", args=[rival.pk, germany.pk])
    confirmation = editor_client.get(url)
    assert confirmation.status_code == 200
    assert 'name="note"' in confirmation.content.decode()
    rival.refresh_from_db()
    assert rival.status == "proposed"  # nothing written by showing the page
    response = editor_client.post(url, {"note": "Merz reversed himself at 17:00."}, follow=True)
    assert response.status_code == 200
    assert "supersedes" in response.content.decode()
    germany.refresh_from_db()
    rival.refresh_from_db()
    assert germany.valid_until == rival.valid_from
    assert germany.status == "verified"
    assert (rival.status, rival.decided_by) == ("verified", editor)
    assert rival.curator_note == "Merz reversed himself at 17:00."
    assert _history(germany) == before + 1
    assert _history(rival) >= 1


def test_supersede_is_refused_when_the_earlier_starts_later(editor_client: Client) -> None:
    germany = _germany()
    earlier = _rival("2025-09-04T16:00Z", valid_until="2025-09-04T18:00Z")
    url = reverse("admin:actors_stance_supersede", args=[earlier.pk, germany.pk])
    response = editor_client.post(url, {"note": "try"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "not before this stance" in page
    assert "a stance can only supersede an earlier one" in page
    germany.refresh_from_db()
    earlier.refresh_from_db()
    assert germany.valid_until is None
    assert earlier.status == "proposed"


def test_supersede_over_rest(editor_api: APIClient) -> None:
    germany, rival = _germany(), _rival()
    response = editor_api.post(
        f"{URL}{rival.pk}/supersede/",
        {"supersedes": germany.pk, "curator_note": "Reversal."},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["curator_note"]) == ("verified", "Reversal.")
    germany.refresh_from_db()
    assert germany.valid_until == datetime(2025, 9, 4, 17, 0, tzinfo=UTC)


def test_supersede_over_graphql(editor_api: APIClient) -> None:
    germany, rival = _germany(), _rival()
    document = f"""mutation($id: ID!, $old: ID!) {{
        supersedeStance(id: $id, supersedes: $old, curatorNote: "Reversal.") {{
            {PAYLOAD} {STANCE_FIELDS} }} }}"""
    result = data(editor_api, document, {"id": gid(rival.pk), "old": gid(germany.pk)})
    stance = result["supersedeStance"]
    assert (stance["status"], stance["curatorNote"]) == ("VERIFIED", "Reversal.")
    germany.refresh_from_db()
    assert germany.valid_until == datetime(2025, 9, 4, 17, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("target", "field", "code"),
    [
        ("missing", "supersedes", "not_found"),
        ("self", "supersedes", "self"),
        ("proposed", "supersedes", "not_verified"),
        ("other_actor", "supersedes", "other_subject"),
    ],
)
def test_bad_supersedes_are_field_errors_not_500s(
    editor_api: APIClient, target: str, field: str, code: str
) -> None:
    rival = _rival()
    other_id = {
        "missing": 2**62,
        "self": rival.pk,
        "proposed": _rival("2025-09-04T10:00Z").pk,
        "other_actor": StanceFactory.create(topic=rival.topic).pk,
    }[target]
    response = editor_api.post(
        f"{URL}{rival.pk}/supersede/", {"supersedes": other_id}, format="json"
    )
    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"]
    document = f"""mutation($id: ID!, $old: ID!) {{
        supersedeStance(id: $id, supersedes: $old) {{ {PAYLOAD} }} }}"""
    result = data(editor_api, document, {"id": gid(rival.pk), "old": gid(other_id)})
    [message] = result["supersedeStance"]["messages"]
    assert (message["field"], message["code"]) == (field, code)
    rival.refresh_from_db()
    assert rival.status == "proposed"


def test_rest_settling_takes_a_number_and_an_existing_stance(editor_api: APIClient) -> None:
    rival = _rival()
    for body in ({"supersedes": "abc"}, {}, {"supersedes": 2**70}):
        response = editor_api.post(f"{URL}{rival.pk}/supersede/", body, format="json")
        assert response.status_code == 400
        assert "supersedes" in response.json()["errors"]
    assert editor_api.post(f"{URL}{2**62}/same_as/", {"same_as": 1}).status_code == 404


def test_settling_needs_the_change_permission(api: APIClient, reader_api: APIClient) -> None:
    germany, rival = _germany(), _rival()
    body = {"supersedes": germany.pk}
    assert api.post(f"{URL}{rival.pk}/supersede/", body).status_code in (401, 403, 404)
    assert reader_api.post(f"{URL}{rival.pk}/supersede/", body).status_code in (403, 404)
    rival.refresh_from_db()
    assert rival.status == "proposed"


# Same stance


def test_same_stance_through_the_admin(editor_client: Client) -> None:
    germany, rival = _germany(), _rival()
    url = reverse("admin:actors_stance_same_as", args=[rival.pk, germany.pk])
    assert 'name="note"' in editor_client.get(url).content.decode()
    response = editor_client.post(url, {"note": "Said again at the press conference."})
    assert response.status_code == 302
    rival.refresh_from_db()
    germany.refresh_from_db()
    assert (rival.status, rival.same_as_id) == ("corroborates", germany.pk)
    assert rival.curator_note == "Said again at the press conference."
    assert germany.valid_until is None  # the existing stance is untouched
    assert Stance.objects.filter(pk=rival.pk).exists()  # kept, not deleted


def test_a_same_stance_is_listed_with_the_existing_one_and_counted_once(
    editor_api: APIClient, api: APIClient
) -> None:
    germany, rival = _germany(), _rival()
    response = editor_api.post(
        f"{URL}{rival.pk}/same_as/", {"same_as": germany.pk, "curator_note": "Again."}
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["same_as"]) == ("corroborates", germany.pk)
    shown = api.get(f"{URL}{germany.pk}/").json()
    assert [c["id"] for c in shown["corroborations"]] == [rival.pk]
    in_force = api.get(
        URL, {"actor": "germany", "topic": "troops-to-ukraine", "as_of": "2025-09-04T18:00:00Z"}
    ).json()
    assert [row["id"] for row in in_force["results"]] == [germany.pk]
    matrix = api.get(
        "/api/v1/topics/troops-to-ukraine/matrix/", {"as_of": "2025-09-04T18:00:00Z"}
    ).json()
    germans = [
        row["stance"]["id"]
        for group in matrix["positions"]
        for row in group["actors"]
        if row["actor"]["slug"] == "germany"
    ]
    assert germans == [germany.pk]
    corroborations = data(
        api,
        "query($id: ID!) { node(id: $id) { ... on Stance { corroborations { id } } } }",
        {"id": gid(germany.pk)},
    )["node"]["corroborations"]
    assert corroborations == [{"id": gid(rival.pk)}]


def test_same_stance_over_graphql(editor_api: APIClient) -> None:
    germany, rival = _germany(), _rival()
    document = f"""mutation($id: ID!, $same: ID!) {{
        markSameStance(id: $id, sameAs: $same, curatorNote: "Again.") {{
            {PAYLOAD} {STANCE_FIELDS} }} }}"""
    stance = data(editor_api, document, {"id": gid(rival.pk), "same": gid(germany.pk)})[
        "markSameStance"
    ]
    assert stance["status"] == "CORROBORATES"
    assert stance["sameAs"] == {"id": gid(germany.pk)}
    assert stance["curatorNote"] == "Again."


@pytest.mark.parametrize(
    ("target", "code"),
    [("self", "self"), ("other_actor", "other_subject"), ("proposed", "not_verified")],
)
def test_bad_same_stances_are_refused(editor_api: APIClient, target: str, code: str) -> None:
    rival = _rival()
    other_id = {
        "self": rival.pk,
        "proposed": _rival("2025-09-04T10:00Z").pk,
        "other_actor": StanceFactory.create(topic=rival.topic).pk,
    }[target]
    response = editor_api.post(f"{URL}{rival.pk}/same_as/", {"same_as": other_id})
    assert response.status_code == 400
    assert "same_as" in response.json()["errors"]
    document = f"""mutation($id: ID!, $same: ID!) {{
        markSameStance(id: $id, sameAs: $same) {{ {PAYLOAD} }} }}"""
    result = data(editor_api, document, {"id": gid(rival.pk), "same": gid(other_id)})
    [message] = result["markSameStance"]["messages"]
    assert (message["field"], message["code"]) == ("sameAs", code)
    rival.refresh_from_db()
    assert (rival.status, rival.same_as_id) == ("proposed", None)


def test_a_same_stance_cannot_be_verified_while_it_names_another(editor_api: APIClient) -> None:
    germany, rival = _germany(), _rival()
    editor_api.post(f"{URL}{rival.pk}/same_as/", {"same_as": germany.pk})
    back = editor_api.patch(f"{URL}{rival.pk}/", {"status": "proposed"}, format="json")
    assert back.status_code == 200
    assert back.json()["same_as"] is None  # no longer the same as another
    forced = editor_api.patch(f"{URL}{rival.pk}/", {"status": "corroborates"}, format="json")
    assert forced.status_code == 400  # only the same-stance action names the stance


# Curator's note


def test_the_curator_note_round_trips_in_admin_rest_and_graphql(
    editor_client: Client, editor_api: APIClient
) -> None:
    stance = StanceFactory.create(curator_note="First look.")
    page = editor_client.get(reverse("admin:actors_stance_change", args=[stance.pk]))
    assert page.context["adminform"].form.initial["curator_note"] == "First look."
    response = editor_api.patch(
        f"{URL}{stance.pk}/", {"curator_note": "Checked the video."}, format="json"
    )
    assert response.json()["curator_note"] == "Checked the video."
    document = """mutation($id: ID!) { updateStance(data: {id: $id, curatorNote: "Third."}) {
        ... on Stance { curatorNote } } }"""
    assert data(editor_api, document, {"id": gid(stance.pk)})["updateStance"] == {
        "curatorNote": "Third."
    }
    stance.refresh_from_db()
    assert stance.curator_note == "Third."


def test_a_stance_others_are_the_same_as_stays_verified(editor_api: APIClient) -> None:
    germany, rival = _germany(), _rival()
    assert editor_api.post(f"{URL}{rival.pk}/same_as/", {"same_as": germany.pk}).status_code == 200
    response = editor_api.patch(f"{URL}{germany.pk}/", {"status": "rejected"}, format="json")
    assert response.status_code == 400
    assert "status" in response.json()["errors"]
    germany.refresh_from_db()
    assert germany.status == "verified"


def test_an_unknown_status_on_the_change_form_is_a_field_error(editor_client: Client) -> None:
    rival = _rival()
    url = reverse("admin:actors_stance_change", args=[rival.pk])
    response = editor_client.post(url, _change_form(rival, "surely-not"))
    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors


def test_the_database_refuses_a_same_stance_of_another_actor() -> None:
    from django.db import IntegrityError, transaction

    germany = _germany()
    other = StanceFactory.create(topic=germany.topic, status="proposed")
    with pytest.raises(IntegrityError), transaction.atomic():
        Stance.objects.filter(pk=other.pk).update(status="corroborates", same_as=germany)
    with pytest.raises(IntegrityError), transaction.atomic():
        Stance.objects.filter(pk=germany.pk).update(same_as=germany, status="corroborates")


def test_a_stance_others_are_the_same_as_keeps_its_topic(editor_api: APIClient) -> None:
    germany, rival = _germany(), _rival()
    assert editor_api.post(f"{URL}{rival.pk}/same_as/", {"same_as": germany.pk}).status_code == 200
    response = editor_api.patch(
        f"{URL}{germany.pk}/", {"topic": "new-sanctions-on-russia"}, format="json"
    )
    assert response.status_code == 400
    assert "keeps its actor and topic" in str(response.json()["errors"])
