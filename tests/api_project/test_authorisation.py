"""The authorisation matrix, enumerated from the API itself so a new operation cannot be missed:

- every REST write (from the OpenAPI document) and every GraphQL mutation (from the schema):
  anonymous → 401 with `WWW-Authenticate: Token` (GraphQL: `OperationInfo` code
  `unauthenticated` and the same header), signed in without the permission → 403 (GraphQL:
  code `permission_denied`), an editor → success; a refusal writes nothing, audit trail
  included;
- every REST operation and /graphql/ with an expired, a revoked or a malformed token → 401;
- an unverified stance and its history through every read: each REST read (from the document)
  in each media type it documents, and each GraphQL field that returns stances (from the
  schema), `node(id)` and search included, on both executors and through the response cache:
  anonymous readers and readers without the permission never see it, editors do.
"""

import json
from base64 import b64encode
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from string import Template
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from graphql import GraphQLList, GraphQLNonNull, GraphQLObjectType
from pghistory.models import MiddlewareEvents
from rest_framework.test import APIClient

from actors.models import Mention, Stance
from api_project.schema import schema
from core import tokens
from core.models import AccessToken
from events.models import Citation, DataVersion
from tests.api_project.test_graphql_mutations import CASES, PAYLOAD
from tests.api_project.test_rest_writes import EXISTING, NEW
from tests.factories import ActorFactory, EntryFactory, EventFactory, StanceFactory, TopicFactory

pytestmark = pytest.mark.django_db
WRITE_METHODS = {"post", "put", "patch", "delete"}
SEED_PAGE = (
    settings.BASE_DIR / "fixtures" / "pages" / "coalition-of-the-willing-summit-2025-09-04.txt"
)


@cache
def _document() -> dict[str, Any]:
    """The OpenAPI document as /api/schema/ serves it, generated from the routers."""
    document: dict[str, Any] = SchemaGenerator().get_schema(request=None, public=True)
    return document


def _operations(methods: set[str]) -> set[tuple[str, str]]:
    return {
        (method.upper(), path)
        for path, item in _document()["paths"].items()
        for method in item
        if method in methods
    }


def _record_state() -> tuple[Any, ...]:
    """Everything a write could leave behind: each record table's rows, the audit trail and
    the data version."""
    counts = tuple(
        model._default_manager.count()
        for label in ("events", "actors")
        for model in apps.get_app_config(label).get_models()
    )
    return counts, MiddlewareEvents.objects.count(), DataVersion.current().version


@dataclass(frozen=True)
class Call:
    method: str
    url: str
    body: bytes | str | None = None
    content_type: str = "application/json"

    def send(self, client: APIClient, **headers: str) -> Any:
        send = getattr(client, self.method.lower())
        if self.body is None:
            return send(self.url, **headers)
        return send(self.url, self.body, content_type=self.content_type, **headers)


def _create(resource: str) -> Callable[[], Call]:
    return lambda: Call("POST", f"/api/v1/{resource}/", json.dumps(NEW[f"/api/v1/{resource}/"]))


def _replace(resource: str) -> Callable[[], Call]:
    def build() -> Call:
        url, payload = EXISTING[resource]()
        return Call("PUT", url, json.dumps(payload))

    return build


def _patch(resource: str) -> Callable[[], Call]:
    return lambda: Call("PATCH", EXISTING[resource]()[0], "{}")


def _delete(resource: str) -> Callable[[], Call]:
    return lambda: Call("DELETE", EXISTING[resource]()[0])


DETAIL = {"events": "slug", "sources": "slug", "actors": "slug", "topics": "slug"}
WRITES: dict[tuple[str, str], tuple[Callable[[], Call], int]] = {
    ("POST", "/api/v1/events/ingest/"): (
        lambda: Call("POST", "/api/v1/events/ingest/", SEED_PAGE.read_bytes(), "text/plain"),
        201,
    )
}
for _resource in EXISTING:
    _detail = f"/api/v1/{_resource}/{{{DETAIL.get(_resource, 'id')}}}/"
    WRITES[("POST", f"/api/v1/{_resource}/")] = (_create(_resource), 201)
    WRITES[("PUT", _detail)] = (_replace(_resource), 200)
    WRITES[("PATCH", _detail)] = (_patch(_resource), 200)
    WRITES[("DELETE", _detail)] = (_delete(_resource), 204)


