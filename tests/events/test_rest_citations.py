"""/api/v1/citations/ and /api/v1/mentions/: the chains and mentions as tidy tables, filtered by
the entry rules, spelled out as Citation.chain() does, the same through GraphQL."""

import base64
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db.models import F
from rest_framework.test import APIClient

from actors.models import Actor, Mention
from events.models import Citation, Entry, Source
from tests.factories import ActorFactory, EntryFactory, EventFactory, SourceFactory
from tests.graphql import data

pytestmark = pytest.mark.django_db

EVENT = "coalition-of-the-willing-summit-2025-09-04"
STUBB = "alexander-stubb"


def _rows(api: APIClient, resource: str, params: dict[str, Any] | None = None) -> list[Any]:
    response = api.get(f"/api/v1/{resource}/", {"limit": "500", **(params or {})})
    assert response.status_code == 200, response.content
    rows: list[Any] = response.json()["results"]
    return rows


def _stubb_entry() -> Entry:
    return Entry.objects.get(event__slug=EVENT, order=5)


def test_a_citation_row_spells_its_chain_and_names_its_via(api: APIClient) -> None:
    entry = _stubb_entry()
    rows = _rows(api, "citations", {"entry": entry.pk})
    assert [row["chain"] for row in rows] == [
        ["Reuters"],
        ["Reuters", "Finnish media", "Alexander Stubb"],
        ["Reuters", "Finnish media", "Alexander Stubb"],
    ]
    reuters, act, targets = rows
    assert act["via"] == targets["via"] == reuters["id"]
    assert reuters["via"] is None
    assert act["entry"] == entry.pk
    assert act["event"] == EVENT
    assert act["published_at"] == "2025-09-04T15:23:00Z"
    assert act["source"] == {"slug": "finnish-media", "name": "Finnish media", "kind": "media"}
    assert act["speaker"]["slug"] == STUBB
    assert act["quote"] == "we must act together on sanctions policy."
    assert api.get(f"/api/v1/citations/{act['id']}/").json() == act


def test_every_chain_is_what_citation_chain_gives(api: APIClient) -> None:
    """The SQL spelling and the model's method agree on the seed and on a chain longer than
    GraphQL's prefetch hints, with a link naming only a speaker in the middle."""
    entry = EntryFactory.create(event=EventFactory.create())
    reuters = Source.objects.get(slug="reuters")
    outer = Citation.objects.create(entry=entry, source=reuters, role="reported_by")
    link = outer
    for speaker in ("alexander-stubb", "donald-trump", "emmanuel-macron", "donald-trump"):
        actor = Actor.objects.get(slug=speaker)
        link = Citation.objects.create(entry=entry, speaker=actor, role="quoted", via=link)
    rows = _rows(api, "citations")
    assert len(rows) == Citation.objects.count() > 20
    for row in rows:
        assert row["chain"] == Citation.objects.get(pk=row["id"]).chain()
    assert len(next(row for row in rows if row["id"] == link.pk)["chain"]) == 5


FILTERS: list[tuple[dict[str, str], str]] = [
    ({"event": EVENT}, f'{{event: "{EVENT}"}}'),
    ({"source": "reuters"}, '{source: "reuters"}'),
    ({"speaker": STUBB}, f'{{speaker: "{STUBB}"}}'),
    ({"actor": "donald-trump"}, '{actor: "donald-trump"}'),
    ({"role": "reported_by"}, "{role: REPORTED_BY}"),
    ({"published_after": "2025-09-04T16:00:00Z"}, '{publishedAfter: "2025-09-04T16:00:00Z"}'),
    ({"published_before": "2025-09-04T15:00:00Z"}, '{publishedBefore: "2025-09-04T15:00:00Z"}'),
    ({"updated_since": "2000-01-01T00:00:00Z"}, '{updatedSince: "2000-01-01T00:00:00Z"}'),
]


def _expected_citations(params: dict[str, str]) -> set[int]:
    """The filter's meaning, spelled with the ORM."""
    rules: dict[str, Any] = {
        "event": lambda v: Citation.objects.filter(entry__event__slug=v),
        "source": lambda v: Citation.objects.filter(source__slug=v),
        "speaker": lambda v: Citation.objects.filter(speaker__slug=v),
        "actor": lambda v: Citation.objects.filter(entry__mentions__actor__slug=v),
        "role": lambda v: Citation.objects.filter(role=v),
        "published_after": lambda v: Citation.objects.filter(entry__published_at__gte=v),
        "published_before": lambda v: Citation.objects.filter(entry__published_at__lt=v),
        "updated_since": lambda v: Citation.objects.filter(updated_at__gte=v),
    }
    [(name, value)] = params.items()
    return set(rules[name](value).values_list("pk", flat=True))


