"""Every read under /api/v1/ exports: CSV and NDJSON of flat, documented rows (never Python
reprs), `?format=` winning over `Accept`, a 406 naming the formats there are, and every CSV
cell a spreadsheet would run as a formula neutralised."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pandas
import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models import Value
from django.test import Client
from django.urls import URLPattern, reverse
from pghistory.models import MiddlewareEvents
from pytest_django.live_server_helper import LiveServer
from rest_framework.test import APIClient

from actors.api.urls import router as actors_router
from actors.models import Actor, Mention, Stance, Topic
from api_project.rest.export import CSVRenderer, stream_export
from events.api.urls import router as events_router
from events.models import Citation, Entry, Source
from tests.factories import EntryFactory, EventFactory, SourceFactory, StanceFactory

pytestmark = pytest.mark.django_db

EVENT = "coalition-of-the-willing-summit-2025-09-04"
FORMULA = '=HYPERLINK("http://x","y")'
MEDIA_TYPES = {"csv": "text/csv", "ndjson": "application/x-ndjson"}


def _body(response: Any) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    content: bytes = response.content
    return content


def _csv(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode(), newline="")))


def _ndjson(body: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in body.decode().splitlines()]


def _get(client: APIClient, url: str, fmt: str, **params: Any) -> bytes:
    response = client.get(url, {"format": fmt, **params}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200, _body(response)
    assert response["Content-Type"].startswith(MEDIA_TYPES[fmt])
    return _body(response)


def _samples() -> dict[str, str]:
    """A lookup value for each resource's detail and extra actions."""
    return {
        "event": EVENT,
        "entry": str(Entry.objects.get(event__slug=EVENT, order=5).pk),
        "source": "reuters",
        "citation": str(Citation.objects.filter(via__isnull=False).first().pk),  # type: ignore[union-attr]
        "change": MiddlewareEvents.objects.order_by("pgh_slug").first().pgh_slug,  # type: ignore[union-attr]
        "actor": "alexander-stubb",
        "topic": "troops-to-ukraine",
        "stance": str(Stance.objects.filter(status="verified").first().pk),  # type: ignore[union-attr]
        "mention": str(Mention.objects.first().pk),  # type: ignore[union-attr]
    }


def _read_routes() -> list[tuple[str, str]]:
    """Every GET route the routers register (so a resource added later is covered too): its
    URL name and the lookup kind it takes (the basename), or "" for a list."""
    routes = []
    for router in (events_router, actors_router):
        for pattern in router.urls:
            assert isinstance(pattern, URLPattern)
            actions = getattr(pattern.callback, "actions", {})
            if "get" in actions and pattern.name and not pattern.name.endswith(EXPORT_URLS):
                basename, _, route = pattern.name.rpartition("-")
                routes.append((pattern.name, "" if route == "list" else basename))
    return routes


# The `export.csv/` and `export.ndjson/` URLs answer one format each (test_export_operations.py).
EXPORT_URLS = ("-export-csv", "-export-ndjson")
ROUTES = _read_routes()


def _url(name: str, kind: str) -> str:
    if not kind:
        return reverse(name)
    lookup = "pk" if kind in ("entry", "citation", "stance", "mention", "change") else "slug"
    return reverse(name, kwargs={lookup: _samples()[kind]})


def test_the_routes_cover_lists_details_and_the_extra_reads() -> None:
    names = {name for name, _ in ROUTES}
    assert {"citation-list", "mention-list", "change-detail", "topic-matrix"} <= names
    assert "actor-timeline" in names
    assert len(names) >= 20


def _flat(value: Any) -> bool:
    return (
        value is None
        or isinstance(value, str | int | float | bool)
        or (isinstance(value, list) and all(isinstance(item, str | int) for item in value))
    )