def _settle(action: str, field: str) -> Callable[[], Call]:
    """A proposed stance settled against the earlier verified one it overlaps."""

    def build() -> Call:
        earlier = StanceFactory.create(status="verified")
        later = StanceFactory.create(
            actor=earlier.actor,
            topic=earlier.topic,
            status="proposed",
            valid_from=earlier.valid_from + timedelta(days=1),
        )
        url = f"/api/v1/stances/{later.pk}/{action}/"
        return Call("POST", url, json.dumps({field: earlier.pk}))

    return build


WRITES[("POST", "/api/v1/stances/{id}/supersede/")] = (_settle("supersede", "supersedes"), 200)
WRITES[("POST", "/api/v1/stances/{id}/same_as/")] = (_settle("same_as", "same_as"), 200)


def test_the_matrix_has_every_rest_write() -> None:
    assert set(WRITES) == _operations(WRITE_METHODS)


def _session(user: User) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def reader() -> User:
    return User.objects.create_user("session-reader", password="unused-password-1")


@pytest.mark.parametrize("operation", sorted(WRITES), ids="{0[0]} {0[1]}".format)
def test_every_rest_write(
    operation: tuple[str, str],
    api: APIClient,
    reader_api: APIClient,
    reader: User,
    editor_api: APIClient,
) -> None:
    build, success = WRITES[operation]
    refusals = {"anonymous": (api, 401), "reader": (reader_api, 403)}
    refusals["reader's session"] = (_session(reader), 403)
    for who, (client, status) in refusals.items():
        call = build()
        before = _record_state()
        response = call.send(client)
        assert response.status_code == status, (who, response.content[:300])
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == status
        if status == 401:
            assert response["WWW-Authenticate"] == "Token"
            assert "credentials were not provided" in response.json()["detail"]
        else:
            assert "WWW-Authenticate" not in response
        assert _record_state() == before, f"{who}'s refused {operation} wrote something"
    response = build().send(editor_api)
    assert response.status_code == success, response.content[:300]


