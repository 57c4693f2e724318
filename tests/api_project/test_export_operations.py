"""`export.csv/` and `export.ndjson/`: each export at a URL of its own, for clients generated
from the OpenAPI document (one media type per operation); the same body as `?format=`."""

import json
from typing import Any

import pytest
from rest_framework.routers import SimpleRouter
from rest_framework.test import APIClient

from actors.api.serializers import TopicSerializer
from actors.api.views import TopicViewSet
from actors.models import Topic
from api_project.rest.views import RecordViewSet

pytestmark = pytest.mark.django_db


def _body(response: Any) -> bytes:
    """The whole body, streamed or not."""
    return b"".join(response)


@pytest.mark.parametrize(
    "resource", ["events", "entries", "sources", "actors", "topics", "stances"]
)
@pytest.mark.parametrize(
    ("fmt", "content_type"), [("csv", "text/csv"), ("ndjson", "application/x-ndjson")]
)
def test_an_export_url_answers_what_the_format_parameter_does(
    api: APIClient, resource: str, fmt: str, content_type: str
) -> None:
    own = api.get(f"/api/v1/{resource}/export.{fmt}/")
    assert own.status_code == 200
    assert own["Content-Type"] == f"{content_type}; charset=utf-8"
    assert own["Content-Disposition"] == f'attachment; filename="{resource}.{fmt}"'
    listed = api.get(f"/api/v1/{resource}/", {"format": fmt})
    assert _body(own) == _body(listed) != b""


def test_an_export_url_takes_the_list_filters(api: APIClient) -> None:
    response = api.get("/api/v1/stances/export.ndjson/", {"position": "oppose"})
    rows = [json.loads(line) for line in _body(response).splitlines()]
    assert rows
    assert {row["position"] for row in rows} == {"oppose"}
    assert len(rows) == api.get("/api/v1/stances/", {"position": "oppose"}).json()["count"]


def test_an_export_url_refuses_paging_and_unknown_parameters_as_problem_json(
    api: APIClient,
) -> None:
    for params in ({"limit": "3"}, {"until": "2025-09-04T16:20:00Z"}, {"evidence": "1.5"}):
        response = api.get("/api/v1/stances/export.csv/", params)
        assert response.status_code == 400, params
        assert response["Content-Type"] == "application/problem+json"
        assert set(response.json()["errors"]) == set(params)


def test_a_list_asked_for_csv_answers_an_error_as_problem_json(api: APIClient) -> None:
    response = api.get("/api/v1/entries/", {"format": "csv", "published_after": "yesterday"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "published_after" in response.json()["errors"]


def test_the_evidence_filter_takes_whole_numbers(api: APIClient) -> None:
    refused = api.get("/api/v1/stances/", {"evidence": "1.5"})
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"evidence": ["Enter a whole number."]}
    evidence = next(
        s["evidence"]["id"] for s in api.get("/api/v1/stances/").json()["results"] if s["evidence"]
    )
    found = api.get("/api/v1/stances/", {"evidence": str(evidence)}).json()["results"]
    assert found
    assert {s["evidence"]["id"] for s in found} == {evidence}


def test_only_a_resource_that_names_its_rows_has_export_urls() -> None:
    class Unexported(RecordViewSet):
        queryset = Topic.objects.all()
        serializer_class = TopicSerializer

    router = SimpleRouter()
    router.register("unexported", Unexported, basename="unexported")
    router.register("topics", TopicViewSet, basename="topic")
    names = {getattr(pattern, "name", None) for pattern in router.urls}
    assert {"topic-export-csv", "topic-export-ndjson", "unexported-list"} <= names
    assert not {"unexported-export-csv", "unexported-export-ndjson"} & names


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "TRACE"])
@pytest.mark.parametrize("path", ["/api/v1/events/export.csv/", "/api/v1/mentions/export.ndjson/"])
def test_a_write_to_an_export_url_is_a_problem_json_405(
    editor_api: APIClient, api: APIClient, method: str, path: str
) -> None:
    """An export URL renders only its export: a write's refusal was a 500 with no renderer."""
    response = editor_api.generic(method, path, "{}", "application/json")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Method Not Allowed"
    anonymous = api.generic(method, path, "{}", "application/json")
    assert anonymous.status_code in (401, 405)
    assert anonymous["Content-Type"] == "application/problem+json"