@pytest.mark.parametrize(("name", "kind"), ROUTES)
def test_every_read_exports_flat_rows_in_both_formats(api: APIClient, name: str, kind: str) -> None:
    url = _url(name, kind)
    rows = _csv(_get(api, url, "csv"))
    lines = _ndjson(_get(api, url, "ndjson"))
    assert rows, "the seed gives every read at least one row"
    assert len(rows) == len(lines)
    assert list(rows[0]) == list(lines[0])  # the same columns, in the same order
    for row in rows:
        for cell in row.values():
            assert "datetime.datetime(" not in cell
            assert not cell.startswith(("{'", "[{'", "['"))
    for line in lines:
        for column, value in line.items():
            assert _flat(value) or (name.startswith("change-") and column in ("diff", "data"))
    if kind:  # a detail, or a read about one record
        assert name.endswith(("-detail", "-timeline", "-matrix"))


def test_the_actor_timeline_as_ndjson_is_one_line_an_item(api: APIClient) -> None:
    url = "/api/v1/actors/donald-trump/timeline/"
    items = api.get(url).json()["items"]
    lines = _ndjson(_get(api, url, "ndjson"))
    assert [(line["kind"], line["at"]) for line in lines] == [
        (item["kind"], item["at"].replace("Z", "+00:00")) for item in items
    ]
    assert {line["actor"] for line in lines} == {"donald-trump"}
    stance = next(line for line in lines if line["kind"] == "stance")
    assert stance["topic"]
    assert stance["position"]
    assert stance["stance"]


def test_timeline_items_carry_their_entrys_text(api: APIClient) -> None:
    items = api.get("/api/v1/actors/donald-trump/timeline/").json()["items"]
    kinds = {item["kind"] for item in items}
    assert kinds == {"mention", "stance"}
    for item in items:
        entry = item["entry"]
        record = item[item["kind"]]
        if item["kind"] == "mention":
            assert entry["id"] == record["entry"]["id"]
            assert "body" not in record["entry"]  # the text once per item, beside the mention
        elif record["evidence"] is None:
            assert entry is None
            continue
        else:
            assert entry["id"] == record["evidence"]["id"]
        stored = Entry.objects.get(pk=entry["id"])
        assert entry["body"] == stored.body
        assert entry["headline"] == stored.headline
        assert entry["published_at"] == stored.published_at.isoformat().replace("+00:00", "Z")
    rows = _csv(_get(api, "/api/v1/actors/donald-trump/timeline/", "csv"))
    assert [row["body"] for row in rows] == [
        item["entry"]["body"] if item["entry"] else "" for item in items
    ]


def test_the_matrix_is_one_row_per_actor_and_stance(api: APIClient) -> None:
    url = "/api/v1/topics/troops-to-ukraine/matrix/"
    as_of = "2025-09-04T16:20:00Z"
    matrix = api.get(url, {"as_of": as_of}).json()
    expected = [
        (group["position"], row["actor"]["slug"], str(row["stance"]["id"]))
        for group in matrix["positions"]
        for row in group["actors"]
    ]
    rows = _csv(_get(api, url, "csv", as_of=as_of))
    assert [(row["position"], row["actor"], row["stance"]) for row in rows] == expected
    assert {row["position"] for row in rows} == {"support", "oppose", "undecided"}
    assert {row["as_of"] for row in rows} == {"2025-09-04T16:20:00+00:00"}
    assert {row["topic"] for row in rows} == {"troops-to-ukraine"}


def test_an_empty_matrix_still_has_its_header(api: APIClient) -> None:
    body = _get(api, "/api/v1/topics/troops-to-ukraine/matrix/", "csv", as_of="2000-01-01T00:00Z")
    assert body.decode().startswith("topic,as_of,position,actor,")
    assert body.count(b"\r\n") == 1
    assert (
        _get(api, "/api/v1/topics/troops-to-ukraine/matrix/", "ndjson", as_of="2000-01-01T00:00Z")
        == b""
    )


