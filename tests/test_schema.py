"""The OpenAPI document: committed, valid, complete, and usable by a generated client."""

from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from openapi_spec_validator import validate
from rest_framework.test import APIClient

from events.querysets import SEARCH_MAX_LENGTH

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "openapi.yaml"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("schema") / "openapi.yaml"
    call_command("spectacular", "--file", str(path), "--validate", "--fail-on-warn")
    return path.read_text()


def test_the_committed_schema_matches_the_code(generated: str) -> None:
    assert SCHEMA.read_text() == generated, "openapi.yaml is stale: run `make schema`"


def test_the_schema_is_valid_openapi(generated: str) -> None:
    validate(yaml.safe_load(generated))


def _operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (path, method): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
    }


def test_public_reads_need_no_authentication_and_writes_do() -> None:
    """Reads inherit the document's security, anonymous access (Swagger UI shows no lock, and
    openapi-python-client, which takes any security an operation names as required, accepts
    an anonymous client); writes name the token or the session."""
    document = yaml.safe_load(SCHEMA.read_text())
    assert document["security"] == [{}]
    for (path, method), operation in _operations(document).items():
        if method == "get":
            assert "security" not in operation, path
        else:
            assert operation["security"], (path, method)
            assert {} not in operation["security"], (path, method)


def test_every_filter_and_error_is_documented() -> None:
    operations = _operations(yaml.safe_load(SCHEMA.read_text()))
    entry_params = {p["name"] for p in operations[("/api/v1/entries/", "get")]["parameters"]}
    assert entry_params >= {
        "event",
        "actor",
        "source",
        "topic",
        "status",
        "published_after",
        "published_before",
        "updated_since",
        "q",
        "ordering",
        "cursor",
        "limit",
    }
    stance_params = {p["name"] for p in operations[("/api/v1/stances/", "get")]["parameters"]}
    assert stance_params >= {
        "actor",
        "topic",
        "position",
        "status",
        "actor_kind",
        "country",
        "as_of",
    }
    writes = operations[("/api/v1/stances/{id}/", "patch")]["responses"]
    assert {"400", "401", "403", "404", "409", "412", "413"} <= set(writes)
    position = yaml.safe_load(SCHEMA.read_text())["components"]["schemas"]["PositionEnum"]
    assert position["enum"] == ["support", "oppose", "undecided", "conditional"]


PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


def test_every_operation_declares_its_errors_as_problem_details() -> None:
    """`Problem` for every error, annotated operations (the entry list, a timeline, the matrix,
    the ingest) included: a generated client decodes a 4xx only where it is declared."""
    operations = _operations(yaml.safe_load(SCHEMA.read_text()))
    assert len(operations) > 40
    for (path, method), operation in operations.items():
        expected = {"400", "429"}
        if "{" in path:
            expected.add("404")
        if method not in ("get", "head"):
            expected |= {"401", "403", "413"}
        responses = operation["responses"]
        assert expected <= set(responses), (path, method, sorted(responses))
        for code in expected:
            assert responses[code]["content"] == PROBLEM, (path, method, code)


def test_each_list_documents_its_own_paginators_parameters_only() -> None:
    """The server refuses another paginator's parameters (a 400), so none is documented."""
    operations = _operations(yaml.safe_load(SCHEMA.read_text()))
    for path, expected in (
        ("/api/v1/entries/", {"cursor", "limit"}),
        ("/api/v1/stances/", {"limit", "offset"}),
        ("/api/v1/changes/", {"limit", "offset"}),
        ("/api/v1/citations/", {"limit", "offset"}),
    ):
        names = {p["name"] for p in operations[(path, "get")]["parameters"]}
        assert names & {"limit", "offset", "cursor"} == expected, path


