"""A span that ends before it starts is refused under its end field, with the constraint's own
message, by every surface (REST, GraphQL, the admin form) and by the database's refusal of a
write that skipped validation (a race): one rule, `api_project.constraints.range_check`."""

from datetime import UTC, datetime
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient
from strawberry import relay

from actors.models import Membership, Stance
from api_project.constraints import FieldCheckConstraint
from api_project.integrity import as_validation_error
from core.models import AccessToken
from events.models import Event
from tests.factories import ActorFactory, EventFactory, StanceFactory
from tests.graphql import run

pytestmark = pytest.mark.django_db
EARLY = "2025-09-04T00:00:00Z"
LATE = "2025-09-05T00:00:00Z"
T0 = datetime(2025, 9, 4, tzinfo=UTC)
T1 = datetime(2025, 9, 5, tzinfo=UTC)


def _message(model: type[models.Model], field: str) -> str:
    [constraint] = [
        c
        for c in model._meta.constraints
        if isinstance(c, FieldCheckConstraint) and c.violation_error_field == field
    ]
    return str(constraint.get_violation_error_message())


def test_every_span_in_the_models_names_its_end() -> None:
    """The spans the record keeps, each checked in the database and refused under its end."""
    from django.apps import apps

    spans = {
        (model._meta.label, constraint.violation_error_field)
        for model in apps.get_models()
        for constraint in model._meta.constraints
        # A span's check reads two fields, its start and its end (a country's reads one).
        if isinstance(constraint, FieldCheckConstraint)
        and isinstance(constraint.condition, Q)
        and len(constraint.condition.referenced_base_fields) == 2
    }
    assert spans == {
        ("events.Event", "ends_at"),
        ("actors.Stance", "valid_until"),
        ("actors.Membership", "ended_on"),
        ("core.AccessToken", "expires_at"),
    }


def test_rest_names_the_end_field(editor_api: APIClient) -> None:
    body = {"slug": "backwards", "title": "B", "status": "live", "starts_at": LATE}
    response = editor_api.post("/api/v1/events/", {**body, "ends_at": EARLY}, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == {"ends_at": [_message(Event, "ends_at")]}
    assert not Event.objects.filter(slug="backwards").exists()

    stance = StanceFactory.create(valid_from=T0, valid_until=None)
    patched = editor_api.patch(
        f"/api/v1/stances/{stance.pk}/", {"valid_until": "2025-09-03T00:00:00Z"}, format="json"
    )
    assert patched.status_code == 400
    assert patched.json()["errors"] == {"valid_until": [_message(Stance, "valid_until")]}
    stance.refresh_from_db()
    assert stance.valid_until is None


def test_graphql_names_the_end_field(editor_api: APIClient) -> None:
    selection = "{ __typename ... on OperationInfo { messages { field message code } } }"
    create = f"mutation($data: EventInput!) {{ createEvent(data: $data) {selection} }}"
    data = {"slug": "backwards", "title": "B", "status": "LIVE", "startsAt": LATE}
    answer = run(editor_api, create, {"data": {**data, "endsAt": EARLY}})
    assert answer["data"]["createEvent"]["messages"] == [
        {"field": "endsAt", "message": _message(Event, "ends_at"), "code": None}
    ]
    assert not Event.objects.filter(slug="backwards").exists()

    event = EventFactory.create(starts_at=T1, ends_at=None)
    update = f"mutation($data: EventPartialInput!) {{ updateEvent(data: $data) {selection} }}"
    gid = str(relay.GlobalID("Event", str(event.pk)))
    answer = run(editor_api, update, {"data": {"id": gid, "endsAt": EARLY}})
    assert [m["field"] for m in answer["data"]["updateEvent"]["messages"]] == ["endsAt"]
    event.refresh_from_db()
    assert event.ends_at is None


def _editor_browser(editor: User) -> Client:
    browser = Client()
    browser.force_login(editor)
    return browser


def test_the_admin_form_names_the_end_field(editor: User) -> None:
    browser = _editor_browser(editor)
    post: dict[str, Any] = {
        "slug": "backwards",
        "title": "B",
        "status": "live",
        "language": "en",
        "starts_at_0": "2025-09-05",
        "starts_at_1": "00:00:00",
        "ends_at_0": "2025-09-04",
        "ends_at_1": "00:00:00",
    }
    refused = browser.post(reverse("admin:events_event_add"), post)
    assert refused.status_code == 200
    form = refused.context["adminform"].form
    assert form.errors == {"ends_at": [_message(Event, "ends_at")]}
    assert not Event.objects.filter(slug="backwards").exists()


def test_the_database_refusal_of_a_write_that_skipped_validation_names_the_same_field() -> None:
    """A write that raced past validation meets the CHECK, whose refusal reads as validation's."""
    member, group = ActorFactory.create(), ActorFactory.create()
    token_user = User.objects.create_user("holder")
    writes = [
        (lambda: EventFactory.create(starts_at=T1, ends_at=T0), Event, "ends_at"),
        (lambda: StanceFactory.create(valid_from=T1, valid_until=T0), Stance, "valid_until"),
        (
            lambda: Membership.objects.create(
                member=member, group=group, started_on=T1.date(), ended_on=T0.date()
            ),
            Membership,
            "ended_on",
        ),
        (
            lambda: AccessToken.objects.create(
                prefix="p", digest="d", user=token_user, created_at=T1, expires_at=T0
            ),
            AccessToken,
            "expires_at",
        ),
    ]
    for write, model, field in writes:
        with pytest.raises(IntegrityError) as refused, transaction.atomic():
            write()
        error = as_validation_error(refused.value)
        assert error is not None
        assert error.message_dict == {field: [_message(model, field)]}
