"""The OpenAPI document: committed, valid, complete, and usable by a generated client."""

from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from openapi_spec_validator import validate

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
    """Reads inherit the document's security, anonymous first (Swagger UI shows no lock, and
    openapi-python-client, which takes any security an operation names as required, accepts
    an anonymous client); writes name the token or the session."""
    document = yaml.safe_load(SCHEMA.read_text())
    assert document["security"][0] == {}
    assert {"tokenAuth": []} in document["security"]
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


def test_the_committed_graphql_schema_matches_the_code() -> None:
    from strawberry.printer import print_schema

    from api_project.schema import schema

    printed = print_schema(schema)
    committed = (ROOT / "schema.graphql").read_text()
    assert committed.strip() == printed.strip(), "schema.graphql is stale: run `make schema`"