def test_a_session_write_without_the_csrf_token_is_refused(editor: User) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(editor)
    before = _record_state()
    response = client.post("/api/v1/topics/", {"slug": "x", "title": "X"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    graphql = client.post(
        "/graphql/",
        json.dumps({"query": 'mutation { deleteTopic(id: "VG9waWM6MQ==") { __typename } }'}),
        content_type="application/json",
    )
    assert graphql.status_code == 403
    assert _record_state() == before


# GraphQL mutations


def _mutation_names() -> set[str]:
    mutation = schema._schema.mutation_type
    assert mutation is not None
    return set(mutation.fields)


def test_the_matrix_has_every_mutation() -> None:
    assert {case[0] for case in CASES} == _mutation_names()


def _mutate(
    client: APIClient, name: str, arguments: str, signature: str, variables: dict[str, Any]
) -> tuple[Any, dict[str, Any]]:
    document = f"mutation{signature} {{ {name}({arguments}) {{ {PAYLOAD} }} }}"
    response = client.post(
        "/graphql/",
        json.dumps({"query": document, "variables": variables}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"][name]
    return response, result


@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_every_mutation(
    case: tuple[str, str, str, Any],
    api: APIClient,
    reader_api: APIClient,
    reader: User,
    editor_api: APIClient,
) -> None:
    refusals = {
        "anonymous": (api, "unauthenticated"),
        "reader": (reader_api, "permission_denied"),
        "reader's session": (_session(reader), "permission_denied"),
    }
    for who, (client, code) in refusals.items():
        variables = case[3]()
        before = _record_state()
        response, result = _mutate(client, case[0], case[1], case[2], variables)
        assert result["__typename"] == "OperationInfo", (who, result)
        [message] = result["messages"]
        assert (message["kind"], message["code"]) == ("PERMISSION", code), who
        if code == "unauthenticated":
            assert response["WWW-Authenticate"] == "Token"
            assert "Authorization: Token" in message["message"]
        else:
            assert "WWW-Authenticate" not in response
        assert _record_state() == before, f"{who}'s refused {case[0]} wrote something"
    _, result = _mutate(editor_api, case[0], case[1], case[2], case[3]())
    assert result["__typename"] != "OperationInfo", result


# Expired, revoked and malformed tokens: 401 on every operation


def _dead_credentials(user: User) -> dict[str, str]:
    expired = tokens.issue(user, name="expired")
    AccessToken.objects.filter(pk=expired.token.pk).update(expires_at=timezone.now())
    revoked = tokens.issue(user, name="revoked")
    tokens.revoke(AccessToken.objects.filter(pk=revoked.token.pk))
    return {
        "expired": f"Token {expired.secret}",
        "revoked": f"Token {revoked.secret}",
        "malformed": "Token two parts",
    }


DETAILS = {
    "expired": "Token expired.",
    "revoked": "Token revoked.",
    "malformed": "Invalid token header. Token string should not contain spaces.",
}


def _any_call(operation: tuple[str, str]) -> Call:
    """A request for the operation: a write's own, or a read of the hidden world's rows."""
    if operation in WRITES:
        return WRITES[operation][0]()
    return Call("GET", READS[operation[1]].url.format(**vars(_world())))


def test_every_operation_refuses_a_dead_token(editor: User) -> None:
    headers = _dead_credentials(editor)
    operations = sorted(_operations(WRITE_METHODS | {"get"}))
    assert len(operations) >= 60
    for operation in operations:
        for kind, header in headers.items():
            call = _any_call(operation)
            before = _record_state() if operation in WRITES else None
            response = call.send(APIClient(), HTTP_AUTHORIZATION=header)
            assert response.status_code == 401, (operation, kind, response.content[:300])
            assert response["WWW-Authenticate"] == "Token"
            assert response["Content-Type"] == "application/problem+json"
            assert response.json()["detail"] == DETAILS[kind]
            if before is not None:
                assert _record_state() == before


@pytest.mark.parametrize("path", ["/api/v1/", "/api/schema/", "/api/docs/"])
def test_the_api_root_schema_and_docs_refuse_a_dead_token(editor: User, path: str) -> None:
    for kind, header in _dead_credentials(editor).items():
        response = APIClient().get(path, HTTP_AUTHORIZATION=header)
        assert response.status_code == 401, (path, kind)
        assert response["WWW-Authenticate"] == "Token"


def test_graphql_refuses_a_dead_token_for_every_kind_of_request(editor: User) -> None:
    mutation = 'mutation { deleteTopic(id: "VG9waWM6MQ==") { __typename } }'
    requests = [
        ("get", {"query": "{ __typename }"}, None),
        ("post", None, {"query": "{ topics { totalCount } }"}),
        ("post", None, {"query": mutation}),
        ("post", None, [{"query": "{ __typename }"}, {"query": mutation}]),
    ]
    for kind, header in _dead_credentials(editor).items():
        for method, params, body in requests:
            client = APIClient()
            if method == "get":
                response = client.get("/graphql/", params, HTTP_AUTHORIZATION=header)
            else:
                response = client.post(
                    "/graphql/",
                    json.dumps(body),
                    content_type="application/json",
                    HTTP_AUTHORIZATION=header,
                )
            assert response.status_code == 401, (kind, method, body)
            assert response["WWW-Authenticate"] == "Token"
            assert response.json() == {
                "errors": [{"message": DETAILS[kind], "extensions": {"code": "UNAUTHENTICATED"}}]
            }


# Hidden rows: an unverified stance and its history


MARK = "Zqxhiddenstance"  # the stance's text, in every representation of it
EVIDENCE = "Zqxevidencebody"  # its evidence entry's text, public in its own right


@dataclass(frozen=True)
class World:
    actor: str
    topic: str
    stance: int
    stance_gid: str
    entry: int
    event: str
    change: str
    citation: int
    mention: int
    source: str


HIDDEN_ACTOR = "hiddenland"


def _world() -> World:
    """The hidden stance, made once per test: an actor, a topic and an evidence entry of its
    own (so filters by them can only find it), proposed, then revised while still proposed."""
    existing = Stance.objects.filter(actor__slug=HIDDEN_ACTOR).first()
    if existing is None:
        event = EventFactory.create(slug="hidden-world-event")
        entry = EntryFactory.create(
            event=event,
            published_at=datetime(2030, 1, 1, 12, 0, tzinfo=UTC),
            body=f"Hiddenland spoke. {EVIDENCE}",
        )
        existing = StanceFactory.create(
            actor=ActorFactory.create(slug=HIDDEN_ACTOR, name="Hiddenland"),
            topic=TopicFactory.create(slug="hidden-topic", title="Hidden topic"),
            evidence=entry,
            status="proposed",
            summary=MARK,
            quote=MARK,
            valid_from=datetime(2025, 9, 4, 16, 0, tzinfo=UTC),
        )
        existing.summary = f"{MARK}, revised"
        existing.save()
    change = MiddlewareEvents.objects.filter(
        pgh_obj_model="actors.Stance", pgh_obj_id=str(existing.pk)
    ).first()
    assert change is not None
    citation = Citation.objects.first()
    assert citation is not None
    mention = Mention.objects.first()
    assert mention is not None
    return World(
        actor=existing.actor.slug,
        topic=existing.topic.slug,
        stance=existing.pk,
        stance_gid=b64encode(f"Stance:{existing.pk}".encode()).decode(),
        entry=existing.evidence_id or 0,
        event=existing.evidence.event.slug if existing.evidence else "",
        change=change.pgh_slug,
        citation=citation.pk,
        mention=mention.pk,
        source=existing.source.slug if existing.source else "",
    )


@dataclass(frozen=True)
class Read:
    url: str
    # What an editor sees there and nobody else may: MARK (the stance itself), EVIDENCE (its
    # evidence entry, found through the hidden stance), or None (a read without stances).
    secret: str | None = None


CHANGES = "?model=actors.Stance&object_id={stance}"
READS: dict[str, Read] = {
    "/api/v1/actors/": Read("/api/v1/actors/?q=Hiddenland"),
    "/api/v1/actors/{slug}/": Read("/api/v1/actors/{actor}/"),
    "/api/v1/actors/{slug}/timeline/": Read("/api/v1/actors/{actor}/timeline/", MARK),
    "/api/v1/actors/export.csv/": Read("/api/v1/actors/export.csv/?q=Hiddenland"),
    "/api/v1/actors/export.ndjson/": Read("/api/v1/actors/export.ndjson/?q=Hiddenland"),
    "/api/v1/changes/": Read("/api/v1/changes/" + CHANGES, MARK),
    "/api/v1/changes/{id}/": Read("/api/v1/changes/{change}/", MARK),
    "/api/v1/changes/export.csv/": Read("/api/v1/changes/export.csv/" + CHANGES, MARK),
    "/api/v1/changes/export.ndjson/": Read("/api/v1/changes/export.ndjson/" + CHANGES, MARK),
    "/api/v1/citations/": Read("/api/v1/citations/"),
    "/api/v1/citations/{id}/": Read("/api/v1/citations/{citation}/"),
    "/api/v1/citations/export.csv/": Read("/api/v1/citations/export.csv/"),
    "/api/v1/citations/export.ndjson/": Read("/api/v1/citations/export.ndjson/"),
    "/api/v1/entries/": Read("/api/v1/entries/?topic={topic}", EVIDENCE),
    "/api/v1/entries/{id}/": Read("/api/v1/entries/{entry}/"),
    "/api/v1/entries/export.csv/": Read("/api/v1/entries/export.csv/?topic={topic}", EVIDENCE),
    "/api/v1/entries/export.ndjson/": Read(
        "/api/v1/entries/export.ndjson/?topic={topic}", EVIDENCE
    ),
    "/api/v1/events/": Read("/api/v1/events/"),
    "/api/v1/events/{slug}/": Read("/api/v1/events/{event}/"),
    "/api/v1/events/export.csv/": Read("/api/v1/events/export.csv/"),
    "/api/v1/events/export.ndjson/": Read("/api/v1/events/export.ndjson/"),
    "/api/v1/mentions/": Read("/api/v1/mentions/?actor={actor}"),
    "/api/v1/mentions/{id}/": Read("/api/v1/mentions/{mention}/"),
    "/api/v1/mentions/export.csv/": Read("/api/v1/mentions/export.csv/"),
    "/api/v1/mentions/export.ndjson/": Read("/api/v1/mentions/export.ndjson/"),
    "/api/v1/sources/": Read("/api/v1/sources/"),
    "/api/v1/sources/{slug}/": Read("/api/v1/sources/{source}/"),
    "/api/v1/sources/export.csv/": Read("/api/v1/sources/export.csv/"),
    "/api/v1/sources/export.ndjson/": Read("/api/v1/sources/export.ndjson/"),
    "/api/v1/stances/": Read("/api/v1/stances/?actor={actor}", MARK),
    "/api/v1/stances/{id}/": Read("/api/v1/stances/{stance}/", MARK),
    "/api/v1/stances/export.csv/": Read("/api/v1/stances/export.csv/?actor={actor}", MARK),
    "/api/v1/stances/export.ndjson/": Read("/api/v1/stances/export.ndjson/?actor={actor}", MARK),
    "/api/v1/topics/": Read("/api/v1/topics/"),
    "/api/v1/topics/{slug}/": Read("/api/v1/topics/{topic}/"),
    "/api/v1/topics/{slug}/matrix/": Read("/api/v1/topics/{topic}/matrix/", MARK),
    "/api/v1/topics/export.csv/": Read("/api/v1/topics/export.csv/"),
    "/api/v1/topics/export.ndjson/": Read("/api/v1/topics/export.ndjson/"),
}


def test_the_matrix_has_every_rest_read() -> None:
    assert {("GET", path) for path in READS} == _operations({"get"})


def _body(response: Any) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    content: bytes = response.content
    return content


def _media_types(path: str) -> list[str]:
    """The media types the document gives the read's 200 (JSON, CSV, NDJSON, JSON-LD)."""
    return sorted(_document()["paths"][path]["get"]["responses"]["200"]["content"])


@pytest.mark.parametrize("path", sorted(READS))
def test_every_rest_read_hides_unverified_stances(
    path: str, api: APIClient, reader_api: APIClient, editor_api: APIClient
) -> None:
    read = READS[path]
    url = read.url.format(**vars(_world()))
    for media_type in _media_types(path):
        # The editor first: an answer cached for them must never reach the others.
        shown = editor_api.get(url, HTTP_ACCEPT=media_type)
        assert shown.status_code == 200, (media_type, shown.content[:300])
        body = _body(shown)
        if read.secret is not None:
            assert read.secret.encode() in body, (media_type, "the editor should see it")
        else:
            assert MARK.encode() not in body, f"{path} shows stances: give it a secret"
        for who, client in (("anonymous", api), ("reader", reader_api)):
            hidden = client.get(url, HTTP_ACCEPT=media_type)
            assert hidden.status_code in (200, 404), (who, media_type, hidden.content[:300])
            body = _body(hidden)
            assert MARK.encode() not in body, (who, media_type)
            if read.secret is not None:
                assert read.secret.encode() not in body, (who, media_type)


# GraphQL: every field that returns stances


@dataclass(frozen=True)
class Document:
    text: str
    reaches: frozenset[tuple[str, str]]
    secret: str = MARK


DOCUMENTS = [
    Document(
        '{ node(id: "$stance_gid") { id ... on Stance { summary quote } } }',
        frozenset({("Query", "node")}),
    ),
    Document(
        '{ stances(filters: {actor: "$actor"}) { totalCount edges { node { summary } } } }',
        frozenset({("Query", "stances")}),
    ),
    Document(
        '{ actor(slug: "$actor") { stances { totalCount edges { node { summary } } } } }',
        frozenset({("Actor", "stances")}),
    ),
    Document(
        '{ stanceMatrix(topic: "$topic") { positions { stances { summary } } '
        "topic { stances { totalCount edges { node { summary } } } } } }",
        frozenset({("PositionGroup", "stances"), ("Topic", "stances")}),
    ),
    Document(
        # Root connection and relations only: the compiled executor's kind of document.
        "{ entries(first: 3, ordering: [{publishedAt: DESC}]) "
        "{ edges { node { id stances { summary } } } } }",
        frozenset({("Entry", "stances")}),
    ),
    Document(
        '{ event(slug: "$event") { entries { edges { node { stances { id summary } } } } } }',
        frozenset({("Entry", "stances")}),
    ),
    Document(
        '{ search(q: "Hiddenland") { actors { stances { edges { node { summary } } } } '
        "entries { stances { summary } } entryHits { entry { stances { summary } } } } }",
        frozenset({("Actor", "stances"), ("Entry", "stances")}),
    ),
    Document(
        # A stance's relations to other stances: the one it is the same as, those marked the
        # same as it (both verified or corroborating by the model's rules) and the verified
        # ones it overlaps.
        '{ node(id: "$stance_gid") { ... on Stance { summary sameAs { summary } '
        "corroborations { summary } overlapping { summary } } } }",
        frozenset(
            {
                ("Query", "node"),
                ("Stance", "sameAs"),
                ("Stance", "corroborations"),
                ("Stance", "overlapping"),
            }
        ),
    ),
    Document(
        '{ entries(filters: {topic: "$topic"}) { totalCount edges { node { body } } } }',
        frozenset(),
        EVIDENCE,
    ),
]


def _named(type_: Any) -> Any:
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        type_ = type_.of_type
    return type_


def test_the_documents_reach_every_field_that_returns_stances() -> None:
    returning = {
        (name, field_name)
        for name, type_ in schema._schema.type_map.items()
        if isinstance(type_, GraphQLObjectType) and name != "Mutation" and not name.startswith("__")
        for field_name, field in type_.fields.items()
        if _named(field.type).name in {"Stance", "StanceConnection"}
        and name != "StanceEdge"  # reached through its connection
    }
    returning.add(("Query", "node"))
    assert returning == frozenset().union(*(document.reaches for document in DOCUMENTS))


def _ask(client: APIClient, query: str, *, fresh: bool) -> bytes:
    response = client.get(
        "/graphql/",
        {"query": query},
        HTTP_ACCEPT="application/json",
        HTTP_CACHE_CONTROL="no-cache" if fresh else "",
    )
    assert response.status_code == 200, response.content
    assert "errors" not in response.json(), response.json()
    content: bytes = response.content
    return content


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda document: document.text[:40])
def test_every_graphql_path_hides_unverified_stances(
    document: Document, api: APIClient, reader_api: APIClient, editor_api: APIClient
) -> None:
    query = Template(document.text).substitute(vars(_world()))
    viewers = {"anonymous": api, "reader": reader_api, "editor": editor_api}
    for who, client in viewers.items():
        # Each viewer's own text: its first run takes the standard executor, the second the
        # compiled one where the compiler covers the document.
        own = f"{query}\n# {who}"
        for _ in range(2):
            body = _ask(client, own, fresh=True)
            assert (document.secret.encode() in body) is (who == "editor"), (who, body[:300])
    # Through the response cache: the editor's answer, kept, never reaches the others.
    assert document.secret.encode() in _ask(editor_api, query, fresh=False)
    for who in ("anonymous", "reader"):
        body = _ask(viewers[who], query, fresh=False)
        assert document.secret.encode() not in body, who
        assert MARK.encode() not in body, who


def test_counts_leave_hidden_stances_out(api: APIClient, editor_api: APIClient) -> None:
    world = _world()
    query = Template(
        '{ stances(filters: {actor: "$actor"}) { totalCount } '
        'actor(slug: "$actor") { stances { totalCount } } '
        'entries(filters: {topic: "$topic"}) { totalCount } }'
    ).substitute(vars(world))
    counts = {
        who: json.loads(_ask(client, query, fresh=True))["data"]
        for who, client in (("anonymous", api), ("editor", editor_api))
    }
    assert counts["anonymous"] == {
        "stances": {"totalCount": 0},
        "actor": {"stances": {"totalCount": 0}},
        "entries": {"totalCount": 0},
    }
    assert counts["editor"] == {
        "stances": {"totalCount": 1},
        "actor": {"stances": {"totalCount": 1}},
        "entries": {"totalCount": 1},
    }
    rest = api.get(f"/api/v1/stances/?actor={world.actor}").json()
    assert rest["count"] == 0
    assert editor_api.get(f"/api/v1/stances/?actor={world.actor}").json()["count"] == 1
