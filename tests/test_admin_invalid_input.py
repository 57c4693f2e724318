"""Every admin add and change form, and every inline on them, sent invalid input one field at
a time: the answer is the form again with an error (or a refusal page), never a 5xx, and
nothing is written.

The forms are read from the pages as served, so a field added to an admin is swept without
touching this file. Each case runs in a savepoint rolled back after it, so every case starts
from the same record.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.db import models, transaction
from django.test import Client
from django.urls import reverse

from api_project.roles import editors_group_ensure

from .admin_forms import fields, form_data
from .tokens import token_for

pytestmark = pytest.mark.django_db

# What a careless paste, a stale page or a tampered request sends, by kind of input.
BAD_VALUES = {
    "text": ["x" * 3000, "a\x00b", "2025-02-30"],
    "textarea": ["a\x00b"],
    "select": ["no-such-choice", "999999999"],
    "number": ["abc", "9" * 40, "-1"],
    "hidden": ["abc"],
    "email": ["not-an-email"],
    "url": ["javascript:alert(1)"],
    "password": ["a\x00b"],
}
MANAGEMENT_VALUES = ["abc"]

ADMINS = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


@pytest.fixture
def desk(db: None) -> Client:
    """A superuser, with a group and a token beside the seed: every form, every field."""
    chief = User.objects.create_superuser("chief", password="unused-password-1")
    editors_group_ensure()
    token_for(chief)
    client = Client()
    client.force_login(chief)
    return client


def _example(model: type[models.Model]) -> models.Model | None:
    """The row with the most related rows, so its change page has filled inlines."""
    return model._default_manager.order_by("pk").last()


def _cases(page: bytes, form_id: str) -> Iterator[tuple[str, str]]:
    """(field name, bad value) for the main form and the first row of each inline, plus a new
    inline row and a tampered management form per inline."""
    named = fields(page, form_id)
    prefixes = {
        name.removesuffix("-TOTAL_FORMS") for name, _ in named if name.endswith("TOTAL_FORMS")
    }
    for name, kind in named:
        if name == "csrfmiddlewaretoken" or "__prefix__" in name:
            continue
        prefix, _, rest = name.partition("-")
        if prefix in prefixes:
            if rest in ("TOTAL_FORMS", "INITIAL_FORMS"):
                for value in MANAGEMENT_VALUES:
                    yield name, value
            if not rest.startswith("0-"):
                continue
            values = BAD_VALUES.get(kind, [])[:1]  # the rows share their fields' code
        else:
            values = BAD_VALUES.get(kind, [])
        for value in values:
            yield name, value


def _new_rows(
    page: bytes, form_id: str, data: dict[str, Any]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Per inline: a copy of its first row added as a new row (a duplicate: the constraints
    speak), and a new row where only one field is filled with a bad value."""
    named = fields(page, form_id)
    for name, _ in named:
        if not name.endswith("-TOTAL_FORMS"):
            continue
        prefix = name.removesuffix("-TOTAL_FORMS")
        total = int(data[name])
        row = {
            n.split("-", 2)[2]: data.get(n, "")
            for n, _ in named
            if n.startswith(f"{prefix}-0-") and not n.endswith(("-id", "-DELETE"))
        }
        if row:
            copy = {f"{prefix}-{total}-{key}": value for key, value in row.items()}
            yield f"{prefix}: a copy of the first row", {**data, name: str(total + 1), **copy}
        for n, kind in named:
            if not n.startswith(f"{prefix}-__prefix__-") or n.endswith(("-id", "-DELETE")):
                continue
            field = n.split("-", 2)[2]
            for value in BAD_VALUES.get(kind, [])[:1]:
                row_data = {f"{prefix}-{total}-{field}": value}
                yield (
                    f"{prefix}: new row, {field}={value[:20]!r}",
                    {**data, name: str(total + 1), **row_data},
                )


def _post(desk: Client, url: str, data: dict[str, Any], case: str) -> None:
    with transaction.atomic():
        try:
            response = desk.post(url, data)
        except Exception as error:  # the test client re-raises what became a 500
            raise AssertionError(f"{url} {case}: {type(error).__name__}: {error}") from error
        finally:
            transaction.set_rollback(True)
    assert response.status_code < 500, f"{url} {case}: {response.status_code}"
    if response.status_code == 200:
        page = response.content
        assert b"errornote" in page or b"errorlist" in page, f"{url} {case}: 200 without an error"


def _sweep(desk: Client, url: str, form_id: str) -> int:
    page = desk.get(url)
    if page.status_code != 200:
        assert page.status_code < 500
        return 0
    served = form_data(page.content, form_id)
    count = 0
    for name, value in _cases(page.content, form_id):
        _post(desk, url, {**served, name: value}, f"{name}={value[:20]!r}")
        count += 1
    for case, data in _new_rows(page.content, form_id, served):
        _post(desk, url, data, case)
        count += 1
    return count


def _form_id(model: type[models.Model]) -> str:
    return f"{model._meta.model_name}_form"


@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=[m._meta.label for m, _ in ADMINS])
def test_the_add_form_refuses_bad_input_on_the_form(
    desk: Client, model: type[models.Model], model_admin: Any
) -> None:
    opts = model._meta
    before = model._default_manager.count()
    swept = _sweep(desk, reverse(f"admin:{opts.app_label}_{opts.model_name}_add"), _form_id(model))
    assert model._default_manager.count() == before
    assert swept or not model_admin.has_add_permission(_request(desk))


@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=[m._meta.label for m, _ in ADMINS])
def test_the_change_form_refuses_bad_input_on_the_form(
    desk: Client, model: type[models.Model], model_admin: Any
) -> None:
    if not model_admin.has_change_permission(_request(desk)):
        return  # a read-only history: no form to send
    example = _example(model)
    assert example is not None, f"the seed has no {model._meta.verbose_name}"
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[example.pk])
    swept = _sweep(desk, url, _form_id(model))
    assert swept or not model_admin.has_change_permission(_request(desk), example)


@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=[m._meta.label for m, _ in ADMINS])
def test_a_copy_of_a_record_sent_to_the_add_form_is_refused_on_the_form(
    desk: Client, model: type[models.Model], model_admin: Any
) -> None:
    """A record added twice (the same slug, the same unique pair): the database's constraints
    come back as form errors."""
    if not model_admin.has_add_permission(_request(desk)):
        return
    example = _example(model)
    assert example is not None
    opts = model._meta
    change = desk.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[example.pk])
    )
    assert change.status_code == 200
    data = {
        name: value
        for name, value in form_data(change.content, _form_id(model)).items()
        if "-" not in name  # the main form only: no inline rows
    }
    add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    _post(desk, add, data, "a copy of an existing record")


@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=[m._meta.label for m, _ in ADMINS])
def test_deleting_a_record_others_depend_on_is_refused_with_a_page(
    desk: Client, model: type[models.Model], model_admin: Any
) -> None:
    if not model_admin.has_delete_permission(_request(desk)):
        return
    example = _example(model)
    assert example is not None
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[example.pk])
    with transaction.atomic():
        response = desk.post(url, {"post": "yes"})
        transaction.set_rollback(True)
    assert response.status_code < 500
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    everything = [str(pk) for pk in model._default_manager.values_list("pk", flat=True)[:50]]
    action = {"action": "delete_selected", "post": "yes", "_selected_action": everything}
    with transaction.atomic():
        response = desk.post(changelist, action)
        transaction.set_rollback(True)
    assert response.status_code < 500


def _request(desk: Client) -> Any:
    """A request as the desk's user, for asking the admin what it permits."""
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = User.objects.get(username="chief")
    return request