@pytest.mark.parametrize(
    ("resource", "lookup"),
    [("entries", "entry"), ("stances", "stance"), ("citations", "citation"), ("events", "event")],
)
def test_a_detail_exports_the_row_its_list_exports(
    api: APIClient, resource: str, lookup: str
) -> None:
    key = _samples()[lookup]
    [detail] = _csv(_get(api, f"/api/v1/{resource}/{key}/", "csv"))
    every = _csv(_get(api, f"/api/v1/{resource}/", "csv"))
    column = "slug" if lookup == "event" else "id"
    assert detail == next(row for row in every if row[column] == key)


@pytest.mark.parametrize(
    ("resource", "ordering", "key"),
    [
        ("sources", "-name", "slug"),
        ("events", "title", "slug"),
        ("entries", "-published_at", "id"),
        ("actors", "-name", "slug"),
        ("topics", "-title", "slug"),
        ("stances", "-valid_from", "id"),
        ("citations", "-id", "id"),
        ("mentions", "-id", "id"),
        ("changes", "pgh_created_at", "id"),
    ],
)
def test_every_export_keeps_the_ordering_asked(
    api: APIClient, resource: str, ordering: str, key: str
) -> None:
    EventFactory.create(title="A second event")
    url = f"/api/v1/{resource}/"
    listed = api.get(url, {"ordering": ordering, "limit": "500"}).json()["results"]
    expected = [str(row[key]) for row in listed]
    assert len(expected) >= 2
    assert [row[key] for row in _csv(_get(api, url, "csv", ordering=ordering))] == expected
    lines = _ndjson(_get(api, url, "ndjson", ordering=ordering))
    assert [str(line[key]) for line in lines] == expected


def test_changes_export_one_row_per_change_with_json_text(api: APIClient) -> None:
    params = {"model": "events.Citation", "ordering": "pgh_created_at"}
    changes = api.get("/api/v1/changes/", {**params, "limit": "500"}).json()["results"]
    rows = _csv(_get(api, "/api/v1/changes/", "csv", **params))
    assert [row["id"] for row in rows] == [change["id"] for change in changes]
    assert list(rows[0]) == ["id", "at", "action", "model", "object_id", "user", "diff", "data"]
    for row, change in zip(rows, changes, strict=True):
        assert json.loads(row["data"]) == change["data"]
        assert (json.loads(row["diff"]) if row["diff"] else None) == change["diff"]
    lines = _ndjson(_get(api, "/api/v1/changes/", "ndjson", **params))
    assert [line["data"] for line in lines] == [change["data"] for change in changes]


def test_changes_refuse_unknown_parameters_and_models(api: APIClient) -> None:
    until = api.get("/api/v1/changes/", {"until": "2025-01-01T00:00:00Z"})
    assert until.status_code == 400
    assert "Unknown parameter" in until.json()["errors"]["until"][0]
    wrong = api.get("/api/v1/changes/", {"model": "events.Nothing"})
    assert wrong.status_code == 400
    message = wrong.json()["errors"]["model"][0]
    for model in ("events.Entry", "events.Citation", "actors.Stance", "actors.Mention"):
        assert model in message
    assert api.get("/api/v1/changes/", {"model": "events.entry"}).status_code == 400
    found = api.get("/api/v1/changes/", {"model": "events.Entry", "limit": "5"}).json()
    assert {change["model"] for change in found["results"]} == {"events.Entry"}
    detail = api.get(f"/api/v1/changes/{found['results'][0]['id']}/", {"since": "x"})
    assert detail.status_code == 400


@pytest.mark.parametrize("url", ["/api/v1/entries/", "/api/v1/sources/reuters/"])
@pytest.mark.parametrize("accept", ["application/json", "application/x-ndjson", "text/html"])
def test_format_wins_over_accept(api: APIClient, url: str, accept: str) -> None:
    response = api.get(url, {"format": "csv"}, HTTP_ACCEPT=accept)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert _csv(_body(response))