def test_the_search_text_documents_its_limit() -> None:
    operations = _operations(yaml.safe_load(SCHEMA.read_text()))
    for path in ("/api/v1/entries/", "/api/v1/entries/export.csv/"):
        [q] = [p for p in operations[(path, "get")]["parameters"] if p["name"] == "q"]
        assert q["schema"] == {"type": "string", "maxLength": SEARCH_MAX_LENGTH}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("operation", "url", "status"),
    [
        ("/api/v1/entries/", "/api/v1/entries/?cursor=garbage", 404),
        ("/api/v1/entries/", "/api/v1/entries/?format=xlsx", 406),
        ("/api/v1/citations/{id}/", "/api/v1/citations/1/?format=xlsx", 406),
        ("/api/v1/mentions/export.csv/", "/api/v1/mentions/export.csv/?format=json", 406),
        ("/api/v1/actors/{slug}/timeline/", "/api/v1/actors/nobody/timeline/", 404),
        ("/api/v1/actors/{slug}/timeline/", "/api/v1/actors/russia/timeline/?x=1", 400),
        ("/api/v1/topics/{slug}/matrix/", "/api/v1/topics/nothing/matrix/", 404),
        ("/api/v1/topics/{slug}/matrix/", "/api/v1/topics/nothing/matrix/?format=xlsx", 406),
    ],
)
def test_the_refusals_a_read_answers_are_documented(
    api: APIClient, operation: str, url: str, status: int
) -> None:
    """Reads annotated with their success only (a timeline, a matrix, the entries' cursor
    page) documented nothing else, and no read documented the 406 of `?format=`."""
    response = api.get(url)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    documented = _operations(yaml.safe_load(SCHEMA.read_text()))[(operation, "get")]
    assert documented["responses"][str(status)]["content"] == {
        "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
    }


def test_the_committed_graphql_schema_matches_the_code() -> None:
    from strawberry.printer import print_schema

    from api_project.schema import schema

    printed = print_schema(schema)
    committed = (ROOT / "schema.graphql").read_text()
    assert committed.strip() == printed.strip(), "schema.graphql is stale: run `make schema`"


def _document() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(SCHEMA.read_text())
    return document


def test_every_response_media_type_has_its_own_schema() -> None:
    """A generated client decodes by media type: CSV and NDJSON are text, errors are problem
    details, JSON is the object or the page."""
    for (path, method), operation in _operations(_document()).items():
        for code, response in operation["responses"].items():
            content = response.get("content", {})
            if not code.startswith("2"):
                assert content == {
                    "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
                }, (path, method, code)
                continue
            for media_type, body in content.items():
                if media_type in ("text/csv", "application/x-ndjson"):
                    assert body["schema"]["type"] == "string", (path, media_type)
                else:
                    assert media_type in ("application/json", "application/ld+json"), path
                    assert body["schema"].get("type") != "string", (path, media_type)


def test_the_event_answers_json_ld_with_its_own_schema() -> None:
    document = _document()
    content = document["paths"]["/api/v1/events/{slug}/"]["get"]["responses"]["200"]["content"]
    assert content["application/json"]["schema"] == {
        "anyOf": [
            {"$ref": "#/components/schemas/EventDetail"},
            {"$ref": "#/components/schemas/EventBrief"},
            {"$ref": "#/components/schemas/EventDetailSelection"},
        ]
    }
    assert content["application/ld+json"]["schema"]["$ref"].endswith("/LiveBlogPosting")
    posting = document["components"]["schemas"]["LiveBlogPosting"]
    assert {"@context", "@type", "liveBlogUpdate"} <= set(posting["required"])
    # A list's JSON-LD would be the page again: not offered there.
    listed = document["paths"]["/api/v1/events/"]["get"]
    assert "application/ld+json" not in listed["responses"]["200"]["content"]
    formats = next(p for p in listed["parameters"] if p["name"] == "format")
    assert formats["schema"]["enum"] == ["csv", "json", "ndjson"]


def test_every_export_has_an_operation_that_answers_only_text() -> None:
    operations = _operations(_document())
    for resource in ("events", "entries", "sources", "actors", "topics", "stances"):
        for fmt, media_type in (("csv", "text/csv"), ("ndjson", "application/x-ndjson")):
            operation = operations[(f"/api/v1/{resource}/export.{fmt}/", "get")]
            assert operation["operationId"] == f"v1_{resource}_export_{fmt}"
            assert list(operation["responses"]["200"]["content"]) == [media_type]
            names = {p["name"] for p in operation["parameters"]}
            listed = {p["name"] for p in operations[(f"/api/v1/{resource}/", "get")]["parameters"]}
            # The list's filters and ordering; no paging, shaping or format.
            assert names == listed - {"limit", "offset", "cursor", "fields", "brief", "format"}


