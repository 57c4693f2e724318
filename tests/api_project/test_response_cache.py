"""The versioned response cache (api_project/cache.py): warm reads that are never stale.

Every cached path is shown to be cached (an identical second read is `X-Cache: hit`) and then
never stale: each kind of write (REST, GraphQL mutation, ORM save, bulk update, raw SQL) is
followed at once by a read that shows the new value. The rest pins down what the key must
carry (viewer role, variables, query text, representation, host, the clock where a read
defaults to "now") and what must never be kept or replayed (mutations, errors, throttled
requests).

Everything goes through the test client; the only thing reached into is the `responses` cache,
emptied before each test so that its first read is a miss.
"""

import base64
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import caches
from django.db import connection
from django.db.models import Field, Model
from django.http import HttpResponseBase
from django.test import Client, override_settings
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from actors.models import Actor, Stance, Topic
from events.models import Entry
from tests.factories import StanceFactory

pytestmark = pytest.mark.django_db

EVENT = "coalition-of-the-willing-summit-2025-09-04"
TOPIC = "troops-to-ukraine"
AS_OF = "2025-09-04T16:20:00Z"
GRAPHQL = "/graphql/"


# --- The client side: reading, and what a response says about the cache ----------------------


@pytest.fixture(autouse=True)
def _cold_response_cache() -> None:
    """Entries outlive a test: its writes roll back to the seed's data version, which the next
    test shares. Starting cold makes "the first read is a miss" something a test can assert."""
    caches["responses"].clear()


def x_cache(response: HttpResponseBase) -> str | None:
    return response.headers.get("X-Cache")


def body(response: HttpResponseBase) -> bytes:
    """The bytes sent, whether the response was rendered whole or streamed (exports)."""
    if response.streaming:
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return response.content  # type: ignore[attr-defined,no-any-return]


def gid(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def graphql_post(
    client: Client,
    query: str,
    variables: dict[str, Any] | None = None,
    operation_name: str | None = None,
) -> HttpResponseBase:
    payload: dict[str, Any] = {"query": query, "variables": variables or {}}
    if operation_name is not None:
        payload["operationName"] = operation_name
    return client.post(GRAPHQL, json.dumps(payload), content_type="application/json")


def graphql_get(
    client: Client, query: str, variables: dict[str, Any] | None = None
) -> HttpResponseBase:
    return client.get(GRAPHQL, {"query": query, "variables": json.dumps(variables or {})})


def graphql_data(response: HttpResponseBase) -> Any:
    """The `data` of an answer that must have succeeded without errors."""
    assert response.status_code == 200, body(response)
    decoded = json.loads(body(response))
    assert "errors" not in decoded, decoded["errors"]
    return decoded["data"]


def graphql_errors(response: HttpResponseBase) -> list[dict[str, Any]]:
    errors: list[dict[str, Any]] = json.loads(body(response)).get("errors") or []
    return errors


def by_id(rows: list[dict[str, Any]], pk: int) -> dict[str, Any]:
    return next(row for row in rows if row["id"] == pk)


# --- What gets written: one field of one seeded row, shown on many paths ----------------------


@dataclass(frozen=True)
class Target:
    """A field of a row that a cached representation shows; writes change it to new text."""

    model: type[Model]
    pk: int
    field: str


def entry_credit() -> Target:
    """The first entry of the seed's live blog: in the entries list, its detail, the event's
    detail, the GraphQL event page and entries connection, and the audit trail."""
    return Target(Entry, Entry.objects.get(event__slug=EVENT, order=1).pk, "credit")


def germany_stance_summary() -> Target:
    """Germany's 16:20 stance on troops for Ukraine: in the stances list, the topic's matrix,
    Germany's timeline and the GraphQL stance matrix."""
    stance = Stance.objects.get(actor__slug="germany", topic__slug=TOPIC, valid_from=AS_OF)
    return Target(Stance, stance.pk, "summary")


REST_DETAIL = {Entry: "/api/v1/entries/{pk}/", Stance: "/api/v1/stances/{pk}/"}
GRAPHQL_UPDATE = {Entry: "updateEntry", Stance: "updateStance"}


def write_over_rest(editor_api: APIClient, target: Target, value: str) -> None:
    url = REST_DETAIL[target.model].format(pk=target.pk)
    response = editor_api.patch(url, {target.field: value}, format="json")
    assert response.status_code == 200, response.json()


def write_over_graphql(editor_api: APIClient, target: Target, value: str) -> None:
    name = GRAPHQL_UPDATE[target.model]
    kind = target.model.__name__
    document = f"""mutation($data: {kind}UpdateInput!) {{ {name}(data: $data) {{
        __typename ... on OperationInfo {{ messages {{ message }} }} }} }}"""
    variables = {"data": {"id": gid(kind, target.pk), target.field: value}}
    result = graphql_data(graphql_post(editor_api, document, variables))[name]
    assert result["__typename"] == kind, result


def write_with_the_orm(editor_api: APIClient, target: Target, value: str) -> None:
    row = target.model._default_manager.get(pk=target.pk)
    setattr(row, target.field, value)
    row.save()


def write_in_bulk(editor_api: APIClient, target: Target, value: str) -> None:
    updated = target.model._default_manager.filter(pk=target.pk).update(**{target.field: value})
    assert updated == 1


def write_in_raw_sql(editor_api: APIClient, target: Target, value: str) -> None:
    table = connection.ops.quote_name(target.model._meta.db_table)
    field = target.model._meta.get_field(target.field)
    assert isinstance(field, Field)
    column = connection.ops.quote_name(field.column)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, target.pk])
        assert cursor.rowcount == 1


