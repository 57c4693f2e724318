"""Every write path under hostile input, table-driven: every REST write the OpenAPI document lists
and every GraphQL mutation the schema has, each sent wrong types, unknown enum values, naive and
impossible datetimes, reversed ranges, 1 MB strings, NUL, invalid UTF-8, deep nesting, unknown
fields and duplicate keys. Each is refused with a 4xx (REST problem+json) or a typed GraphQL
error naming what is wrong, and the database is unchanged: the row count of every table, the
audit trail's included, is the same before and after.

The cases are built from the documents themselves, so a write added later is covered without
editing this file (`test_every_write_is_covered` fails if one is left without cases).
"""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.db import connection
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
)
from rest_framework.test import APIClient
from strawberry import relay

from api_project.schema import schema

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
EVENT = "coalition-of-the-willing-summit-2025-09-04"
START = "2025-09-04T13:30:00Z"
MEGABYTE = "x" * 1_000_000


@dataclass
class Case:
    """One hostile request and what its refusal must name (None: a refusal of the whole body)."""

    name: str
    body: bytes
    names: str | None
    headers: dict[str, str] = field(default_factory=dict)


# An otherwise valid body per resource, so that each case is refused for its one fault.
def _valid(resource: str, entry_id: int) -> dict[str, Any]:
    bodies: dict[str, dict[str, Any]] = {
        "events": {"slug": "hostile-e", "title": "T", "starts_at": START, "status": "live"},
        "entries": {"event": EVENT, "published_at": START, "order": 999, "body": "B"},
        "sources": {"slug": "hostile-s", "name": "N", "kind": "newspaper"},
        "actors": {"slug": "hostile-a", "name": "N", "kind": "person"},
        "topics": {"slug": "hostile-t", "title": "T"},
        "stances": {
            "actor": "finland",
            "topic": "troops-to-ukraine",
            "source": "reuters",
            "evidence": entry_id,
            "position": "support",
            "kind": "statement",
            "summary": "S",
            "valid_from": START,
        },
    }
    return bodies[resource]


# Spans whose end may not come before their start.
RANGES = {"events": ("starts_at", "ends_at"), "stances": ("valid_from", "valid_until")}


@cache
def _document() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((ROOT / "openapi.yaml").read_text())
    return document


def rest_writes() -> list[tuple[str, str]]:
    """(method, path) of every write the OpenAPI document lists."""
    return [
        (method.upper(), path)
        for path, operations in _document()["paths"].items()
        for method in operations
        if method in ("post", "put", "patch", "delete")
    ]


def _schema_of(path: str, method: str) -> dict[str, Any] | None:
    content = _document()["paths"][path][method.lower()].get("requestBody", {}).get("content", {})
    ref = content.get("application/json", {}).get("schema", {}).get("$ref")
    if ref is None:
        return None
    schema_: dict[str, Any] = _document()["components"]["schemas"][ref.rsplit("/", 1)[1]]
    return schema_