def test_reads_document_fields_and_brief() -> None:
    operations = _operations(_document())
    for resource, lookup in (("events", "slug"), ("entries", "id"), ("stances", "id")):
        for path in (f"/api/v1/{resource}/", f"/api/v1/{resource}/{{{lookup}}}/"):
            parameters = {p["name"]: p["schema"] for p in operations[(path, "get")]["parameters"]}
            assert parameters["fields"] == {"type": "string"}, path
            if resource == "stances":  # no brief form
                assert "brief" not in parameters
            else:
                assert parameters["brief"] == {"type": "boolean"}, path


def _served_object(document: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any]:
    """The schema of the object a read serves: its body, or its page's items."""
    body: dict[str, Any] = operation["responses"]["200"]["content"]["application/json"]["schema"]
    if "$ref" in body:
        page = document["components"]["schemas"][body["$ref"].rsplit("/", 1)[-1]]
        body = page.get("properties", {}).get("results", {}).get("items", body)
    return body


def test_shaped_reads_declare_the_full_form_first_then_brief_and_selection() -> None:
    """A generated client parses the members in order: a plain read is the full form."""
    document = _document()
    operations = _operations(document)
    schemas = document["components"]["schemas"]
    declared = {
        ("/api/v1/entries/", "EntryHit", "EntryBrief"),
        ("/api/v1/entries/{id}/", "Entry", "EntryBrief"),
        ("/api/v1/events/", "Event", "EventBrief"),
        ("/api/v1/events/{slug}/", "EventDetail", "EventBrief"),
        ("/api/v1/stances/", "Stance", None),
        ("/api/v1/stances/{id}/", "Stance", None),
    }
    for path, full, brief in declared:
        forms = [full, *([brief] if brief else []), f"{full}Selection"]
        body = _served_object(document, operations[(path, "get")])
        assert body == {"anyOf": [{"$ref": f"#/components/schemas/{name}"} for name in forms]}
        selection = schemas[f"{full}Selection"]
        assert "required" not in selection
        assert selection["minProperties"] == 1
        assert set(selection["properties"]) == set(schemas[full]["properties"])
    # Every read that takes `fields` declares the union; no other does.
    for (path, method), operation in operations.items():
        if method != "get" or operation["operationId"].endswith(("_csv", "_ndjson")):
            continue
        shaped = any(p["name"] == "fields" for p in operation["parameters"])
        assert ("anyOf" in _served_object(document, operation)) == shaped, path


def test_parameters_and_relations_have_their_served_types() -> None:
    document = _document()
    operations = _operations(document)
    stance_parameters = {
        p["name"]: p["schema"] for p in operations[("/api/v1/stances/", "get")]["parameters"]
    }
    assert stance_parameters["evidence"] == {"type": "integer"}
    assert stance_parameters["as_of"] == {"type": "string", "format": "date-time"}
    entry_parameters = {
        p["name"]: p["schema"] for p in operations[("/api/v1/entries/", "get")]["parameters"]
    }
    assert entry_parameters["limit"]["type"] == "integer"
    assert entry_parameters["cursor"]["type"] == "string"
    schemas = document["components"]["schemas"]
    stance, written = schemas["Stance"]["properties"], schemas["StanceRequest"]["properties"]
    # Read as the related object's brief form, written as its slug or id.
    assert stance["actor"] == {"$ref": "#/components/schemas/ActorBrief"}
    assert written["actor"]["type"] == "string"
    assert stance["evidence"]["allOf"] == [{"$ref": "#/components/schemas/EntryBrief"}]
    assert stance["evidence"]["nullable"] is True
    assert written["evidence"] == {"type": "integer", "nullable": True}
    assert schemas["Entry"]["properties"]["event"] == {"$ref": "#/components/schemas/EventBrief"}
    assert schemas["EntryRequest"]["properties"]["event"]["type"] == "string"
    assert stance["decided_by"]["nullable"] is True
    # Every field of a representation is always there.
    assert set(schemas["Stance"]["required"]) == set(stance)
    assert set(schemas["PaginatedEntryHitList"]["required"]) == {"next", "previous", "results"}
