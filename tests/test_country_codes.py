"""Country codes are ISO 3166-1 alpha-2 wherever they are written: the admin's forms, REST,
GraphQL and the database itself; a common mistake is answered with the code it means."""

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from actors.models import Actor
from events.models import Source
from tests.graphql import data

pytestmark = pytest.mark.django_db


def test_the_seed_uses_only_iso_codes() -> None:
    from api_project.countries import COUNTRIES

    used = set(Actor.objects.values_list("country", flat=True))
    used |= set(Source.objects.values_list("country", flat=True))
    assert used - {""} <= set(COUNTRIES)
    assert {"GB", "FR", "US"} <= used


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/v1/actors/", {"slug": "keir-starmer-2", "name": "Keir", "kind": "person"}),
        ("/api/v1/sources/", {"slug": "bbc-2", "name": "BBC", "kind": "broadcaster"}),
    ],
)
def test_rest_refuses_uk_and_names_gb(
    editor_api: APIClient, url: str, body: dict[str, str]
) -> None:
    response = editor_api.post(url, {**body, "country": "UK"}, format="json")
    assert response.status_code == 400
    assert "did you mean GB?" in str(response.json()["errors"]["country"])
    assert editor_api.post(url, {**body, "country": "GB"}, format="json").status_code == 201


def test_rest_refuses_lowercase_and_names_the_capitals(editor_api: APIClient) -> None:
    body = {"slug": "le-monde-2", "name": "Le Monde", "kind": "newspaper", "country": "fr"}
    response = editor_api.post("/api/v1/sources/", body, format="json")
    assert response.status_code == 400
    assert "did you mean FR?" in str(response.json()["errors"]["country"])


def test_rest_refuses_an_unassigned_code(editor_api: APIClient) -> None:
    body = {"slug": "nowhere", "name": "Nowhere", "kind": "country", "country": "XX"}
    response = editor_api.post("/api/v1/actors/", body, format="json")
    assert response.status_code == 400
    assert "ISO 3166-1 alpha-2" in str(response.json()["errors"]["country"])


MUTATION = """mutation($data: %sInput!) { create%s(data: $data) {
  __typename ... on OperationInfo { messages { field message } } } }"""


@pytest.mark.parametrize(
    ("type_name", "body"),
    [
        ("Actor", {"slug": "keir-starmer-3", "name": "Keir", "kind": "PERSON"}),
        ("Source", {"slug": "bbc-3", "name": "BBC", "kind": "BROADCASTER"}),
    ],
)
def test_graphql_refuses_uk_and_names_gb(
    editor_api: APIClient, type_name: str, body: dict[str, str]
) -> None:
    document = MUTATION % (type_name, type_name)
    result = data(editor_api, document, {"data": {**body, "country": "UK"}})[f"create{type_name}"]
    assert result["__typename"] == "OperationInfo"
    (message,) = result["messages"]
    assert message["field"] == "country"
    assert "did you mean GB?" in message["message"]


def test_the_admin_form_refuses_uk_next_to_the_field(client: Client, editor: User) -> None:
    client.force_login(editor)
    form = {"name": "BBC", "slug": "bbc-4", "kind": "broadcaster", "url": "", "country": "UK"}
    response = client.post(reverse("admin:events_source_add"), form)
    assert response.status_code == 200  # the form again, input kept
    errors = response.context["adminform"].form.errors
    assert "did you mean GB?" in str(errors["country"])
    assert 'value="UK"' in response.content.decode()


@pytest.mark.parametrize(
    "table", [Actor._meta.db_table, Source._meta.db_table], ids=["actor", "source"]
)
def test_the_database_refuses_a_code_outside_the_list(table: str) -> None:
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET country = 'UK' WHERE country = 'GB'")


@pytest.mark.parametrize(("written", "meant"), [("fr", "FR"), ("EL", "GR"), ("uk", "GB")])
def test_graphql_names_the_code_meant(editor_api: APIClient, written: str, meant: str) -> None:
    body = {"slug": "somewhere", "name": "Somewhere", "kind": "COUNTRY", "country": written}
    result = data(editor_api, MUTATION % ("Actor", "Actor"), {"data": body})["createActor"]
    assert result["messages"] == [
        {
            "field": "country",
            "message": f"“{written}” is not an ISO 3166-1 alpha-2 country code; "
            f"did you mean {meant}?",
        }
    ]