@pytest.fixture
def another_event() -> None:
    """A second event, so that filtering by event leaves something out."""
    entry = EntryFactory.create(event=EventFactory.create())
    Citation.objects.create(entry=entry, source=SourceFactory.create(), role="reported_by")
    Mention.objects.create(
        entry=entry, actor=Actor.objects.get(slug="donald-trump"), role="subject"
    )


def _pk(global_id: str) -> int:
    return int(base64.b64decode(global_id).decode().split(":")[1])


@pytest.mark.usefixtures("another_event")
@pytest.mark.parametrize(("rest", "graphql"), FILTERS)
def test_citation_filters_mean_the_same_in_rest_and_graphql(
    api: APIClient, rest: dict[str, str], graphql: str
) -> None:
    from_rest = {row["id"] for row in _rows(api, "citations", rest)}
    result = data(
        api, f"{{ citations(first: 100, filters: {graphql}) {{ edges {{ node {{ id }} }} }} }}"
    )
    from_graphql = {_pk(edge["node"]["id"]) for edge in result["citations"]["edges"]}
    assert from_rest == from_graphql == _expected_citations(rest)
    assert 0 < len(from_rest) < Citation.objects.count() or "updated_since" in rest


MENTION_FILTERS: list[tuple[dict[str, str], str]] = [
    ({"event": EVENT}, f'{{event: "{EVENT}"}}'),
    ({"actor": "donald-trump"}, '{actor: "donald-trump"}'),
    ({"source": "reuters"}, '{source: "reuters"}'),
    ({"role": "speaker"}, "{role: SPEAKER}"),
    ({"published_after": "2025-09-04T16:00:00Z"}, '{publishedAfter: "2025-09-04T16:00:00Z"}'),
    ({"published_before": "2025-09-04T15:00:00Z"}, '{publishedBefore: "2025-09-04T15:00:00Z"}'),
]


@pytest.mark.usefixtures("another_event")
@pytest.mark.parametrize(("rest", "graphql"), MENTION_FILTERS)
def test_mention_filters_mean_the_same_in_rest_and_graphql(
    api: APIClient, rest: dict[str, str], graphql: str
) -> None:
    from_rest = {row["id"] for row in _rows(api, "mentions", rest)}
    result = data(
        api, f"{{ mentions(first: 100, filters: {graphql}) {{ edges {{ node {{ id }} }} }} }}"
    )
    from_graphql = {_pk(edge["node"]["id"]) for edge in result["mentions"]["edges"]}
    assert from_rest == from_graphql
    assert 0 < len(from_rest) < Mention.objects.count()


def test_the_entry_filter_takes_one_entrys_links(api: APIClient) -> None:
    entry = _stubb_entry()
    mentions = _rows(api, "mentions", {"entry": entry.pk})
    assert {row["actor"]["slug"] for row in mentions} == set(
        entry.mentions.values_list("actor__slug", flat=True)
    )
    assert {row["entry"] for row in mentions} == {entry.pk}
    query = f"{{ mentions(first: 50, filters: {{entry: {entry.pk}}}) {{ totalCount }} }}"
    assert data(api, query)["mentions"]["totalCount"] == len(mentions)


def test_a_mention_row(api: APIClient) -> None:
    [row] = _rows(api, "mentions", {"actor": STUBB})
    assert row["actor"] == {
        "slug": STUBB,
        "name": "Alexander Stubb",
        "kind": "person",
        "country": "FI",
    }
    assert row["role"] == "speaker"
    assert row["event"] == EVENT
    assert row["entry"] == _stubb_entry().pk
    assert set(row) == {
        "id",
        "entry",
        "event",
        "published_at",
        "actor",
        "role",
        "created_at",
        "updated_at",
    }
    assert api.get(f"/api/v1/mentions/{row['id']}/").json() == row


@pytest.mark.parametrize("resource", ["citations", "mentions"])
def test_lists_are_in_feed_order_and_paged(api: APIClient, resource: str) -> None:
    every = _rows(api, resource)
    assert [row["published_at"] for row in every] == sorted(row["published_at"] for row in every)
    first = api.get(f"/api/v1/{resource}/", {"limit": "3"}).json()
    assert first["count"] == len(every)
    assert len(first["results"]) == 3
    second = api.get(first["next"]).json()
    assert [row["id"] for row in first["results"] + second["results"][:3]] == [
        row["id"] for row in every[:6]
    ]
    newest = _rows(api, resource, {"ordering": "-published_at"})
    assert newest[0]["published_at"] == every[-1]["published_at"]