Write = Callable[[APIClient, Target, str], None]
WRITES: dict[str, Write] = {
    "rest": write_over_rest,
    "graphql-mutation": write_over_graphql,
    "orm": write_with_the_orm,
    "bulk-update": write_in_bulk,
    "raw-sql": write_in_raw_sql,
}


# --- The cached paths: how each is read, and what it shows of its target ----------------------

Read = Callable[[Client, Target], tuple[HttpResponseBase, Any]]


def read_entries_list(client: Client, target: Target) -> tuple[HttpResponseBase, Any]:
    """The JSON list takes the fast path (events/api/fast.py)."""
    response = client.get("/api/v1/entries/", {"event": EVENT, "limit": "100"})
    return response, by_id(response.json()["results"], target.pk)[target.field]


def read_entry_detail(client: Client, target: Target) -> tuple[HttpResponseBase, Any]:
    response = client.get(f"/api/v1/entries/{target.pk}/")
    return response, response.json()[target.field]


def read_event_detail(client: Client, target: Target) -> tuple[HttpResponseBase, Any]:
    response = client.get(f"/api/v1/events/{EVENT}/")
    return response, by_id(response.json()["entries"], target.pk)[target.field]


def read_stances_list(client: Client, target: Target) -> tuple[HttpResponseBase, Any]:
    response = client.get("/api/v1/stances/", {"topic": TOPIC, "limit": "500"})
    return response, by_id(response.json()["results"], target.pk)[target.field]


def read_topic_matrix(client: Client, target: Target) -> tuple[HttpResponseBase, Any]:
    response = client.get(f"/api/v1/topics/{TOPIC}/matrix/", {"as_of": AS_OF})
    stances = [row["stance"] for group in response.json()["positions"] for row in group["actors"]]
    return response, by_id(stances, target.pk)[target.field]


def read_actor_timeline(client: Client, target: Target) -> tuple[HttpResponseBase, Any]:
    response = client.get("/api/v1/actors/germany/timeline/")
    stances = [item["stance"] for item in response.json()["items"] if item["kind"] == "stance"]
    return response, by_id(stances, target.pk)[target.field]


def read_changes_list(client: Client, target: Target) -> tuple[HttpResponseBase, Any]:
    """The newest change of the row: its data after the change."""
    response = client.get(
        "/api/v1/changes/",
        {"model": target.model._meta.label, "object_id": str(target.pk)},
    )
    return response, response.json()["results"][0]["data"][target.field]


EVENT_PAGE = """query($slug: String!) { event(slug: $slug) { title
    entries(first: 20, ordering: [{order: ASC}]) { edges { node { id order credit } } } } }"""
ENTRIES = """query($event: String) {
    entries(first: 20, filters: {event: $event}, ordering: [{order: ASC}]) {
      edges { node { id order credit } } } }"""
STANCE_MATRIX = """query($topic: String!, $asOf: DateTime) {
    stanceMatrix(topic: $topic, asOf: $asOf) { asOf
      positions { position stances { id actor { slug } summary } } } }"""


