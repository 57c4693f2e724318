"""/api/v1/actors/, /api/v1/topics/ with the matrix, and timelines."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.factories import StanceFactory

pytestmark = pytest.mark.django_db


def _slugs(response: Any) -> list[str]:
    return [row["slug"] for row in response.json()["results"]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"name": "Kiev"}, ["ukraine"]),
        ({"name": "the states"}, ["united-states"]),
        ({"name": "Berlin"}, ["germany"]),
        ({"name": "Ukraine"}, ["ukraine"]),
        ({"q": "zelensk"}, ["volodymyr-zelensky"]),
        ({"kind": "international_body"}, ["european-commission", "european-union", "nato"]),
        ({"kind": "person", "country": "US"}, ["donald-trump", "steve-witkoff"]),
        ({"member_of": "coalition-of-the-willing"}, ["france", "united-kingdom"]),
        ({"member_of": "european-union", "member_on": "2021-01-01", "q": "united"}, []),
        (
            {"member_of": "european-union", "member_on": "2019-01-01", "q": "united"},
            ["united-kingdom"],
        ),
    ],
)
def test_actor_filters(api: APIClient, params: dict[str, str], expected: list[str]) -> None:
    response = api.get("/api/v1/actors/", params)
    assert response.status_code == 200
    assert _slugs(response) == expected


def test_actor_detail_lists_memberships(api: APIClient) -> None:
    data = api.get("/api/v1/actors/finland/").json()
    groups = {m["group"]["slug"]: m for m in data["memberships"]}
    assert groups["nato"]["started_on"] == "2023-04-04"
    assert "european-union" in groups


def test_timeline_interleaves_mentions_and_stances(api: APIClient) -> None:
    data = api.get("/api/v1/actors/donald-trump/timeline/", HTTP_CACHE_CONTROL="no-cache").json()
    kinds = [(item["at"][11:16], item["kind"]) for item in data["items"]]
    assert kinds[0] == ("14:02", "mention")
    assert ("14:27", "stance") in kinds
    assert [item["at"] for item in data["items"]] == sorted(item["at"] for item in data["items"])


def test_timeline_hides_unverified_stances_from_anonymous_readers(
    api: APIClient, editor_api: APIClient
) -> None:
    StanceFactory.create(actor_id=_actor_id("donald-trump"), status="proposed")
    public = api.get("/api/v1/actors/donald-trump/timeline/", HTTP_CACHE_CONTROL="no-cache").json()[
        "items"
    ]
    curated = editor_api.get(
        "/api/v1/actors/donald-trump/timeline/", HTTP_CACHE_CONTROL="no-cache"
    ).json()["items"]
    assert len(curated) == len(public) + 1


def _actor_id(slug: str) -> int:
    from actors.models import Actor

    return Actor.objects.get(slug=slug).pk


def _camps(data: dict[str, Any]) -> dict[str, set[str]]:
    return {
        group["position"]: {row["actor"]["slug"] for row in group["actors"]}
        for group in data["positions"]
    }


def test_the_matrix_reproduces_the_1620_camps(api: APIClient) -> None:
    response = api.get(
        "/api/v1/topics/troops-to-ukraine/matrix/", {"as_of": "2025-09-04T16:20:00Z"}
    )
    assert response.status_code == 200
    camps = _camps(response.json())
    assert camps["support"] == {"france", "united-kingdom", "belgium", "lithuania", "estonia"}
    assert camps["oppose"] == {
        "germany",
        "hungary",
        "poland",
        "italy",
        "netherlands",
        "spain",
        "united-states",
    }
    assert camps["undecided"] == {"latvia", "sweden"}
    assert camps["conditional"] == set()


def test_the_matrix_before_the_camps_shows_the_summary(api: APIClient) -> None:
    data = api.get(
        "/api/v1/topics/troops-to-ukraine/matrix/", {"as_of": "2025-09-04T15:00:00Z"}
    ).json()
    assert _camps(data)["support"] == {"france", "united-kingdom"}


def test_the_matrix_rejects_a_bad_instant(api: APIClient) -> None:
    response = api.get("/api/v1/topics/troops-to-ukraine/matrix/", {"as_of": "2025-09-04"})
    assert response.status_code == 400
    assert "as_of" in response.json()["errors"]


def test_the_matrix_counts_proposed_stances_for_editors_only(
    api: APIClient, editor_api: APIClient
) -> None:
    StanceFactory.create(
        actor_id=_actor_id("finland"),
        topic_id=_topic_id("troops-to-ukraine"),
        position="conditional",
        status="proposed",
        valid_from="2025-09-04T16:00Z",
    )
    params = {"as_of": "2025-09-04T16:20:00Z"}
    url = "/api/v1/topics/troops-to-ukraine/matrix/"
    assert _camps(api.get(url, params).json())["conditional"] == set()
    assert _camps(editor_api.get(url, params).json())["conditional"] == {"finland"}


def _topic_id(slug: str) -> int:
    from actors.models import Topic

    return Topic.objects.get(slug=slug).pk


def test_actor_list_queries_do_not_grow(api: APIClient) -> None:
    counts = []
    for limit in (5, 30):
        with CaptureQueriesContext(connection) as captured:
            api.get("/api/v1/actors/", {"limit": limit}, HTTP_CACHE_CONTROL="no-cache")
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_matrix_and_timeline_queries_do_not_grow_with_stances(api: APIClient) -> None:
    url = "/api/v1/topics/troops-to-ukraine/matrix/"
    params = {"as_of": "2025-09-04T16:20:00Z"}
    with CaptureQueriesContext(connection) as before:
        api.get(url, params, HTTP_CACHE_CONTROL="no-cache")
    for slug in ("finland", "india", "china"):
        StanceFactory.create(
            actor_id=_actor_id(slug),
            topic_id=_topic_id("troops-to-ukraine"),
            valid_from="2025-09-04T16:00Z",
        )
    with CaptureQueriesContext(connection) as after:
        api.get(url, params, HTTP_CACHE_CONTROL="no-cache")
    assert len(after) == len(before) <= 6
    with CaptureQueriesContext(connection) as timeline:
        api.get("/api/v1/actors/donald-trump/timeline/", HTTP_CACHE_CONTROL="no-cache")
    assert len(timeline) <= 6