@pytest.mark.parametrize("resource", ["citations", "mentions"])
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"until": "2025-09-05T00:00:00Z"}, "until"),
        ({"entry": "five"}, "entry"),
        ({"published_after": "2025-09-04T16:00:00"}, "published_after"),
        ({"role": "shouted"}, "role"),
        ({"ordering": "quote"}, "ordering"),
        ({"brief": "true"}, "brief"),  # no brief form: taken and ignored before
    ],
)
def test_bad_parameters_are_400s_naming_them(
    api: APIClient, resource: str, params: dict[str, str], field: str
) -> None:
    response = api.get(f"/api/v1/{resource}/", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert field in response.json()["errors"]


@pytest.mark.parametrize("resource", ["citations", "mentions"])
def test_the_tables_are_read_only_even_for_editors(editor_api: APIClient, resource: str) -> None:
    row = _rows(editor_api, resource)[0]
    before = Citation.objects.count() + Mention.objects.count()
    assert editor_api.post(f"/api/v1/{resource}/", {}, format="json").status_code == 405
    assert editor_api.delete(f"/api/v1/{resource}/{row['id']}/").status_code == 405
    assert Citation.objects.count() + Mention.objects.count() == before
    assert editor_api.get(f"/api/v1/{resource}/99999999/").status_code == 404


def test_a_new_entrys_links_appear_at_once(api: APIClient) -> None:
    """The response cache keys on the data version: a citation added is seen by the next read."""
    entry = EntryFactory.create(
        event=EventFactory.create(), published_at=datetime(2030, 1, 1, tzinfo=UTC)
    )
    assert _rows(api, "citations", {"entry": entry.pk}) == []
    Citation.objects.create(entry=entry, source=SourceFactory.create(name="Wire"), role="via")
    [row] = _rows(api, "citations", {"entry": entry.pk})
    assert row["chain"] == ["Wire"]
    later = (entry.published_at + timedelta(seconds=1)).isoformat()
    assert _rows(api, "citations", {"published_after": later}) == []


@pytest.mark.parametrize("resource", ["citations", "mentions"])
@pytest.mark.parametrize("ordering", ["published_at", "-published_at"])
def test_pages_over_one_entrys_links_neither_repeat_nor_skip_rows(
    api: APIClient, resource: str, ordering: str
) -> None:
    """Every link of an entry shares its `published_at`: a client's ordering by it gets the
    view's own tie-breakers (entry, then id), so limit/offset pages cut one total order."""
    event = EventFactory.create()
    start = datetime(2025, 1, 1, tzinfo=UTC)
    crowded = EntryFactory.create(event=event, published_at=start)
    single = EntryFactory.create(event=event, published_at=start + timedelta(minutes=1))
    for entry, count in ((single, 1), (crowded, 60), (single, 1)):
        for _ in range(count):
            if resource == "citations":
                Citation.objects.create(
                    entry=entry, source=SourceFactory.create(), role="reported_by"
                )
            else:
                Mention.objects.create(entry=entry, actor=ActorFactory.create(), role="speaker")
    model = Citation if resource == "citations" else Mention
    ids = {
        entry.pk: sorted(model.objects.filter(entry=entry).values_list("pk", flat=True))
        for entry in (crowded, single)
    }
    # Rewritten rows move to the table's end: ties are no longer stored in id order.
    model.objects.filter(pk__in=ids[crowded.pk][::2]).update(updated_at=F("updated_at"))
    expected = ids[crowded.pk] + ids[single.pk]
    if ordering.startswith("-"):
        expected = ids[single.pk] + ids[crowded.pk]
    paged: list[int] = []
    for offset in range(0, 70, 9):
        params = {"event": event.slug, "ordering": ordering, "limit": "9", "offset": str(offset)}
        paged += [row["id"] for row in _rows(api, resource, params)]
    assert paged == expected


@pytest.mark.parametrize("url", ["/api/v1/citations/1/", "/api/v1/stances/"])
def test_brief_is_refused_where_there_is_no_brief_form(api: APIClient, url: str) -> None:
    """The document offers `brief` only where a brief form exists; elsewhere any value was
    taken and did nothing."""
    response = api.get(url, {"brief": "maybe"})
    assert response.status_code == 400
    assert "brief" in response.json()["errors"]
    assert api.get("/api/v1/events/", {"brief": "true"}).status_code == 200