def _node(edges: list[dict[str, Any]], target: Target) -> dict[str, Any]:
    wanted = gid(target.model.__name__, target.pk)
    return next(edge["node"] for edge in edges if edge["node"]["id"] == wanted)


def read_graphql_event_page(client: Client, target: Target) -> tuple[HttpResponseBase, Any]:
    response = graphql_post(client, EVENT_PAGE, {"slug": EVENT})
    edges = graphql_data(response)["event"]["entries"]["edges"]
    return response, _node(edges, target)[target.field]


def read_graphql_event_page_over_get(
    client: Client, target: Target
) -> tuple[HttpResponseBase, Any]:
    response = graphql_get(client, EVENT_PAGE, {"slug": EVENT})
    edges = graphql_data(response)["event"]["entries"]["edges"]
    return response, _node(edges, target)[target.field]


def read_graphql_entries(client: Client, target: Target) -> tuple[HttpResponseBase, Any]:
    response = graphql_get(client, ENTRIES, {"event": EVENT})
    edges = graphql_data(response)["entries"]["edges"]
    return response, _node(edges, target)[target.field]


def read_graphql_stance_matrix(client: Client, target: Target) -> tuple[HttpResponseBase, Any]:
    response = graphql_post(client, STANCE_MATRIX, {"topic": TOPIC, "asOf": AS_OF})
    positions = graphql_data(response)["stanceMatrix"]["positions"]
    stances = [stance for group in positions for stance in group["stances"]]
    wanted = gid("Stance", target.pk)
    return response, next(s for s in stances if s["id"] == wanted)[target.field]


@dataclass(frozen=True)
class CachedPath:
    target: Callable[[], Target]
    read: Read


PATHS: dict[str, CachedPath] = {
    "rest-entries-list": CachedPath(entry_credit, read_entries_list),
    "rest-entry-detail": CachedPath(entry_credit, read_entry_detail),
    "rest-event-detail": CachedPath(entry_credit, read_event_detail),
    "rest-stances-list": CachedPath(germany_stance_summary, read_stances_list),
    "rest-topic-matrix": CachedPath(germany_stance_summary, read_topic_matrix),
    "rest-actor-timeline": CachedPath(germany_stance_summary, read_actor_timeline),
    "rest-changes-list": CachedPath(entry_credit, read_changes_list),
    "graphql-event-page-post": CachedPath(entry_credit, read_graphql_event_page),
    "graphql-event-page-get": CachedPath(entry_credit, read_graphql_event_page_over_get),
    "graphql-entries-get": CachedPath(entry_credit, read_graphql_entries),
    "graphql-stance-matrix-post": CachedPath(germany_stance_summary, read_graphql_stance_matrix),
}


# --- 1. Cached, and never stale ----------------------------------------------------------------


@pytest.mark.parametrize("write_name", list(WRITES))
@pytest.mark.parametrize("path_name", list(PATHS))
def test_every_cached_path_serves_a_write_on_the_very_next_read(
    api: APIClient, editor_api: APIClient, path_name: str, write_name: str
) -> None:
    """The issue's "never stale": whichever way a write arrives (through either API, the ORM,
    a bulk update that sends no signals, or SQL that bypasses Django entirely), the database
    triggers bump the data version, so the very next read misses and shows the new value."""
    path = PATHS[path_name]
    target = path.target()
    value = f"Cache probe after a {write_name} write"

    first, before = path.read(api, target)
    assert x_cache(first) == "miss"
    warm, cached = path.read(api, target)
    assert x_cache(warm) == "hit"
    assert body(warm) == body(first)
    assert before == cached != value

    WRITES[write_name](editor_api, target, value)

    fresh, after = path.read(api, target)
    assert x_cache(fresh) != "hit"
    assert after == value
    rewarmed, again = path.read(api, target)
    assert x_cache(rewarmed) == "hit"
    assert again == value


# --- 2. Viewer roles -------------------------------------------------------------------------


