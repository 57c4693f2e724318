"""A page an editor may not open, or one that is not there, answers inside the admin's frame:
her menu, what happened, and a way back."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_forbidden_admin_page_says_why_inside_the_admin(desk: Client) -> None:
    response = desk.get("/admin/auth/user/")

    assert response.status_code == 403
    page = response.content.decode()
    assert "Not allowed" in page
    assert "curator" in page  # whose account
    assert "editors" in page  # in which group
    assert 'href="/admin/"' in page  # the way back
    assert 'id="user-tools"' in page  # the admin's frame, not a bare page


def test_a_missing_admin_page_says_so_inside_the_admin(desk: Client) -> None:
    response = desk.get("/admin/events/no-such-page/")

    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page
    assert 'href="/admin/"' in page
    assert 'id="user-tools"' in page


def test_outside_the_admin_the_pages_stay_as_they_were(client: Client) -> None:
    assert client.get("/api/v1/no-such-thing/")["Content-Type"] == "application/problem+json"
    assert client.get("/no-such-page/").status_code == 404
    anonymous = client.get("/admin/events/no-such-page/")
    assert anonymous.status_code == 302  # to the login page: nothing about the admin is shown
