"""CORS through the real middleware stack: preflights and actual requests, per kind of origin.

A browser enforces CORS by the response's `Access-Control-*` headers alone, so these assert on
exactly those; tests/browser/test_cross_origin.py has a real browser obey them.
"""

import json
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.http.response import ResponseHeaders
from django.test import Client, override_settings

from api_project import cors
from tests.tokens import token_for

from .servers import ROOT

pytestmark = pytest.mark.django_db

LISTED = "https://app.example.org"
DEVELOPMENT = "http://localhost:5173"
OTHER = "https://elsewhere.example.com"
QUERY = json.dumps({"query": "{ events { edges { node { slug } } } }"})


@pytest.fixture(autouse=True)
def _origins() -> Iterator[None]:
    """Production's configuration with one listed origin, plus development's localhost rule."""
    with override_settings(
        CORS_ALLOWED_ORIGINS=[LISTED], CORS_ALLOWED_ORIGIN_REGEXES=cors.DEVELOPMENT_ORIGIN_REGEXES
    ):
        yield


def _preflight(client: Client, path: str, origin: str, method: str = "POST") -> ResponseHeaders:
    response = client.options(
        path,
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD=method,
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )
    assert response.status_code == 200, response.content
    return response.headers


@pytest.mark.parametrize("path", ["/graphql/", "/api/v1/entries/", "/api/v1/actors/"])
def test_a_listed_origin_passes_the_preflight_with_credentials(client: Client, path: str) -> None:
    headers = _preflight(client, path, LISTED)
    assert headers["Access-Control-Allow-Origin"] == LISTED
    assert headers["Access-Control-Allow-Credentials"] == "true"
    allowed = {h.strip() for h in headers["Access-Control-Allow-Headers"].split(",")}
    assert {"authorization", "content-type", "if-none-match", "if-match"} <= allowed
    assert "POST" in headers["Access-Control-Allow-Methods"]


def test_a_development_origin_passes_the_preflight_without_credentials(client: Client) -> None:
    headers = _preflight(client, "/graphql/", DEVELOPMENT)
    assert headers["Access-Control-Allow-Origin"] == DEVELOPMENT
    assert "Access-Control-Allow-Credentials" not in headers
    assert "authorization" in headers["Access-Control-Allow-Headers"]


@pytest.mark.parametrize("origin", [OTHER, "http://localhost.example.com:8080", "null"])
def test_another_origin_gets_no_cors_headers_on_the_preflight(client: Client, origin: str) -> None:
    headers = _preflight(client, "/graphql/", origin)
    assert not any(name.lower().startswith("access-control-") for name in headers)


def test_a_listed_origin_reads_a_rest_list_and_its_validators(client: Client) -> None:
    response = client.get("/api/v1/entries/", HTTP_ORIGIN=LISTED)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == LISTED
    assert response["Access-Control-Allow-Credentials"] == "true"
    exposed = {h.strip() for h in response["Access-Control-Expose-Headers"].split(",")}
    assert exposed == {"ETag", "Last-Modified", "Link", "X-Cache", "Retry-After"}
    assert "origin" in response["Vary"].lower()


@pytest.mark.parametrize("origin", [LISTED, DEVELOPMENT])
def test_an_allowed_origin_posts_a_graphql_query_with_a_token(
    client: Client, editor: User, origin: str
) -> None:
    token = f"Token {token_for(editor)}"
    response = client.post(
        "/graphql/",
        QUERY,
        content_type="application/json",
        HTTP_ORIGIN=origin,
        HTTP_AUTHORIZATION=token,
    )
    assert response.status_code == 200
    assert response.json()["data"]["events"]["edges"]
    assert response["Access-Control-Allow-Origin"] == origin
    assert (response.get("Access-Control-Allow-Credentials") == "true") == (origin == LISTED)


def test_another_origin_gets_an_answer_the_browser_will_not_hand_over(client: Client) -> None:
    response = client.post("/graphql/", QUERY, content_type="application/json", HTTP_ORIGIN=OTHER)
    assert response.status_code == 200  # CORS is the browser's to enforce, on these headers:
    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Credentials" not in response


def test_a_refusal_carries_cors_headers_so_the_app_can_read_why(client: Client) -> None:
    response = client.get("/api/v1/entries/?q=%00", HTTP_ORIGIN=LISTED)
    assert response.status_code == 400
    assert response["Access-Control-Allow-Origin"] == LISTED


@pytest.mark.parametrize("path", ["/admin/login/", "/api-auth/login/", "/health/"])
def test_pages_outside_the_apis_allow_no_origin(client: Client, path: str) -> None:
    response = client.get(path, HTTP_ORIGIN=LISTED)
    assert "Access-Control-Allow-Origin" not in response
    preflight = client.options(path, HTTP_ORIGIN=LISTED, HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST")
    assert "Access-Control-Allow-Origin" not in preflight


def _settings_under(**env: str) -> dict[str, list[str]]:
    script = (
        "import json; from django.conf import settings as s; print(json.dumps("
        "[s.CORS_ALLOWED_ORIGINS, s.CORS_ALLOWED_ORIGIN_REGEXES]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "api_project.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    origins, regexes = json.loads(result.stdout)
    return {"origins": origins, "regexes": regexes}


def test_origins_come_from_the_environment_and_localhost_only_in_development() -> None:
    production = _settings_under(
        DEBUG="0", CORS_ALLOWED_ORIGINS=" https://a.example, https://b.example:8443 "
    )
    assert production == {"origins": ["https://a.example", "https://b.example:8443"], "regexes": []}
    development = _settings_under(DEBUG="1", CORS_ALLOWED_ORIGINS="")
    assert development == {"origins": [], "regexes": cors.DEVELOPMENT_ORIGIN_REGEXES}


def test_a_cached_answer_carries_the_headers_of_the_origin_asking_now(client: Client) -> None:
    caches["responses"].clear()  # earlier tests may have kept this page already
    assert client.get("/api/v1/events/", HTTP_ORIGIN=LISTED)["X-Cache"] == "miss"
    hit = client.get("/api/v1/events/", HTTP_ORIGIN=OTHER)
    assert hit["X-Cache"] == "hit"
    assert "Access-Control-Allow-Origin" not in hit
    again = client.get("/api/v1/events/", HTTP_ORIGIN=DEVELOPMENT)
    assert again["Access-Control-Allow-Origin"] == DEVELOPMENT
    assert "Access-Control-Allow-Credentials" not in again


def test_an_origin_that_is_not_an_origin_is_a_configuration_error() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**os.environ, "CORS_ALLOWED_ORIGINS": "app.example.org,https://b.example/path"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "'app.example.org' in CORS_ALLOWED_ORIGINS is missing scheme" in result.stderr
    assert "'https://b.example/path' in CORS_ALLOWED_ORIGINS should not have path" in result.stderr