def _propose_finnish_stance(editor_api: APIClient) -> int:
    payload = {
        "actor": "finland",
        "topic": TOPIC,
        "position": "conditional",
        "kind": "statement",
        "summary": "Finland would consider it after a ceasefire.",
        "evidence_event": EVENT,
        "source": "rt",
        "valid_from": "2025-09-04T20:00:00Z",
    }
    response = editor_api.post("/api/v1/stances/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "proposed"
    pk: int = response.json()["id"]
    return pk


def _finnish_stance_ids_over_rest(client: Client) -> tuple[HttpResponseBase, set[str]]:
    response = client.get("/api/v1/stances/", {"actor": "finland", "topic": TOPIC})
    return response, {gid("Stance", row["id"]) for row in response.json()["results"]}


FINNISH_STANCES = """query { actor(slug: "finland") {
    stances(first: 100) { edges { node { id status } } } } }"""


def _finnish_stance_ids_over_graphql(client: Client) -> tuple[HttpResponseBase, set[str]]:
    response = graphql_post(client, FINNISH_STANCES)
    edges = graphql_data(response)["actor"]["stances"]["edges"]
    return response, {edge["node"]["id"] for edge in edges}


@pytest.mark.parametrize(
    "surface",
    [_finnish_stance_ids_over_rest, _finnish_stance_ids_over_graphql],
    ids=["rest", "graphql"],
)
@pytest.mark.parametrize(
    "order",
    [("anonymous", "editor"), ("editor", "anonymous"), ("editor", "reader")],
    ids=["anonymous-first", "editor-first", "editor-then-reader-without-permission"],
)
def test_an_unverified_stance_never_crosses_from_an_editors_read_to_a_public_one(
    api: APIClient,
    editor_api: APIClient,
    reader_api: APIClient,
    surface: Callable[[Client], tuple[HttpResponseBase, set[str]]],
    order: tuple[str, str],
) -> None:
    """The role is in the key: the same request by a reader without the permission to view
    every stance must not be answered from an editor's entry, nor an editor's from theirs.
    Each reader reads twice, so both entries exist and are hit."""
    proposed = gid("Stance", _propose_finnish_stance(editor_api))
    clients = {"anonymous": api, "editor": editor_api, "reader": reader_api}
    for round_ in ("miss", "hit"):
        for role in order:
            response, ids = surface(clients[role])
            assert x_cache(response) == round_, (role, round_)
            assert (proposed in ids) == (role == "editor"), (role, round_)


# --- 3. What else is in the key: variables, query text, representation, host -----------------


@pytest.mark.parametrize("send", [graphql_post, graphql_get], ids=["post", "get"])
def test_the_same_graphql_document_with_other_variables_is_answered_afresh(
    api: APIClient, send: Callable[..., HttpResponseBase]
) -> None:
    """Variables travel in the POST body or the GET query string; both are in the key."""
    document = "query($slug: String!) { event(slug: $slug) { slug title } }"
    assert graphql_data(send(api, document, {"slug": EVENT}))["event"]["slug"] == EVENT
    warm = send(api, document, {"slug": EVENT})
    assert x_cache(warm) == "hit"
    other = send(api, document, {"slug": "no-such-event"})
    assert x_cache(other) != "hit"
    assert graphql_data(other) == {"event": None}


def test_the_operation_name_picks_a_different_answer_from_the_same_document(
    api: APIClient,
) -> None:
    """One document holding two queries: the operation name chosen is part of the key."""
    document = """query Events { events(first: 5) { totalCount } }
                  query Topics { topics(first: 5) { totalCount } }"""
    events = graphql_post(api, document, operation_name="Events")
    assert set(graphql_data(events)) == {"events"}
    assert x_cache(graphql_post(api, document, operation_name="Events")) == "hit"
    topics = graphql_post(api, document, operation_name="Topics")
    assert x_cache(topics) != "hit"
    assert set(graphql_data(topics)) == {"topics"}


def test_two_rest_query_strings_are_two_answers(api: APIClient) -> None:
    """The full path, query string included, is in the REST key."""
    url = "/api/v1/stances/"
    troops = {"topic": TOPIC, "as_of": AS_OF}
    sanctions = {"topic": "new-sanctions-on-russia", "as_of": "2025-09-04T15:30:00Z"}
    assert api.get(url, troops).json()["count"] == 14
    assert x_cache(api.get(url, troops)) == "hit"
    other = api.get(url, sanctions)
    assert x_cache(other) != "hit"
    assert other.json()["count"] == 1


@pytest.mark.parametrize(
    ("extra_params", "accept"),
    [({"format": "csv"}, "*/*"), ({}, "text/csv")],
    ids=["format-parameter", "accept-header"],
)
def test_csv_is_never_served_from_the_json_cache(
    api: APIClient, extra_params: dict[str, str], accept: str
) -> None:
    """Only the JSON representation is kept; an export of the same list, whether asked for by
    `?format=csv` or by `Accept` on the very same URL, is a CSV body."""
    url = "/api/v1/stances/"
    params = {"topic": TOPIC, "as_of": AS_OF}
    api.get(url, params)
    assert x_cache(api.get(url, params)) == "hit"
    csv = api.get(url, {**params, **extra_params}, headers={"Accept": accept})
    assert csv.status_code == 200
    assert csv["Content-Type"].startswith("text/csv")
    assert x_cache(csv) != "hit"
    lines = body(csv).decode().splitlines()
    assert lines[0].split(",")[:2] == ["id", "position"]
    assert len(lines) == 1 + 14


def test_json_after_csv_on_the_same_url_is_json(api: APIClient) -> None:
    """And the other way round: exports neither are stored nor stand in for JSON."""
    url = "/api/v1/stances/"
    params = {"topic": TOPIC, "as_of": AS_OF}
    assert api.get(url, params, HTTP_ACCEPT="text/csv")["Content-Type"].startswith("text/csv")
    assert api.get(url, params, HTTP_ACCEPT="text/csv")["Content-Type"].startswith("text/csv")
    json_answer = api.get(url, params, HTTP_ACCEPT="application/json")
    assert json_answer["Content-Type"].startswith("application/json")
    assert json_answer.json()["count"] == 14


def test_links_in_a_cached_page_name_the_host_that_was_asked(api: APIClient) -> None:
    """Pagination links are absolute: a page first asked for through one allowed host name must
    not hand its links to a client that came through another."""
    url = "/api/v1/stances/"
    first = api.get(url, {"limit": 1}, HTTP_HOST="localhost")
    assert first.json()["next"].startswith("http://localhost/")
    other = api.get(url, {"limit": 1}, HTTP_HOST="127.0.0.1")
    assert other.json()["next"].startswith("http://127.0.0.1/")


def test_a_head_request_does_not_leave_an_empty_body_for_get(api: APIClient) -> None:
    """HEAD shares GET's handler and key; what it stores is the whole rendered body (the
    server drops it from the HEAD answer only), so the GET that follows is a complete hit."""
    url = f"/api/v1/events/{EVENT}/"
    head = api.head(url)
    assert head.status_code == 200
    assert x_cache(head) == "miss"
    get = api.get(url)
    assert x_cache(get) == "hit"
    assert get.json()["slug"] == EVENT
    assert len(get.json()["entries"]) == 10


# --- The clock: reads whose default instant is "now" ------------------------------------------


def _rest_matrix_now(client: Client) -> tuple[HttpResponseBase, str, set[str]]:
    response = client.get(f"/api/v1/topics/{TOPIC}/matrix/")
    data = response.json()
    actors = {row["actor"]["slug"] for group in data["positions"] for row in group["actors"]}
    return response, data["as_of"], actors


def _graphql_matrix_now(client: Client) -> tuple[HttpResponseBase, str, set[str]]:
    response = graphql_post(client, STANCE_MATRIX, {"topic": TOPIC})
    matrix = graphql_data(response)["stanceMatrix"]
    actors = {s["actor"]["slug"] for group in matrix["positions"] for s in group["stances"]}
    return response, matrix["asOf"], actors


@pytest.mark.parametrize(
    "read_matrix_now", [_rest_matrix_now, _graphql_matrix_now], ids=["rest", "graphql"]
)
def test_a_matrix_as_of_now_includes_a_stance_that_has_come_into_force_since(
    api: APIClient, read_matrix_now: Callable[[Client], tuple[HttpResponseBase, str, set[str]]]
) -> None:
    """Without `as_of` the matrix is "now". A stance taking effect a moment from now is absent
    from the first read and must be present once that moment has passed, although nothing
    was written in between (so the data version is the same)."""
    starts = timezone.now() + timedelta(milliseconds=500)
    StanceFactory.create(
        actor=Actor.objects.get(slug="finland"),
        topic=Topic.objects.get(slug=TOPIC),
        position="support",
        valid_from=starts,
    )
    _, first_as_of, before = read_matrix_now(api)
    assert "finland" not in before
    time.sleep(max(0.0, (starts - timezone.now()).total_seconds()) + 0.1)
    later, later_as_of, after = read_matrix_now(api)
    assert "finland" in after, f"X-Cache: {x_cache(later)}, as of {later_as_of}"
    assert later_as_of != first_as_of


# --- 4. Mutations are executed every time ----------------------------------------------------

CREATE_TOPIC = """mutation Make { createTopic(data: {slug: "cache-probe", title: "Probe"}) {
    __typename ... on OperationInfo { messages { code } } } }"""


@pytest.mark.parametrize(
    ("document", "operation_name"),
    [
        (CREATE_TOPIC, None),
        ("query Peek { topics(first: 1) { totalCount } }\n" + CREATE_TOPIC, "Make"),
    ],
    ids=["mutation", "mutation-named-beside-a-query"],
)
def test_a_mutation_sent_twice_runs_twice(
    editor_api: APIClient, document: str, operation_name: str | None
) -> None:
    """The second identical mutation meets the topic the first one created: a conflict, not a
    replay of the first answer."""
    first = graphql_post(editor_api, document, operation_name=operation_name)
    assert graphql_data(first)["createTopic"]["__typename"] == "Topic"
    second = graphql_post(editor_api, document, operation_name=operation_name)
    assert x_cache(first) is None
    assert x_cache(second) is None
    result = graphql_data(second)["createTopic"]
    assert result["__typename"] == "OperationInfo"
    assert result["messages"][0]["code"] == "unique"
    assert Topic.objects.filter(slug="cache-probe").count() == 1


# --- 5. Errors are never kept ----------------------------------------------------------------

STANCE_MATRIX_AT = (
    'query($asOf: DateTime) { stanceMatrix(topic: "troops-to-ukraine", asOf: $asOf) { asOf } }'
)


@pytest.mark.parametrize(
    ("document", "variables"),
    [
        (STANCE_MATRIX_AT, {"asOf": "the day before yesterday"}),
        ("query($slug: String!) { event(slug: $slug) { title } }", {}),
        ('{ event(slug: "x") { noSuchField } }', {}),
        ("{ entries(first: 1000) { totalCount } }", {}),
        (f'{{ event(slug: "{EVENT}") {{ title }} node(id: "not-a-global-id") {{ id }} }}', {}),
    ],
    ids=["bad-variable", "missing-variable", "unknown-field", "refused-page", "partial-data"],
)
@pytest.mark.parametrize("send", [graphql_post, graphql_get], ids=["post", "get"])
def test_a_graphql_answer_with_errors_is_computed_again(
    api: APIClient,
    send: Callable[..., HttpResponseBase],
    document: str,
    variables: dict[str, Any],
) -> None:
    """An answer with errors (even beside partial data) is not stored: the same request again
    is computed again, and still has its errors."""
    for _ in range(2):
        response = send(api, document, variables)
        assert graphql_errors(response)
        assert x_cache(response) is None


def test_an_error_for_one_variable_value_is_not_the_answer_for_a_good_one(api: APIClient) -> None:
    """The same document, refused for a bad variable, answers once the variable is good."""
    bad = graphql_post(api, STANCE_MATRIX_AT, {"asOf": "the day before yesterday"})
    assert graphql_errors(bad)
    good = graphql_post(api, STANCE_MATRIX_AT, {"asOf": AS_OF})
    as_of = graphql_data(good)["stanceMatrix"]["asOf"]
    assert datetime.fromisoformat(as_of) == datetime.fromisoformat(AS_OF)


@pytest.mark.parametrize(
    ("url", "params", "status"),
    [
        ("/api/v1/stances/", {"topik": TOPIC}, 400),
        (f"/api/v1/topics/{TOPIC}/matrix/", {"as_of": "not-a-date"}, 400),
        ("/api/v1/events/no-such-event/", {}, 404),
    ],
    ids=["unknown-parameter", "bad-parameter-in-an-action", "not-found"],
)
def test_a_rest_error_is_never_kept(
    api: APIClient, url: str, params: dict[str, str], status: int
) -> None:
    """Only a 200 is kept: a refusal raised before the handler (parameter check), inside it
    (an action's own validation) or by a missing row is answered afresh, never as a 200."""
    for _ in range(2):
        response = api.get(url, params)
        assert response.status_code == status
        assert x_cache(response) is None
        assert response["Content-Type"] == "application/problem+json"


def test_a_not_found_answer_gives_way_to_the_row_once_it_exists(
    api: APIClient, editor_api: APIClient
) -> None:
    """A 404 read twice is not remembered: once the row is created the next read finds it."""
    url = "/api/v1/topics/cache-probe/"
    assert api.get(url).status_code == 404
    assert api.get(url).status_code == 404
    created = editor_api.post(
        "/api/v1/topics/", {"slug": "cache-probe", "title": "Probe"}, format="json"
    )
    assert created.status_code == 201
    found = api.get(url)
    assert found.status_code == 200
    assert found.json()["title"] == "Probe"


# --- 6. ETags and 304 -------------------------------------------------------------------------


def _entry_url() -> str:
    return f"/api/v1/entries/{entry_credit().pk}/"


Get = Callable[..., HttpResponseBase]


def _entry_over_rest(client: Client, headers: dict[str, str] | None = None) -> HttpResponseBase:
    return client.get(_entry_url(), headers=headers)


def _event_over_graphql_get(
    client: Client, headers: dict[str, str] | None = None
) -> HttpResponseBase:
    params = {"query": EVENT_PAGE, "variables": json.dumps({"slug": EVENT})}
    return client.get(GRAPHQL, params, headers=headers)


def _credit_shown(response: HttpResponseBase) -> str:
    decoded = json.loads(body(response))
    if "data" in decoded:
        edges = decoded["data"]["event"]["entries"]["edges"]
        credit: str = next(e["node"]["credit"] for e in edges if e["node"]["order"] == 1)
        return credit
    return decoded["credit"]  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "get", [_entry_over_rest, _event_over_graphql_get], ids=["rest", "graphql-get"]
)
def test_a_hit_carries_the_misses_etag_and_answers_304_until_a_write(
    api: APIClient, editor_api: APIClient, get: Get
) -> None:
    """The stored ETag is the one the miss was sent with, so a client's validator stays good
    across hits; after a write the old validator no longer matches and the new body comes."""
    miss = get(api)
    assert x_cache(miss) == "miss"
    etag = miss["ETag"]
    hit = get(api)
    assert x_cache(hit) == "hit"
    assert hit["ETag"] == etag
    assert get(api, {"If-None-Match": etag}).status_code == 304

    write_over_rest(editor_api, entry_credit(), "AFP")

    fresh = get(api, {"If-None-Match": etag})
    assert fresh.status_code == 200
    assert fresh["ETag"] != etag
    assert _credit_shown(fresh) == "AFP"


