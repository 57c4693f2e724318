"""`?fields=` and `?brief=true` answer bodies the OpenAPI document describes: every read that
offers them, over the seed, in every shape (full, brief, a selection of either), checked by the
fuzzer's own checks (schemathesis, through the WSGI application). The fuzzer seldom draws a
valid field name; this names real ones."""

from pathlib import Path
from typing import Any

import pytest
import schemathesis
import yaml
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from rest_framework.test import APIClient

from tests.fuzz.campaign import REST_CHECKS

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT: dict[str, Any] = yaml.safe_load((ROOT / "openapi.yaml").read_text())
SCHEMAS = DOCUMENT["components"]["schemas"]

pytestmark = pytest.mark.django_db(transaction=True)  # WSGI requests close the connection


def _shaped_reads() -> list[tuple[str, dict[str, Any]]]:
    return [
        (path, item["get"])
        for path, item in DOCUMENT["paths"].items()
        if "get" in item and any(p["name"] == "fields" for p in item["get"]["parameters"])
    ]


def _is_list(operation: dict[str, Any]) -> bool:
    """A list's body is a page, a component of its own; a retrieve's is the object."""
    return "$ref" in operation["responses"]["200"]["content"]["application/json"]["schema"]


def _object_schema(operation: dict[str, Any]) -> dict[str, Any]:
    """The schema of one object the read serves: the retrieve's body, a list's page items."""
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    if _is_list(operation):
        schema = _component(schema)["properties"]["results"]["items"]
    assert "anyOf" in schema, operation["operationId"]
    return dict(schema)


def _component(ref: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = SCHEMAS[ref["$ref"].rsplit("/", 1)[-1]]
    return schema


def _objects(body: Any, listed: bool) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = body["results"] if listed else [body]
    assert objects, body
    return objects


@pytest.fixture
def seeded() -> APIClient:
    call_command("load_seed", verbosity=0)
    return APIClient()


def _path_parameters(api: APIClient, path: str) -> dict[str, str]:
    """The path's identifier, from a row of the collection."""
    if "{" not in path:
        return {}
    collection, _, rest = path.partition("{")
    name = rest.partition("}")[0]
    rows = api.get(collection, {"limit": "1"}).json()["results"]
    assert rows, collection
    return {name: str(rows[0][name])}


def test_every_shape_of_every_read_keeps_to_the_document(seeded: APIClient) -> None:
    served_document = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    reads = _shaped_reads()
    assert len(reads) >= 16  # list and detail of events, entries, sources, actors, topics, ...
    shapes_tried = 0
    for path, operation in reads:
        members = _object_schema(operation)["anyOf"]
        full, selection = _component(members[0]), _component(members[-1])
        brief = _component(members[1]) if len(members) == 3 else None
        offers_brief = any(p["name"] == "brief" for p in operation["parameters"])
        assert offers_brief == (brief is not None), path
        assert not selection.get("required"), path

        shapes: list[dict[str, str]] = [{}, {"fields": ",".join(list(full["properties"])[:2])}]
        if brief is not None:
            two = ",".join(list(brief["properties"])[:2])
            shapes += [{"brief": "true"}, {"brief": "true", "fields": two}, {"brief": "false"}]
        identifier = _path_parameters(seeded, path)
        for query in shapes:
            case = served_document[path]["GET"].Case(path_parameters=identifier, query=query)
            response = case.call()
            assert response.status_code == 200, (path, query, response.text[:500])
            case.validate_response(response, checks=REST_CHECKS)  # raises on any violation
            plain = "fields" not in query and query.get("brief") != "true"
            for served in _objects(response.json(), _is_list(operation)):
                # A plain read (or `brief=false`) has every field of the full form, the
                # union's first member; a shaped one does not, which is why the union is there.
                assert set(full["required"]) <= set(served) or not plain, (path, query, served)
                assert not set(full["required"]) <= set(served) or plain, (path, query, served)
            shapes_tried += 1
    assert shapes_tried >= 60


def test_a_selection_of_the_brief_form_admits_its_relations_as_slugs(seeded: APIClient) -> None:
    """An entry's event is an object in the full form and a slug in the brief one; `fields`
    selects from either, and the selection takes both."""
    event = SCHEMAS["EntrySelection"]["properties"]["event"]
    assert event == {
        "anyOf": [{"$ref": "#/components/schemas/EventBrief"}, {"type": "string", "readOnly": True}]
    }
    full = seeded.get("/api/v1/entries/", {"fields": "id,event", "limit": "1"}).json()
    brief = seeded.get("/api/v1/entries/", {"fields": "id,event", "brief": "true", "limit": "1"})
    [from_full], [from_brief] = full["results"], brief.json()["results"]
    assert set(from_full) == set(from_brief) == {"id", "event"}
    assert from_brief["event"] == from_full["event"]["slug"]