def _resolve(prop: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in prop:
        found: dict[str, Any] = _document()["components"]["schemas"][prop["$ref"].rsplit("/")[-1]]
        return found
    if "allOf" in prop:
        return _resolve(prop["allOf"][0])
    if "oneOf" in prop:
        return _resolve(prop["oneOf"][0])
    return prop


def _dump(value: Any) -> bytes:
    return json.dumps(value).encode()


def rest_cases(method: str, path: str, valid: dict[str, Any]) -> Iterator[Case]:
    """The hostile bodies for one JSON write."""
    schema_ = _schema_of(path, method)
    assert schema_ is not None
    resource = path.split("/")[3]
    base = {} if method == "PATCH" else valid
    first = next(iter(valid))
    yield Case("invalid UTF-8", b'{"' + first.encode() + b'": "\xff\xfe"}', None)
    yield Case("NUL", _dump({**base, first: "a\x00b"}), first)
    yield Case("deep nesting", _dump({**base, first: json.loads("[" * 40 + "]" * 40)}), first)
    yield Case("duplicate keys", b'{"%s": "a", "%s": "b"}' % (first.encode(), first.encode()), None)
    yield Case("not an object", _dump([valid]), None)
    yield Case("unknown field", _dump({**base, "sumary": "misspelt"}), "sumary")
    for name, raw in schema_["properties"].items():
        prop = _resolve(raw)
        if prop.get("readOnly"):
            continue
        yield Case(f"{name}: wrong type", _dump({**base, name: {"an": "object"}}), name)
        if "enum" in prop:
            yield Case(f"{name}: unknown enum value", _dump({**base, name: "SURELY_NOT"}), name)
        if prop.get("format") == "date-time":
            yield Case(f"{name}: naive", _dump({**base, name: "2025-09-04T13:30:00"}), name)
            yield Case(f"{name}: impossible", _dump({**base, name: "2025-02-30T10:00:00Z"}), name)
        if prop.get("type") == "string" and "maxLength" in prop and "format" not in prop:
            yield Case(f"{name}: 1 MB", _dump({**base, name: MEGABYTE}), name)
        if prop.get("type") == "string" and "minLength" in prop and "format" not in prop:
            yield Case(f"{name}: surrogate", b'{"%s": "\\ud800"}' % name.encode(), name)
    if resource in RANGES and len(path.strip("/").split("/")) == 4:  # a record, not an action
        start, end = RANGES[resource]
        reversed_ = {**valid, start: "2025-09-05T00:00:00Z", end: "2025-09-04T00:00:00Z"}
        yield Case("reversed range", _dump(reversed_), end)


def _tables() -> list[str]:
    return sorted(connection.introspection.table_names())


def snapshot() -> tuple[int, ...]:
    """The row count of every table (the audit trail's event tables included), in one query."""
    counts = ", ".join(f'(SELECT count(*) FROM "{table}")' for table in _tables())
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        row = cursor.fetchone()
    return tuple(row)


def _settle_body(path: str) -> dict[str, Any]:
    """A stance action's valid arguments: the verified stance it settles against."""
    from actors.models import Stance

    field_ = "supersedes" if path.endswith("/supersede/") else "same_as"
    return {field_: Stance.objects.order_by("pk").last().pk}  # type: ignore[union-attr]


def _detail(path: str) -> str:
    from actors.models import Stance
    from events.models import Entry

    samples = {
        "actors": "finland",
        "events": EVENT,
        "sources": "reuters",
        "topics": "troops-to-ukraine",
        "entries": str(Entry.objects.filter(event__slug=EVENT).order_by("order").first().pk),  # type: ignore[union-attr]
        "stances": str(Stance.objects.order_by("pk").first().pk),  # type: ignore[union-attr]
    }
    resource = path.split("/")[3]
    return path.replace("{slug}", samples[resource]).replace("{id}", samples[resource])


def _error_keys(errors: Any) -> Iterator[str]:
    """Every key of the field errors, nested ones (`citations.0.via`) included."""
    if isinstance(errors, dict):
        for key, value in errors.items():
            yield key
            yield from _error_keys(value)
    elif isinstance(errors, list):
        for item in errors:
            yield from _error_keys(item)


def _names_field(body: dict[str, Any], name: str) -> bool:
    """The refusal files an error under the field itself, not only mentions it in a message."""
    return name in set(_error_keys(body.get("errors", {})))


def test_every_rest_write_refuses_hostile_bodies_and_changes_nothing(
    editor_api: APIClient, record_property: Any
) -> None:
    from events.models import Entry

    entry_id = Entry.objects.filter(event__slug=EVENT).order_by("order").first().pk  # type: ignore[union-attr]
    tried = 0
    failures: list[str] = []
    for method, path in rest_writes():
        url = _detail(path)
        if method == "DELETE":
            cases = [Case("stale If-Match", b"", None, {"HTTP_IF_MATCH": '"stale"'})]
        elif path.endswith("/ingest/"):
            cases = [
                Case("invalid UTF-8", b"19:10 GMT\n\n\xff\xfe", None),
                Case("NUL", b"19:10 GMT\n\nA\x00B", None),
                Case("empty", b"   ", None),
            ]
        elif path.endswith(("/supersede/", "/same_as/")):
            cases = list(rest_cases(method, path, _settle_body(path)))
        else:
            cases = list(rest_cases(method, path, _valid(path.split("/")[3], entry_id)))
        for case in cases:
            tried += 1
            before = snapshot()
            content_type = "text/plain" if path.endswith("/ingest/") else "application/json"
            response = editor_api.generic(
                method,
                url,
                case.body,  # type: ignore[arg-type]  # bytes are sent as they are
                content_type=content_type,
                **case.headers,  # type: ignore[arg-type]  # extra headers, as Django's client takes
            )
            label = f"{method} {path} [{case.name}]"
            if not 400 <= response.status_code < 500:
                failures.append(f"{label}: {response.status_code} {response.content[:300]!r}")
            elif response["Content-Type"] != "application/problem+json":
                failures.append(f"{label}: {response['Content-Type']}")
            elif case.names and not _names_field(response.json(), case.names):
                failures.append(f"{label}: does not name {case.names}: {response.json()}")
            if snapshot() != before:
                failures.append(f"{label}: the database changed")
    record_property("rest_cases", tried)
    print(f"\nREST hostile cases tried: {tried}")
    assert not failures, "\n".join(failures)
    assert tried > 200


# GraphQL: every mutation of the schema, its input built from the schema's own types.
VALID_INPUTS: dict[str, dict[str, Any]] = {
    "EventInput": {"slug": "hostile-e", "title": "T", "startsAt": START, "status": "LIVE"},
    "SourceInput": {"slug": "hostile-s", "name": "N", "kind": "NEWSPAPER"},
    "ActorInput": {"slug": "hostile-a", "name": "N", "kind": "PERSON"},
    "TopicInput": {"slug": "hostile-t", "title": "T"},
    "EntryInput": {"event": EVENT, "publishedAt": START, "order": 999, "body": "B"},
    "StanceInput": {
        "actor": "finland",
        "topic": "troops-to-ukraine",
        "source": "reuters",
        "position": "SUPPORT",
        "kind": "STATEMENT",
        "summary": "S",
        "validFrom": START,
    },
}
GRAPHQL_RANGES = {"EventInput": ("startsAt", "endsAt"), "StanceInput": ("validFrom", "validUntil")}
# Text fields whose model column is bounded (a 1 MB value must be refused, naming the field).
BOUNDED = {"slug", "title", "name", "headline", "credit", "location", "country", "language"}


def _named(kind: Any) -> Any:
    while isinstance(kind, GraphQLNonNull | GraphQLList):
        kind = kind.of_type
    return kind


def _node_ids() -> dict[str, str]:
    from actors.models import Actor, Stance, Topic
    from events.models import Entry, Event, Source

    def gid(model: Any, pk: Any) -> str:
        return str(relay.GlobalID(model.__name__, str(pk)))

    return {
        "Entry": gid(Entry, Entry.objects.filter(event__slug=EVENT).order_by("order")[0].pk),
        "Event": gid(Event, Event.objects.get(slug=EVENT).pk),
        "Source": gid(Source, Source.objects.get(slug="reuters").pk),
        "Actor": gid(Actor, Actor.objects.get(slug="finland").pk),
        "Topic": gid(Topic, Topic.objects.get(slug="troops-to-ukraine").pk),
        "Stance": gid(Stance, Stance.objects.order_by("pk")[0].pk),
    }


def graphql_cases(mutation: str, ids: dict[str, str]) -> Iterator[tuple[str, dict[str, Any], str]]:
    """(case, variables, the name the refusal must mention) for one mutation."""
    field_ = schema._schema.mutation_type.fields[mutation]  # type: ignore[union-attr]
    model = next(name for name in ids if name.lower() in mutation.lower())
    if "data" not in field_.args:
        # Other ids a mutation requires (the stance a conflict is settled against), valid in
        # turn while each is made hostile.
        others = [
            name
            for name, arg in field_.args.items()
            if name != "id" and isinstance(arg.type, GraphQLNonNull)
        ]
        valid = dict.fromkeys(others, ids[model])
        for name in ["id", *others]:
            base = {"id": ids[model], **valid}
            wrong = ids["Topic" if model != "Topic" else "Actor"]
            yield f"{name}: wrong id type", {**base, name: wrong}, name
            yield f"{name}: malformed id", {**base, name: "bm90LWFuLWlk"}, name
            yield f"{name}: empty id", {**base, name: ""}, name
            yield f"{name}: unknown type id", {**base, name: str(relay.GlobalID("Nope", "1"))}, name
            missing = str(relay.GlobalID(model, "987654321"))
            yield f"{name}: missing row", {**base, name: missing}, name
        yield "stale ifMatch", {"id": ids[model], **valid, "ifMatch": "stale"}, "ifMatch"
        return
    kind = _named(field_.args["data"].type)
    assert isinstance(kind, GraphQLInputObjectType)
    base = VALID_INPUTS.get(kind.name.replace("Partial", "").replace("Update", ""), {})
    if "id" in kind.fields:
        base = {"id": ids[model]}
    yield "unknown field", {"data": {**base, "sumary": "x"}}, "sumary"
    if "id" in kind.fields:
        edit = {**base, "headline": "x"} if model == "Entry" else base
        yield "stale ifMatch", {"data": edit, "ifMatch": "stale"}, "ifMatch"
        other = ids["Topic" if model != "Topic" else "Actor"]
        yield "malformed id", {"data": {**base, "id": "bm90LWFuLWlk"}}, "id"
        yield "wrong id type", {"data": {**base, "id": other}}, "id"
        yield "missing row", {"data": {**base, "id": str(relay.GlobalID(model, "987654321"))}}, "id"
    for name, input_field in kind.fields.items():
        if name == "id":
            continue
        named = _named(input_field.type)
        yield f"{name}: wrong type", {"data": {**base, name: {"an": "object"}}}, name
        if isinstance(named, GraphQLEnumType):
            yield f"{name}: unknown enum", {"data": {**base, name: "SURELY_NOT"}}, name
        if isinstance(named, GraphQLScalarType) and named.name == "DateTime":
            yield f"{name}: naive", {"data": {**base, name: "2025-09-04T13:30:00"}}, name
            yield f"{name}: impossible", {"data": {**base, name: "2025-02-30T10:00:00Z"}}, name
        if isinstance(named, GraphQLScalarType) and named.name == "String" and name in BOUNDED:
            yield f"{name}: 1 MB", {"data": {**base, name: MEGABYTE}}, name
    if (input_name := kind.name.replace("Partial", "").replace("Update", "")) in GRAPHQL_RANGES:
        start, end = GRAPHQL_RANGES[input_name]
        reversed_ = {**base, start: "2025-09-05T00:00:00Z", end: "2025-09-04T00:00:00Z"}
        yield "reversed range", {"data": reversed_}, end


def _document_for(mutation: str) -> str:
    field_ = schema._schema.mutation_type.fields[mutation]  # type: ignore[union-attr]
    params = ", ".join(f"${name}: {arg.type}" for name, arg in field_.args.items())
    args = ", ".join(f"{name}: ${name}" for name in field_.args)
    return (
        f"mutation({params}) {{ {mutation}({args}) {{ __typename "
        "... on OperationInfo { messages { kind field message code } } } }"
    )


def _names_input(message: str, name: str) -> bool:
    """A request error names the input as graphql-core does when a variable does not coerce:
    its path (`Variable '$data' has invalid value at .title: …`), the unknown field it holds
    (`… not to include unknown field 'sumary'`), or the variable itself (`Variable '$id'`)."""
    quoted = re.escape(name)
    return bool(
        re.search(rf"at \.(\S*\.)?{quoted}\b", message)
        or f"unknown field '{name}'" in message
        or f"Variable '${name}'" in message
    )


def _refusal(body: dict[str, Any], mutation: str, name: str) -> str | None:
    """Why `body` is not a typed refusal naming `name`, or None if it is one."""
    if body.get("errors"):
        text = json.dumps(body["errors"])
        if "Unexpected error" in text:
            return f"masked: {text[:300]}"
        if any(_names_input(error.get("message", ""), name) for error in body["errors"]):
            return None
        return f"errors[] do not name the input {name}: {text[:300]}"
    payload = (body.get("data") or {}).get(mutation) or {}
    if payload.get("__typename") != "OperationInfo":
        return f"not refused: {payload}"
    fields = [m.get("field") or "" for m in payload["messages"]]
    if not any(f == name or f.endswith(f".{name}") for f in fields):
        return f"OperationInfo does not name {name}: {payload['messages']}"
    return None


def test_every_graphql_mutation_refuses_hostile_input_and_changes_nothing(
    editor_api: APIClient, record_property: Any
) -> None:
    ids = _node_ids()
    mutations = sorted(schema._schema.mutation_type.fields)  # type: ignore[union-attr]
    tried = 0
    failures: list[str] = []
    for mutation in mutations:
        document = _document_for(mutation)
        for case, variables, name in graphql_cases(mutation, ids):
            tried += 1
            before = snapshot()
            body = json.dumps({"query": document, "variables": variables})
            response = editor_api.post("/graphql/", body, content_type="application/json")
            label = f"{mutation} [{case}]"
            if response.status_code >= 500:
                failures.append(f"{label}: {response.status_code}")
            elif response.status_code == 200 and (why := _refusal(response.json(), mutation, name)):
                failures.append(f"{label}: {why}")
            if snapshot() != before:
                failures.append(f"{label}: the database changed")
        for raw, case in (
            (b'{"query": "mutation { x }", "query": "y"}', "duplicate keys"),
            (b'{"query": "\xff"}', "invalid UTF-8"),
        ):
            tried += 1
            response = editor_api.post("/graphql/", raw, content_type="application/json")
            if response.status_code != 400:
                failures.append(f"{mutation} [{case}]: {response.status_code}")
    record_property("graphql_cases", tried)
    print(f"\nGraphQL hostile cases tried: {tried}")
    assert not failures, "\n".join(failures)
    assert tried > 150


SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'
SQL = "'; DROP TABLE actors_topic; -- OR 1=1"


def test_html_and_sql_looking_text_is_stored_verbatim_and_escaped_on_every_html_page(
    editor_api: APIClient, editor: Any
) -> None:
    from django.test import Client
    from django.urls import reverse

    from actors.models import Topic
    from events.models import Source

    created = editor_api.post(
        "/api/v1/topics/", {"slug": "hostile", "title": SCRIPT, "description": SQL}, format="json"
    )
    assert created.status_code == 201
    topic = Topic.objects.get(slug="hostile")
    assert (topic.title, topic.description) == (SCRIPT, SQL)
    assert editor_api.get("/api/v1/topics/hostile/").json()["title"] == SCRIPT

    mutation = "mutation($data: SourceInput!) { createSource(data: $data) { __typename } }"
    data = {"slug": "h", "name": SCRIPT, "kind": "MEDIA"}
    body = json.dumps({"query": mutation, "variables": {"data": data}})
    answer = editor_api.post("/graphql/", body, content_type="application/json")
    assert answer.json()["data"]["createSource"]["__typename"] == "Source"
    assert Source.objects.get(slug="h").name == SCRIPT

    browser = Client()
    browser.force_login(editor)
    pages = [
        reverse("admin:actors_topic_change", args=[topic.pk]),
        reverse("admin:actors_topic_changelist"),
        reverse("admin:events_source_changelist"),
        "/api/v1/topics/hostile/",
    ]
    for url in pages:
        response = browser.get(url, HTTP_ACCEPT="text/html")
        assert response.status_code == 200, url
        page = response.content.decode()
        assert "<script>alert" not in page, url
        assert "<img src=x" not in page, url
        assert "&lt;script&gt;alert(" in page, url