# --- 7. Cache-Control: no-cache ---------------------------------------------------------------


@pytest.mark.parametrize(
    "get", [_entry_over_rest, _event_over_graphql_get], ids=["rest", "graphql-get"]
)
def test_no_cache_skips_the_lookup(api: APIClient, get: Get) -> None:
    """A warm entry exists, yet `Cache-Control: no-cache` is computed afresh."""
    get(api)
    assert x_cache(get(api)) == "hit"
    bypass = get(api, {"Cache-Control": "no-cache"})
    assert bypass.status_code == 200
    assert x_cache(bypass) != "hit"
    assert _credit_shown(bypass) == _credit_shown(get(api))


def test_no_cache_skips_the_lookup_for_a_graphql_post(api: APIClient) -> None:
    """The same for a POSTed query, which ConditionalGetMiddleware never sees."""
    payload = json.dumps({"query": EVENT_PAGE, "variables": {"slug": EVENT}})

    def send(headers: dict[str, str] | None = None) -> HttpResponseBase:
        return api.post(GRAPHQL, payload, content_type="application/json", headers=headers)

    send()
    assert x_cache(send()) == "hit"
    bypass = send({"Cache-Control": "no-cache"})
    assert x_cache(bypass) != "hit"
    assert graphql_data(bypass)["event"]["title"]


