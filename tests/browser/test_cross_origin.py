"""A browser app on another origin calls the APIs, and Chromium enforces CORS on our headers.

The app is a page served by a small HTTP server of its own, on another port than the live
server: `http://localhost:PORT` and `http://127.0.0.1:PORT` are two origins for it. Its script
calls /graphql/ and /api/v1/ on the live server (`http://localhost:LIVE`) with `fetch()`, as a
frontend would: JSON bodies and `Authorization: Token …` (both need a preflight), or the
editor's session cookie (`credentials: "include"`).
"""

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from actors.models import Actor, Topic
from api_project import cors
from api_project.roles import editors_group_ensure
from tests.factories import StanceFactory
from tests.tokens import token_for

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-editor-password-1"
QUERY = "{ events { edges { node { slug } } } }"
EVENT = "coalition-of-the-willing-summit-2025-09-04"

# fetch() in the app's page: what the script can read of the answer, or the browser's refusal.
CALL = """async ([url, init]) => {
  try {
    const response = await fetch(url, init);
    return {
      status: response.status,
      body: await response.json(),
      etag: response.headers.get("ETag"),
      cache: response.headers.get("X-Cache"),
    };
  } catch (error) {
    return { refused: String(error) };
  }
}"""


class _AppPage(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"<!doctype html><title>A frontend</title><p>A frontend on another origin.</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


@pytest.fixture
def app_port() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _AppPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield int(server.server_address[1])
    server.shutdown()
    server.server_close()


@pytest.fixture
def seeded_editor(transactional_db: None) -> User:
    call_command("load_seed", verbosity=0)
    user = User.objects.create_user("editor", password=PASSWORD, is_staff=True)
    user.groups.add(editors_group_ensure())
    # Unverified, so only an editor counts it: a read that counts it was sent the cookie.
    StanceFactory.create(
        actor=Actor.objects.get(slug="finland"),
        topic=Topic.objects.get(slug="troops-to-ukraine"),
        status="proposed",
        valid_from="2025-09-04T17:00Z",
    )
    return user


@pytest.fixture
def page(browser: Browser, live_server: LiveServer, seeded_editor: User) -> Page:
    """A browser in which the editor has signed in to the live server's admin."""
    page = browser.new_context().new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_contain_text("Chronicle")
    return page


def _graphql(page: Page, api: str, token: str) -> dict[str, Any]:
    init = {
        "method": "POST",
        "headers": {"Content-Type": "application/json", "Authorization": f"Token {token}"},
        "body": f'{{"query": "{QUERY}"}}',
    }
    result: dict[str, Any] = page.evaluate(CALL, [f"{api}/graphql/", init])
    return result


def _entries(page: Page, api: str, token: str) -> dict[str, Any]:
    init = {"headers": {"Authorization": f"Token {token}"}}
    result: dict[str, Any] = page.evaluate(CALL, [f"{api}/api/v1/entries/?limit=2", init])
    return result


def _stances(page: Page, api: str, credentials: str) -> dict[str, Any]:
    init = {"credentials": credentials}
    result: dict[str, Any] = page.evaluate(CALL, [f"{api}/api/v1/stances/?limit=1", init])
    return result


def test_a_listed_origin_calls_both_apis_with_a_token_or_the_session(
    page: Page, live_server: LiveServer, seeded_editor: User, app_port: int
) -> None:
    listed, unlisted = f"http://localhost:{app_port}", f"http://127.0.0.1:{app_port}"
    api = live_server.url
    token = token_for(seeded_editor)
    anonymous_count = _stances(page, api, "omit")["body"]["count"]

    with override_settings(CORS_ALLOWED_ORIGINS=[listed], CORS_ALLOWED_ORIGIN_REGEXES=[]):
        page.goto(f"{listed}/")
        graphql = _graphql(page, api, token)
        assert graphql["status"] == 200, graphql
        assert graphql["body"]["data"]["events"]["edges"][0]["node"]["slug"] == EVENT
        rest = _entries(page, api, token)
        assert rest["status"] == 200, rest
        assert len(rest["body"]["results"]) == 2
        assert rest["etag"], "ETag is exposed to the script"
        assert rest["cache"] in {"hit", "miss"}, "X-Cache is exposed to the script"
        with_cookie = _stances(page, api, "include")
        assert with_cookie["body"]["count"] == anonymous_count + 1, "the session was used"
        assert _stances(page, api, "omit")["body"]["count"] == anonymous_count

        page.goto(f"{unlisted}/")
        for refused in (
            _graphql(page, api, token),
            _entries(page, api, token),
            _stances(page, api, "include"),
            _stances(page, api, "omit"),
        ):
            assert "Failed to fetch" in refused.get("refused", ""), refused


def test_a_development_origin_calls_with_a_token_but_never_with_the_session(
    page: Page, live_server: LiveServer, seeded_editor: User, app_port: int
) -> None:
    development = f"http://127.0.0.1:{app_port}"
    api = live_server.url
    token = token_for(seeded_editor)

    # What DEBUG=1 configures (tests/api_project/test_cors.py checks it), with nothing listed.
    with override_settings(
        CORS_ALLOWED_ORIGINS=[], CORS_ALLOWED_ORIGIN_REGEXES=cors.DEVELOPMENT_ORIGIN_REGEXES
    ):
        page.goto(f"{development}/")
        graphql = _graphql(page, api, token)
        assert graphql["status"] == 200, graphql
        assert graphql["body"]["data"]["events"]["edges"]
        assert _entries(page, api, token)["status"] == 200
        without_cookie = _stances(page, api, "omit")
        assert without_cookie["status"] == 200
        refused = _stances(page, api, "include")
        assert "Failed to fetch" in refused.get("refused", ""), refused