def test_accept_alone_still_negotiates(api: APIClient) -> None:
    response = api.get("/api/v1/citations/", HTTP_ACCEPT="application/x-ndjson")
    assert response["Content-Type"].startswith("application/x-ndjson")
    assert len(_ndjson(_body(response))) == Citation.objects.count()


@pytest.mark.parametrize(
    ("params", "accept", "named"),
    [
        ({"format": "xml"}, "*/*", "format"),
        ({"format": "xlsx"}, "text/csv", "format"),
        ({}, "image/png", "Accept"),
    ],
)
def test_an_unknown_format_is_a_406_naming_those_there_are(
    api: APIClient, params: dict[str, str], accept: str, named: str
) -> None:
    response = api.get("/api/v1/topics/troops-to-ukraine/matrix/", params, HTTP_ACCEPT=accept)
    assert response.status_code == 406
    assert response["Content-Type"] == "application/problem+json"
    [message] = response.json()["errors"][named]
    for fmt in ("json", "csv", "ndjson", "application/json", "text/csv"):
        assert fmt in message


def test_a_write_asked_for_csv_is_refused_before_writing(editor_api: APIClient) -> None:
    body = {"slug": "wire-x", "name": "Wire X", "kind": "news_agency"}
    response = editor_api.post("/api/v1/sources/?format=csv", body, format="json")
    assert response.status_code == 406
    assert "json" in response.json()["errors"]["format"][0]
    assert not Source.objects.filter(slug="wire-x").exists()
    assert editor_api.post("/api/v1/sources/", body, format="json").status_code == 201


@pytest.mark.parametrize("fmt", ["csv", "ndjson"])
@pytest.mark.parametrize(
    ("url", "params", "status"),
    [
        ("/api/v1/entries/999999/", {}, 404),
        ("/api/v1/citations/", {"entry": "x"}, 400),
        ("/api/v1/topics/troops-to-ukraine/matrix/", {"as_of": "yesterday"}, 400),
    ],
)
def test_errors_stay_problem_json_whatever_the_format(
    api: APIClient, fmt: str, url: str, params: dict[str, str], status: int
) -> None:
    response = api.get(url, {**params, "format": fmt})
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert json.loads(_body(response))["status"] == status


# Formula neutralisation ------------------------------------------------------------------------