# --- 8. Usernames ------------------------------------------------------------------------------


def _rename_with_the_orm(user: User, name: str) -> None:
    user.username = name
    user.save()


def _rename_in_bulk(user: User, name: str) -> None:
    User.objects.filter(pk=user.pk).update(username=name)


def _rename_in_raw_sql(user: User, name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE auth_user SET username = %s WHERE id = %s", [name, user.pk])


RENAMES: dict[str, Callable[[User, str], None]] = {
    "orm": _rename_with_the_orm,
    "bulk-update": _rename_in_bulk,
    "raw-sql": _rename_in_raw_sql,
}


def _decider(client: Client, pk: int) -> tuple[HttpResponseBase, str | None]:
    response = client.get("/api/v1/stances/", {"actor": "finland", "topic": TOPIC})
    decided_by: str | None = by_id(response.json()["results"], pk)["decided_by"]
    return response, decided_by


def _last_changer(client: Client, pk: int) -> tuple[HttpResponseBase, str | None]:
    response = client.get("/api/v1/changes/", {"model": "actors.Stance", "object_id": str(pk)})
    user: str | None = response.json()["results"][0]["user"]
    return response, user


@pytest.mark.parametrize("rename", list(RENAMES))
@pytest.mark.parametrize(
    "shown", [_decider, _last_changer], ids=["stance-decided-by", "change-user"]
)
def test_a_renamed_user_is_shown_by_the_new_name_at_once(
    api: APIClient,
    editor_api: APIClient,
    editor: User,
    rename: str,
    shown: Callable[[Client, int], tuple[HttpResponseBase, str | None]],
) -> None:
    """Usernames are part of representations though auth_user is not a record table: its own
    trigger bumps the data version when a username changes."""
    pk = _propose_finnish_stance(editor_api)
    verified = editor_api.patch(f"/api/v1/stances/{pk}/", {"status": "verified"}, format="json")
    assert verified.status_code == 200
    assert shown(api, pk)[1] == "curator"
    warm, _ = shown(api, pk)
    assert x_cache(warm) == "hit"

    RENAMES[rename](editor, "archivist")

    fresh, name = shown(api, pk)
    assert x_cache(fresh) != "hit"
    assert name == "archivist"


def test_a_deleted_user_disappears_from_the_changes_at_once(
    api: APIClient, editor_api: APIClient, editor: User
) -> None:
    """Deleting a user also bumps the version: the changes they made show no user at once."""
    target = entry_credit()
    write_over_rest(editor_api, target, "Reuters")
    url = "/api/v1/changes/"
    params = {"model": "events.Entry", "object_id": str(target.pk)}
    assert api.get(url, params).json()["results"][0]["user"] == "curator"
    assert x_cache(api.get(url, params)) == "hit"
    editor.delete()
    fresh = api.get(url, params)
    assert x_cache(fresh) != "hit"
    assert fresh.json()["results"][0]["user"] is None


# --- 9. Throttling -----------------------------------------------------------------------------


def test_a_throttled_client_gets_429_even_for_a_cached_answer(
    api: APIClient, editor_api: APIClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Throttles run in DRF's initial(), before the lookup: a hit is a request like any other.
    (DRF reads its rates when the throttle classes are imported, so the rate is set on the
    class.)"""
    monkeypatch.setattr(AnonRateThrottle, "rate", "3/minute", raising=False)
    url = f"/api/v1/events/{EVENT}/"
    responses = [api.get(url) for _ in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert [x_cache(r) for r in responses[:3]] == ["miss", "hit", "hit"]
    assert x_cache(responses[3]) is None
    assert "Retry-After" in responses[3]
    assert x_cache(editor_api.get(url)) == "miss"  # another role, its own entry and budget


# --- 10. Turned off ----------------------------------------------------------------------------


def _without_response_cache() -> override_settings:
    """RESPONSE_CACHE_ENTRIES=0: the `responses` alias is a DummyCache. Django's
    setting_changed handler for CACHES rebuilds `caches`, so the alias is re-read."""
    return override_settings(
        CACHES={
            **settings.CACHES,
            "responses": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
        }
    )


@pytest.mark.parametrize("path_name", ["rest-entry-detail", "graphql-event-page-get"])
def test_with_the_cache_off_reads_work_and_are_never_hits(
    api: APIClient, editor_api: APIClient, path_name: str
) -> None:
    """Turning the cache off loses nothing but speed: no hit, same answers, writes seen."""
    path = PATHS[path_name]
    target = path.target()
    with _without_response_cache():
        reads = [path.read(api, target) for _ in range(3)]
        assert all(response.status_code == 200 for response, _ in reads)
        assert [x_cache(response) for response, _ in reads].count("hit") == 0
        assert len({value for _, value in reads}) == 1
        write_over_rest(editor_api, target, "AFP")
        response, value = path.read(api, target)
        assert x_cache(response) != "hit"
        assert value == "AFP"
