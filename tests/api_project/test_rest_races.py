"""Racing writers over real HTTP: one wins, the others get a 409, nothing is half-written."""

import json
import threading
import urllib.error
import urllib.request

import pytest
from django.contrib.auth.models import User
from pytest_django.live_server_helper import LiveServer

from actors.models import Topic
from api_project.roles import editors_group_ensure
from tests.tokens import token_for

pytestmark = pytest.mark.django_db(transaction=True)


def _post(url: str, token: str, payload: dict[str, str]) -> int:
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Token {token}"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_racing_creates_of_one_slug_give_one_201_and_409s(live_server: LiveServer) -> None:
    editor = User.objects.create_user("racer", password="unused-password-1")
    editor.groups.add(editors_group_ensure())
    token = token_for(editor)
    barrier = threading.Barrier(4)
    statuses: list[int] = []

    def create(n: int) -> None:
        barrier.wait()
        statuses.append(
            _post(
                f"{live_server.url}/api/v1/topics/", token, {"slug": "contested", "title": f"T{n}"}
            )
        )

    threads = [threading.Thread(target=create, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [201, 409, 409, 409]
    assert Topic.objects.filter(slug="contested").count() == 1


def test_the_api_docs_and_schema_are_served(live_server: LiveServer) -> None:
    with urllib.request.urlopen(f"{live_server.url}/api/docs/", timeout=30) as response:
        page = response.read().decode()
    assert "swagger-ui" in page
    assert "cdn" not in page.lower()  # served from the package, not a CDN
    with urllib.request.urlopen(f"{live_server.url}/api/schema/", timeout=30) as response:
        assert b"openapi: 3" in response.read()