TRIGGERS = [FORMULA, "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]
# Texts that already start with the quote: quoted again, so that one quote off is exact.
QUOTED = ["'=x", "'-ism", "'quoted", "''", "'\nline"]


@pytest.fixture
def formulas() -> list[Source]:
    """Sources named like formulas, each cited in an entry of its own event."""
    event = EventFactory.create()
    sources = []
    for index, name in enumerate([*TRIGGERS, *QUOTED]):
        source = SourceFactory.create(name=name, slug=f"formula-{index}")
        entry = EntryFactory.create(event=event, order=index + 1, body=name, headline=name)
        Citation.objects.create(entry=entry, source=source, role="reported_by", quote=name)
        sources.append(source)
    return sources


@pytest.mark.usefixtures("formulas")
@pytest.mark.parametrize(
    ("resource", "column"),
    [("sources", "name"), ("citations", "quote"), ("citations", "chain"), ("entries", "body")],
)
def test_the_copy_path_neutralises_formula_cells(
    api: APIClient, resource: str, column: str
) -> None:
    params = {"q": "formula"} if resource == "sources" else {}
    rows = _csv(_get(api, f"/api/v1/{resource}/", "csv", **params))
    cells = {row[column] for row in rows}
    for name in [*TRIGGERS, *QUOTED]:
        assert "'" + name in cells
        assert name not in cells
    lines = _ndjson(_get(api, f"/api/v1/{resource}/", "ndjson", **params))
    values = {str(line[column][0] if column == "chain" else line[column]) for line in lines}
    assert {*TRIGGERS, *QUOTED} <= values  # NDJSON is not a spreadsheet: the text is kept


def test_the_raw_csv_quotes_the_neutralised_formula(api: APIClient, formulas: list[Source]) -> None:
    body = _get(api, f"/api/v1/sources/{formulas[0].slug}/", "csv").decode()
    assert body.splitlines()[1].startswith('formula-0,"\'=HYPERLINK(""http://x"",""y"")"')


def test_the_python_path_neutralises_text_not_numbers_or_dates(api: APIClient) -> None:
    topic = Topic.objects.get(slug="troops-to-ukraine")
    actor = Actor.objects.get(slug="alexander-stubb")
    StanceFactory.create(actor=actor, topic=topic, summary=FORMULA, quote="-5 troops")
    url = "/api/v1/topics/troops-to-ukraine/matrix/"
    [row] = list(_csv(_get(api, url, "csv", as_of="2025-01-01T12:00:00Z")))
    assert row["summary"] == "'" + FORMULA
    assert row["quote"] == "'-5 troops"
    assert row["valid_from"] == "2025-01-01T10:00:00+00:00"
    assert row["stance"].isdigit()
    [item] = [
        r
        for r in _csv(_get(api, "/api/v1/actors/alexander-stubb/timeline/", "csv"))
        if r["summary"]
    ]
    assert item["summary"] == "'" + FORMULA


def test_cells_that_are_not_text_are_never_quoted() -> None:
    """Negative numbers, datetimes with offsets and booleans are values, not formulas: on the
    Python path by their type, on the COPY path by their column's."""
    minus_five = timezone(timedelta(hours=-5))
    rendered = CSVRenderer().render(
        [
            {
                "n": -3,
                "x": -2.5,
                "at": datetime(2025, 9, 4, 11, 20, tzinfo=minus_five),
                "yes": True,
                "text": "-3",
                "list": ["=a", "b"],
                "ints": [-1, 2],
                "quoted": "'x",
            }
        ]
    )
    assert (
        rendered.decode().splitlines()[1]
        == "-3,-2.5,2025-09-04T16:20:00+00:00,True,'-3,'=a;b,-1;2,''x"
    )
    exported = stream_export(
        "csv",
        Topic.objects.filter(slug="troops-to-ukraine")
        .values("slug")
        .annotate(n=Value(-3), label=Value("-3"), quoted=Value("'x")),
        "t",
    )
    body = _body(exported)
    assert body.decode().splitlines()[1] == "troops-to-ukraine,-3,'-3,''x"


@pytest.fixture
def editor_client(client: Client, editor: User) -> Client:
    client.force_login(editor)
    return client


def test_the_admin_csv_export_neutralises_and_its_import_restores(
    editor_client: Client, formulas: list[Source]
) -> None:
    response = editor_client.post(
        reverse("admin:events_source_export"),
        {
            "format": "0",
            "resource": "0",
            **{f"sourceresource_{f}": "on" for f in ["slug", "name", "kind", "needs_review"]},
        },
    )
    assert response.status_code == 200
    exported = response.content.decode()
    rows = {row["slug"]: row for row in csv.DictReader(io.StringIO(exported, newline=""))}
    for source in formulas:
        assert rows[source.slug]["name"] == "'" + source.name
    assert rows["reuters"]["name"] == "Reuters"
    assert rows["reuters"]["needs_review"] in ("0", "False", "")
    # The exported file, edited elsewhere and imported back, keeps every name as it was.
    edited = exported.replace("'@SUM(A1)", "'@SUM(A2)")
    upload = SimpleUploadedFile("sources.csv", edited.encode(), content_type="text/csv")
    preview = editor_client.post(
        reverse("admin:events_source_import"),
        {"import_file": upload, "format": "0", "resource": "0"},
    )
    assert preview.status_code == 200
    editor_client.post(
        reverse("admin:events_source_process_import"),
        preview.context["confirm_form"].initial,
        follow=True,
    )
    names = dict(Source.objects.filter(slug__startswith="formula-").values_list("slug", "name"))
    # The import reads text with universal newlines: a CR inside a cell comes back as a LF.
    assert names == {
        source.slug: source.name.replace("@SUM(A1)", "@SUM(A2)").replace("\r", "\n")
        for source in formulas
    }


# pandas ----------------------------------------------------------------------------------------


def test_pandas_reads_the_chains_and_joins_the_tables(api: APIClient) -> None:
    """The README's recipe: entries, citations and mentions as DataFrames, joined on ids."""
    citations = pandas.read_csv(io.BytesIO(_get(api, "/api/v1/citations/", "csv")))
    entries = pandas.read_csv(
        io.BytesIO(_get(api, "/api/v1/entries/", "csv", event=EVENT)), parse_dates=["published_at"]
    )
    mentions = pandas.read_csv(io.BytesIO(_get(api, "/api/v1/mentions/", "csv")))
    assert len(citations) == Citation.objects.count()
    assert len(mentions) == Mention.objects.count()
    citations["links"] = citations["chain"].str.split(";")
    stubb = citations[citations["speaker"] == "alexander-stubb"]
    assert stubb["links"].tolist() == [["Reuters", "Finnish media", "Alexander Stubb"]] * 2
    # `via` is the id of the link each came through: Reuters, in the same entry.
    through = stubb.merge(citations, left_on="via", right_on="id", suffixes=("", "_via"))
    assert through["source_via"].tolist() == ["reuters", "reuters"]
    assert (through["entry"] == through["entry_via"]).all()
    # Who is quoted, through which outlet, in entries that also mention Trump.
    joined = citations.merge(entries, left_on="entry", right_on="id", suffixes=("", "_entry"))
    with_trump = joined.merge(
        mentions[mentions["actor"] == "donald-trump"], on="entry", suffixes=("", "_mention")
    )
    assert "Alexander Stubb" in set(with_trump["links"].str[-1])
    assert str(joined["published_at_entry"].dt.tz) == "UTC"
    outlets = joined.groupby("source")["entry"].nunique()
    assert (
        outlets["reuters"]
        == Entry.objects.filter(citations__source__slug="reuters").distinct().count()
    )
    assert datetime.now(UTC) > joined["published_at_entry"].max()


def _readme_recipe() -> str:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme[readme.index("### pandas") :]
    return section[section.index("```python") + len("```python") : section.index("```\n", 10)]


@pytest.mark.django_db(transaction=True)
def test_the_readmes_pandas_recipe_runs_against_a_server(live_server: LiveServer) -> None:
    call_command("load_seed", verbosity=0)
    recipe = _readme_recipe().replace("http://127.0.0.1:8000", live_server.url)
    scope: dict[str, Any] = {}
    exec(compile(recipe, "README.md", "exec"), scope)  # the README's own code
    table = scope["table"]
    stubb = table[table["speaker"] == "alexander-stubb"]
    assert stubb["chain"].tolist() == [["Reuters", "Finnish media", "Alexander Stubb"]] * 2
    assert set(stubb["source"]) == {"finnish-media"}
    assert str(table["published_at_entry"].dt.tz) == "UTC"


def test_fields_narrow_an_export_to_columns_in_the_order_asked(api: APIClient) -> None:
    rows = _csv(
        _get(api, "/api/v1/citations/", "csv", fields="chain,id", speaker="alexander-stubb")
    )
    assert [list(row) for row in rows] == [["chain", "id"]] * 2
    assert rows[0]["chain"] == "Reuters;Finnish media;Alexander Stubb"
    [line] = _ndjson(_get(api, f"/api/v1/entries/{_samples()['entry']}/", "ndjson", fields="id"))
    assert line == {"id": int(_samples()["entry"])}
    wrong = api.get("/api/v1/stances/", {"format": "csv", "fields": "actor,summery"})
    assert wrong.status_code == 400
    assert "summery" in wrong.json()["errors"]["fields"][0]
