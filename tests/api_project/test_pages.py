"""`/`, `/api/v1/` and the pages' Content-Security-Policy, through the test client.

The browser tests (tests/browser/test_pages.py) show the pages work under the policy; these
pin the policy itself and the API root's contents.
"""

import base64
import hashlib
import json
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from actors.api.urls import router as actors_router
from events.api.urls import router as events_router

pytestmark = pytest.mark.django_db

STRICT = {
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
}


def _sha256(source: str) -> str:
    """A CSP source expression for inline code, as the browser hashes it."""
    return f"'sha256-{base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()}'"


def _policy(response: object) -> set[str]:
    header: str = response["Content-Security-Policy"]  # type: ignore[index]
    return {directive.strip() for directive in header.split(";")}


def test_the_api_root_lists_every_registered_resource_with_its_absolute_url(
    client: Client,
) -> None:
    response = client.get("/api/v1/")
    assert response.status_code == 200
    body = response.json()
    registered = [prefix for r in (events_router, actors_router) for prefix, _, _ in r.registry]
    assert list(body["resources"]) == registered
    for name, url in body["resources"].items():
        assert url == f"http://testserver/api/v1/{name}/"
        assert client.get(url).status_code == 200, url
    assert body["schema"] == "http://testserver/api/schema/"
    assert body["docs"] == "http://testserver/api/docs/"
    assert body["graphql"] == "http://testserver/graphql/"
    assert client.get(body["schema"]).status_code == 200


def test_the_api_root_and_the_home_page_refuse_writes(client: Client, editor: User) -> None:
    client.force_login(editor)
    assert client.post("/api/v1/", {}).status_code == 405
    assert client.post("/", {}).status_code == 405


def test_the_home_page_says_what_chronicle_is_and_links_the_interfaces(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "<script" not in html
    assert re.findall(r'href="([^"]+)"', html)[2:] == [
        "/api/docs/",
        "/api/v1/",
        "/graphql/",
        "/admin/",
    ]


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        ("/", "text/html"),
        ("/graphql/", "text/html"),
        ("/api/docs/", "text/html"),
        ("/api/docs/?script=", "*/*"),
        ("/admin/login/", "text/html"),
        ("/api/v1/entries/", "application/json"),
    ],
)
def test_pages_carry_the_strict_policy(client: Client, path: str, accept: str) -> None:
    response = client.get(path, HTTP_ACCEPT=accept)
    assert response.status_code == 200
    assert _policy(response) == STRICT


def test_graphiql_and_swagger_name_no_other_host_and_run_no_inline_script(client: Client) -> None:
    for path in ("/graphql/", "/api/docs/"):
        html = client.get(path, HTTP_ACCEPT="text/html").content.decode()
        assert "<style" not in html
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == [], path
        assert re.findall(r'(?:src|href)="(?!/)([^"]*)"', html) == [], path


@pytest.mark.parametrize("path", ["/api/v1/entries/", "/api/v1/", "/api-auth/login/"])
def test_the_browsable_api_allows_inline_styles_but_no_inline_script(
    client: Client, path: str
) -> None:
    response = client.get(path, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    policy = _policy(response)
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert policy - {"style-src 'self' 'unsafe-inline'"} == STRICT - {"style-src 'self'"}


def test_the_admin_export_form_allows_exactly_its_inline_handler_and_styles(
    client: Client, editor: User
) -> None:
    client.force_login(editor)
    response = client.get("/admin/actors/stance/export/")
    assert response.status_code == 200
    html = response.content.decode()
    inline = re.findall(r'\s(?:on\w+|style)="([^"]*)"', html)
    assert set(inline) == {"font-weight: bold;", "onSelectToggleChange(event)", "padding: 0;"}
    policy = _policy(response)
    handler = _sha256("onSelectToggleChange(event)")
    styles = f"{_sha256('padding: 0;')} {_sha256('font-weight: bold;')}"
    assert f"script-src 'self' 'unsafe-hashes' {handler}" in policy
    assert f"style-src 'self' 'unsafe-hashes' {styles}" in policy
    changelist = _policy(client.get("/admin/actors/stance/"))
    assert changelist == STRICT


def test_swagger_ui_loads_no_validator_badge(client: Client) -> None:
    """Swagger UI's default fetches a badge from validator.swagger.io: the CSP would block it
    (a broken image and a violation report on every page view)."""
    script = client.get("/api/docs/?script=").content.decode()
    found = re.search(r"^const swaggerSettings = (\{.*?^\});$", script, re.MULTILINE | re.DOTALL)
    assert found is not None, script[:300]
    settings = json.loads(found.group(1))
    assert settings["validatorUrl"] is None
    assert settings["deepLinking"] is True
