"""The README's GraphQL examples are what a frontend can paste: valid against schema.graphql,
answered without errors, selecting `id` on every record (so Apollo's and urql's caches
normalise them), and compiled by graphql-codegen's client preset into TypeScript that tsc
accepts in strict mode."""

import json
import re
import subprocess
from pathlib import Path

import pytest
from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    build_schema,
    get_named_type,
    parse,
    validate,
)
from rest_framework.test import APIClient

from tests.graphql import data

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = ROOT / "tests" / "clients"
NODE_BIN = CLIENTS / "node_modules" / ".bin"
EXAMPLE = re.compile(r"^```graphql\n(.*?)^```", re.MULTILINE | re.DOTALL)


def readme_examples() -> list[str]:
    return EXAMPLE.findall((ROOT / "README.md").read_text())


def committed_schema() -> GraphQLSchema:
    return build_schema((ROOT / "schema.graphql").read_text())


def records_without_id(
    schema: GraphQLSchema,
    parent: GraphQLObjectType | GraphQLInterfaceType,
    selection: SelectionSetNode,
) -> list[str]:
    """The paths at which a type that has an `id` is selected without it."""
    missing = []
    fields = {}
    for node in selection.selections:
        if isinstance(node, InlineFragmentNode):
            condition = (
                schema.get_type(node.type_condition.name.value) if node.type_condition else parent
            )
            assert isinstance(condition, GraphQLObjectType | GraphQLInterfaceType)
            missing += records_without_id(schema, condition, node.selection_set)
        elif isinstance(node, FieldNode):
            fields[node.name.value] = node
    if "id" in parent.fields and "id" not in fields:
        missing.append(parent.name)
    for name, node in fields.items():
        child_selection = getattr(node, "selection_set", None)
        if child_selection is None or name == "__typename":
            continue
        child = get_named_type(parent.fields[name].type)
        assert isinstance(child, GraphQLObjectType | GraphQLInterfaceType)
        missing += [f"{name}.{path}" for path in records_without_id(schema, child, child_selection)]
    return missing


def test_the_readme_has_named_examples() -> None:
    examples = readme_examples()
    assert len(examples) >= 2
    for example in examples:
        for definition in parse(example).definitions:
            assert isinstance(definition, OperationDefinitionNode)
            assert definition.name is not None, "codegen and persisted documents need names"


@pytest.mark.parametrize("example", readme_examples())
def test_a_readme_example_is_valid_selects_ids_and_runs(
    example: str, api: APIClient, db: None
) -> None:
    schema = committed_schema()
    document: DocumentNode = parse(example)
    assert validate(schema, document) == []
    for definition in document.definitions:
        assert isinstance(definition, OperationDefinitionNode)
        root = schema.get_root_type(definition.operation)
        assert root is not None
        assert records_without_id(schema, root, definition.selection_set) == []
    result = data(api, example)
    assert all(value is not None for value in result.values()), result


def test_the_id_check_finds_a_record_without_id() -> None:
    schema = committed_schema()
    document = parse('{ event(slug: "x") { title entries(first: 1) { edges { node { id } } } } }')
    definition = document.definitions[0]
    assert isinstance(definition, OperationDefinitionNode)
    assert schema.query_type is not None
    assert records_without_id(schema, schema.query_type, definition.selection_set) == [
        "event.Event"
    ]


CODEGEN = """\
schema: {schema}
documents: documents/*.graphql
generates:
  gql/:
    preset: client
    config:
      strictScalars: true
      scalars:
        DateTime: string
        Date: string
      useTypeImports: true
"""

# Typed use of the generated document: the event page's entries, their ids and citations.
# Resolved as a frontend's bundler resolves it.
CONSUMER = """\
import type { ResultOf } from "@graphql-typed-document-node/core";
import { EventPageDocument } from "./gql/graphql.js";

type EventPage = ResultOf<typeof EventPageDocument>;

export function entryIds(page: EventPage): string[] {
  return page.event?.entries.edges.map((edge) => edge.node.id) ?? [];
}

export function chains(page: EventPage): string[][] {
  return (page.event?.entries.edges ?? []).flatMap((edge) =>
    edge.node.citations.map((citation) => citation.chain),
  );
}
"""

TSCONFIG = {
    "compilerOptions": {
        "strict": True,
        "noEmit": True,
        "target": "es2022",
        "module": "esnext",
        "moduleResolution": "bundler",
        "lib": ["es2022"],
        "types": [],
        "skipLibCheck": True,
    },
    "include": ["gql/*.ts", "consumer.ts"],
}


def test_graphql_codegen_compiles_the_readme_examples(tmp_path: Path) -> None:
    (tmp_path / "node_modules").symlink_to(CLIENTS / "node_modules")
    (tmp_path / "package.json").write_text('{"type": "module"}')
    documents = tmp_path / "documents"
    documents.mkdir()
    for number, example in enumerate(readme_examples()):
        (documents / f"example{number}.graphql").write_text(example)
    (tmp_path / "codegen.yml").write_text(CODEGEN.format(schema=ROOT / "schema.graphql"))
    (tmp_path / "consumer.ts").write_text(CONSUMER)
    (tmp_path / "tsconfig.json").write_text(json.dumps(TSCONFIG))
    for command in (
        [NODE_BIN / "graphql-codegen", "--config", tmp_path / "codegen.yml"],
        [NODE_BIN / "tsc", "-p", tmp_path / "tsconfig.json"],
    ):
        result = subprocess.run(
            [str(part) for part in command],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout + result.stderr
    generated = (tmp_path / "gql" / "graphql.ts").read_text()
    assert "export const EventPageDocument" in generated
    assert "export const CampsDocument" in generated
