"""HTTP done right: validators, preconditions, one error shape, hostile input."""

import time

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from events.models import Entry
from tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


def _entry_url() -> str:
    return f"/api/v1/entries/{Entry.objects.get(order=1).pk}/"


def test_get_carries_an_etag_and_answers_304_when_it_matches(api: APIClient) -> None:
    first = api.get(_entry_url())
    etag = first["ETag"]
    assert etag.startswith('"')
    again = api.get(_entry_url(), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304


def test_a_write_changes_the_etag_so_no_client_keeps_a_stale_copy(
    api: APIClient, editor_api: APIClient
) -> None:
    etag = api.get(_entry_url())["ETag"]
    assert editor_api.patch(_entry_url(), {"credit": "AFP"}, format="json").status_code == 200
    fresh = api.get(_entry_url(), HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200
    assert fresh.json()["credit"] == "AFP"


def test_last_modified_follows_the_last_write_and_answers_if_modified_since(
    api: APIClient, editor_api: APIClient
) -> None:
    editor_api.patch(_entry_url(), {"credit": "Reuters"}, format="json")
    time.sleep(1.05)  # Last-Modified is only sent once the second of the last write is over.
    response = api.get(_entry_url())
    last_modified = response["Last-Modified"]
    assert api.get(_entry_url(), HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    editor_api.patch(_entry_url(), {"credit": "AP"}, format="json")
    assert api.get(_entry_url(), HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 200


def _directives(header: str) -> set[str]:
    return {part.strip() for part in header.split(",")}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/entries/",
        "/api/v1/stances/",
        "/api/v1/topics/troops-to-ukraine/matrix/?as_of=2025-09-04T16:20:00Z",
        "/api/v1/changes/",
        "/api/v1/changes/?format=csv",
        "/api/v1/",
    ],
)
def test_reads_say_shared_caches_may_keep_only_what_anonymous_readers_see(
    path: str, api: APIClient, editor_api: APIClient
) -> None:
    """Stances differ by role, so an editor's answer is private and every answer varies on
    the credentials that choose the role."""
    public = api.get(path)
    assert public.status_code == 200
    assert {"public", "max-age=0", "must-revalidate"} <= _directives(public["Cache-Control"])
    assert {"Accept", "Authorization", "Cookie"} <= _directives(public["Vary"])
    private = editor_api.get(path)
    assert "private" in _directives(private["Cache-Control"])
    assert "public" not in _directives(private["Cache-Control"])
    assert {"Authorization", "Cookie"} <= _directives(private["Vary"])


def test_a_change_read_by_an_editor_is_private(api: APIClient, editor_api: APIClient) -> None:
    """The audit trail holds unverified stances' history for editors only."""
    assert editor_api.patch(_entry_url(), {"credit": "AFP"}, format="json").status_code == 200
    change = editor_api.get("/api/v1/changes/", {"model": "events.Entry"}).json()["results"][0]
    path = f"/api/v1/changes/{change['id']}/"
    assert "public" in _directives(api.get(path)["Cache-Control"])
    private = editor_api.get(path)
    assert private.status_code == 200
    assert "private" in _directives(private["Cache-Control"])
    assert {"Authorization", "Cookie"} <= _directives(private["Vary"])


def test_refusals_carry_no_caching_directives(api: APIClient) -> None:
    response = api.get("/api/v1/entries/?until=2025")
    assert response.status_code == 400
    assert "Cache-Control" not in response


def test_if_match_with_the_current_etag_lets_the_write_through(editor_api: APIClient) -> None:
    etag = editor_api.get(_entry_url())["ETag"]
    response = editor_api.patch(_entry_url(), {"credit": "AFP"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200


def test_if_match_with_a_stale_etag_is_412_and_writes_nothing(editor_api: APIClient) -> None:
    etag = editor_api.get(_entry_url())["ETag"]
    editor_api.patch(_entry_url(), {"credit": "First editor"}, format="json", HTTP_IF_MATCH=etag)
    second = editor_api.patch(
        _entry_url(), {"credit": "Second editor"}, format="json", HTTP_IF_MATCH=etag
    )
    assert second.status_code == 412
    assert second["Content-Type"] == "application/problem+json"
    assert Entry.objects.get(order=1).credit == "First editor"


def test_if_match_guards_deletes_too(editor_api: APIClient) -> None:
    topic = TopicFactory.create()
    url = f"/api/v1/topics/{topic.slug}/"
    assert editor_api.delete(url, HTTP_IF_MATCH='"stale"').status_code == 412
    assert editor_api.delete(url, HTTP_IF_MATCH="*").status_code == 204


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_an_oversized_body_is_a_json_413(editor_api: APIClient) -> None:
    response = editor_api.post(
        "/api/v1/topics/", {"slug": "big", "title": "x" * 5000}, format="json"
    )
    assert response.status_code == 413
    assert response.json()["status"] == 413


def test_a_nul_in_a_json_value_is_a_400(editor_api: APIClient) -> None:
    response = editor_api.post("/api/v1/topics/", {"slug": "nul", "title": "a\x00b"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"title": ["Text may not contain NUL characters."]}


def test_a_lone_surrogate_in_a_json_value_is_a_400_and_writes_nothing(
    editor_api: APIClient,
) -> None:
    """Valid JSON escaping, but no character: PostgreSQL could not store it."""
    body = '{"slug": "surrogate", "title": "a\\ud800b"}'
    response = editor_api.post("/api/v1/topics/", body, content_type="application/json")
    assert response.status_code == 400
    assert "surrogates" in response.json()["errors"]["title"][0]
    assert editor_api.get("/api/v1/topics/surrogate/").status_code == 404


@pytest.mark.parametrize("url", ["/api/v1/actors/a%00b/", "/api/v1/entries/?q=a%00b"])
def test_a_nul_in_the_path_or_query_is_a_400(api: APIClient, url: str) -> None:
    response = api.get(url)
    assert response.status_code == 400
    assert response.json()["title"] == "Bad Request"


def test_absurdly_nested_json_is_a_400(editor_api: APIClient) -> None:
    body = "[" * 50_000 + "]" * 50_000
    response = editor_api.post("/api/v1/topics/", body, content_type="application/json")
    assert response.status_code == 400


def test_moderately_nested_json_beyond_the_limit_is_a_400(editor_api: APIClient) -> None:
    body = '{"slug": "deep", "title": "t", "extra": ' + "[" * 40 + "]" * 40 + "}"
    response = editor_api.post("/api/v1/topics/", body, content_type="application/json")
    assert response.status_code == 400


def test_invalid_utf8_is_a_400(editor_api: APIClient) -> None:
    response = editor_api.post(
        "/api/v1/topics/", b'{"slug": "x", "title": "\xff\xfe"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["status"] == 400


def test_anonymous_clients_are_throttled_with_a_problem_429(
    api: APIClient, editor_api: APIClient
) -> None:
    statuses = [api.get("/api/v1/topics/").status_code for _ in range(125)]
    assert statuses[0] == 200
    assert 429 in statuses
    throttled = api.get("/api/v1/topics/")
    assert throttled.status_code == 429
    assert "Retry-After" in throttled
    assert throttled.json()["status"] == 429
    assert editor_api.get("/api/v1/topics/").status_code == 200


def test_a_bad_token_is_a_401(api: APIClient) -> None:
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = api.get("/api/v1/topics/")
    assert response.status_code == 401
    assert response.json()["title"] == "Unauthorized"


@pytest.mark.parametrize(
    ("path", "foreign", "own"),
    [
        ("/api/v1/entries/", "offset", {"cursor", "limit"}),
        ("/api/v1/stances/", "cursor", {"limit", "offset"}),
        ("/api/v1/changes/", "cursor", {"limit", "offset"}),
    ],
)
def test_a_list_takes_only_its_own_paginators_parameters(
    api: APIClient, path: str, foreign: str, own: set[str]
) -> None:
    """Another paginator's parameter would be ignored (`offset` on the cursor-paged entries)
    or copied into `next` (`cursor` on a limit/offset list)."""
    response = api.get(path, {foreign: "5"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    [message] = response.json()["errors"][foreign]
    assert "Unknown parameter" in message
    for name in own:
        assert name in message
    assert api.get(path, {"limit": "1"}).status_code == 200


@pytest.mark.parametrize(
    "url", ["/api/v1/changes/no-colon/", "/api/v1/topics/a.b/", "/api/v1/nothing/", "/api/x"]
)
def test_a_url_no_route_matches_is_a_problem_json_404(api: APIClient, url: str) -> None:
    """A change's id the route's pattern refuses was Django's HTML page, where the document
    promises problem+json."""
    response = api.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "Not found.",
    }


def test_a_page_outside_the_api_keeps_the_html_404(api: APIClient) -> None:
    response = api.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
