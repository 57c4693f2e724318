"""`manage.py ingest` and POST /api/v1/events/ingest/: pages in, records out, nothing invented."""

from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from pghistory.models import MiddlewareEvents
from rest_framework.test import APIClient

from actors.models import Mention
from events.models import Citation, Entry, Event, Source

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "fixtures" / "pages" / "coalition-of-the-willing-summit-2025-09-04.txt"
PAGES = Path(__file__).resolve().parent / "pages"
FIXTURE_EVENT = "coalition-of-the-willing-summit-2025-09-04"


def ingest(*args: str) -> str:
    out = StringIO()
    call_command("ingest", *args, stdout=out, stderr=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        m._meta.label: m._default_manager.count()
        for app in ("events", "actors")
        for m in apps.get_app_config(app).get_models()
        if not m._meta.label.endswith("Event") or m is Event
    }


def test_the_raw_seed_gives_exactly_the_fixtures_entries_and_at_least_its_links() -> None:
    output = ingest(str(SEED))
    assert "10 created" in output
    fixture = Event.objects.get(slug=FIXTURE_EVENT)
    ingested = Event.objects.exclude(pk=fixture.pk).get()
    assert (ingested.title, ingested.standfirst, ingested.summary) == (
        fixture.title,
        fixture.standfirst,
        fixture.summary,
    )
    assert ingested.starts_at == fixture.starts_at
    assert ingested.status == "ended"
    pairs = zip(
        fixture.entries.order_by("published_at"),
        ingested.entries.order_by("published_at"),
        strict=True,
    )
    for expected, got in pairs:
        for name in ("published_at", "order", "headline", "body", "credit", "status"):
            assert getattr(got, name) == getattr(expected, name), (expected.published_at, name)
        wanted_sources = set(
            expected.citations.exclude(source=None).values_list("source", flat=True)
        )
        found_sources = set(got.citations.exclude(source=None).values_list("source", flat=True))
        assert wanted_sources <= found_sources, expected.published_at
        wanted_actors = set(expected.mentions.values_list("actor", flat=True))
        found_actors = set(got.mentions.values_list("actor", flat=True))
        assert wanted_actors <= found_actors, expected.published_at


def test_chains_are_kept_as_chains() -> None:
    ingest(str(SEED))
    entry = Entry.objects.exclude(event__slug=FIXTURE_EVENT).get(published_at="2025-09-04T15:23Z")
    chains = {tuple(c.chain()) for c in entry.citations.all() if not c.relays.exists()}
    assert ("Reuters", "Finnish media", "Alexander Stubb") in chains
    official = Entry.objects.exclude(event__slug=FIXTURE_EVENT).get(
        published_at="2025-09-04T14:27Z"
    )
    assert ("Reuters", "Unnamed White House official") in {
        tuple(c.chain()) for c in official.citations.all()
    }


def test_no_stance_is_invented() -> None:
    before = apps.get_model("actors", "Stance").objects.count()
    ingest(str(SEED))
    assert apps.get_model("actors", "Stance").objects.count() == before


def test_ingesting_the_seed_into_its_own_event_changes_nothing() -> None:
    before = counts()
    output = ingest(str(SEED), "--event", FIXTURE_EVENT)
    assert "0 created, 0 corrected, 10 unchanged" in output
    assert counts() == before


def test_ingesting_the_same_page_twice_changes_nothing() -> None:
    ingest(str(SEED))
    before = counts()
    assert "10 unchanged" in ingest(str(SEED))
    assert counts() == before


def test_a_grown_page_adds_only_the_new_entry(tmp_path: Path) -> None:
    ingest(str(SEED))
    grown = SEED.read_text().replace(
        "  • 04 September 2025\n",
        "  • 04 September 2025\n\n    19:45 GMT\n\n    Stubb said the talks would go on.\n\n",
    )
    page = tmp_path / "grown.txt"
    page.write_text(grown)
    assert "1 created, 0 corrected, 10 unchanged" in ingest(str(page))
    event = Event.objects.exclude(slug=FIXTURE_EVENT).get()
    latest = event.entries.get(published_at="2025-09-04T19:45Z")
    assert latest.order == 11
    assert latest.mentions.filter(actor__slug="alexander-stubb", role="speaker").exists()


def test_a_changed_entry_is_recorded_as_a_correction(tmp_path: Path) -> None:
    ingest(str(SEED))
    page = tmp_path / "corrected.txt"
    page.write_text(SEED.read_text().replace("editor of the Vatfor project", "editor of Vatfor"))
    assert "0 created, 1 corrected, 9 unchanged" in ingest(str(page))
    entry = Entry.objects.exclude(event__slug=FIXTURE_EVENT).get(published_at="2025-09-04T18:28Z")
    assert entry.status == "corrected"
    assert "editor of Vatfor," in entry.body
    earlier = MiddlewareEvents.objects.tracks(entry).order_by("pgh_created_at").first()
    assert earlier is not None
    assert "editor of the Vatfor project" in earlier.pgh_data["body"]


def test_dry_run_writes_nothing() -> None:
    before = counts()
    output = ingest(str(SEED), "--dry-run")
    assert "10 created" in output
    assert "nothing would be written" in output
    assert counts() == before


def _page(tmp_path: Path, body: str, name: str = "page.txt") -> str:
    path = tmp_path / name
    path.write_text(body)
    return str(path)


LIVE = "Title of the blog\n\nThe standfirst\n\n"


@pytest.mark.parametrize(
    ("stamp", "tz", "expected"),
    [
        ("19:10 GMT", None, datetime(2025, 3, 1, 19, 10, tzinfo=UTC)),
        ("14:02 BST", None, datetime(2025, 3, 1, 13, 2, tzinfo=UTC)),
        ("19:10 MSK", None, datetime(2025, 3, 1, 16, 10, tzinfo=UTC)),
        ("7:10pm", "Europe/Moscow", datetime(2025, 3, 1, 16, 10, tzinfo=UTC)),
        ("7:10 a.m.", "America/New_York", datetime(2025, 3, 1, 12, 10, tzinfo=UTC)),
        ("2025-03-01T19:10:00+02:00", None, datetime(2025, 3, 1, 17, 10, tzinfo=UTC)),
    ],
)
def test_timestamp_formats(tmp_path: Path, stamp: str, tz: str | None, expected: datetime) -> None:
    page = _page(tmp_path, f"{LIVE}1 March 2025\n\n{stamp}\n\nSomething happened.\n")
    ingest(page, *(["--tz", tz] if tz else []))
    assert Entry.objects.get(body="Something happened.").published_at == expected


def test_a_clock_without_a_zone_needs_tz(tmp_path: Path) -> None:
    page = _page(tmp_path, f"{LIVE}1 March 2025\n\n7:10pm\n\nSomething happened.\n")
    with pytest.raises(CommandError):
        ingest(page)
    assert not Entry.objects.filter(body="Something happened.").exists()


def _feed(day: str, *entries: tuple[str, str]) -> str:
    return LIVE + f"{day}\n\n" + "".join(f"{at} GMT\n\n{text}\n\n" for at, text in entries)


def test_newest_first_pages_cross_midnight_backwards(tmp_path: Path) -> None:
    body = _feed(
        "2 March 2025",
        ("00:15", "After midnight."),
        ("23:50", "Before midnight."),
        ("22:00", "Earlier."),
    )
    ingest(_page(tmp_path, body))
    assert Entry.objects.get(body="Before midnight.").published_at == datetime(
        2025, 3, 1, 23, 50, tzinfo=UTC
    )
    assert Entry.objects.get(body="After midnight.").published_at == datetime(
        2025, 3, 2, 0, 15, tzinfo=UTC
    )


def test_oldest_first_pages_cross_midnight_forwards(tmp_path: Path) -> None:
    body = _feed(
        "1 March 2025",
        ("22:00", "Earlier."),
        ("23:50", "Before midnight."),
        ("00:15", "After midnight."),
    )
    ingest(_page(tmp_path, body))
    assert Entry.objects.get(body="After midnight.").published_at == datetime(
        2025, 3, 2, 0, 15, tzinfo=UTC
    )


def test_an_html_page_prefers_its_json_ld() -> None:
    output = ingest(str(PAGES / "live.html"))
    assert "2 created" in output
    event = Event.objects.get(url="https://news.example.org/live/summit-day")
    assert event.title == "Summit day: live"
    assert event.starts_at == datetime(2025, 9, 5, 7, 0, tzinfo=UTC)
    talks = event.entries.get(published_at=datetime(2025, 9, 5, 9, 15, tzinfo=UTC))
    assert talks.headline == "Talks resume"
    assert talks.citations.filter(source__slug="reuters").exists()
    assert talks.citations.filter(source__name="Unnamed UK officials").exists()
    assert Source.objects.get(name="Unnamed UK officials").needs_review
    arrivals = event.entries.get(published_at=datetime(2025, 9, 5, 8, 0, tzinfo=UTC))
    assert (arrivals.body, arrivals.credit) == ("Zelensky arrived at the Elysee Palace.", "AFP")
    assert not Source.objects.filter(name__icontains="getty").exists()  # a photo credit


def test_an_html_page_without_structured_data_uses_its_markup() -> None:
    ingest(str(PAGES / "markup.html"), "--tz", "Europe/Moscow")
    event = Event.objects.get(title="Crisis talks as they happened")
    times = list(event.entries.order_by("published_at").values_list("published_at", flat=True))
    assert times == [
        datetime(2025, 9, 5, 8, 5, tzinfo=UTC),
        datetime(2025, 9, 5, 16, 10, tzinfo=UTC),
    ]  # the pinned repeat is one entry
    putin = event.entries.get(published_at=datetime(2025, 9, 5, 16, 10, tzinfo=UTC))
    assert putin.body == "Putin told reporters the talks were useful."
    assert putin.mentions.filter(actor__slug="vladimir-putin").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"Caf\xe9 au lait\n", "UTF-8"),
        (b"A title\n\nJust some prose with no times at all.\n", "No timestamped entries"),
    ],
)
def test_malformed_pages_are_refused_with_no_writes(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    before = counts()
    with pytest.raises(CommandError):
        call_command("ingest", str(path), stdout=StringIO(), stderr=(err := StringIO()))
    assert message in err.getvalue()
    assert counts() == before


def test_a_50_mb_page_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("ingest", str(path), stdout=StringIO(), stderr=err)
    assert "larger than 10 MB" in err.getvalue()


def test_many_files_show_progress_and_a_summary(tmp_path: Path) -> None:
    second = _page(tmp_path, f"{LIVE}1 March 2025\n\n10:00 GMT\n\nA second page.\n")
    output = ingest(str(SEED), second)
    assert "[1/2]" in output
    assert "[2/2]" in output
    assert "unrecognised names" in output or "entries: 1 created" in output


def test_the_api_ingests_for_editors(
    editor_api: APIClient, api: APIClient, reader_api: APIClient
) -> None:
    body = SEED.read_bytes()
    assert api.post("/api/v1/events/ingest/", body, content_type="text/plain").status_code == 401
    assert (
        reader_api.post("/api/v1/events/ingest/", body, content_type="text/plain").status_code
        == 403
    )
    response = editor_api.post("/api/v1/events/ingest/", body, content_type="text/plain")
    assert response.status_code == 201
    assert response.json()["created"] == 10
    again = editor_api.post("/api/v1/events/ingest/", body, content_type="text/plain")
    assert (again.status_code, again.json()["unchanged"]) == (200, 10)


def test_the_api_explains_a_bad_page(editor_api: APIClient) -> None:
    response = editor_api.post("/api/v1/events/ingest/", b"", content_type="text/plain")
    assert response.status_code == 400
    assert "empty" in response.json()["errors"]["page"][0]
    html = (PAGES / "markup.html").read_bytes()
    response = editor_api.post("/api/v1/events/ingest/", html, content_type="text/html")
    assert response.status_code == 400
    assert "--tz" in response.json()["errors"]["page"][0]
    ok = editor_api.post(
        "/api/v1/events/ingest/?tz=Europe/Moscow&dry_run=true", html, content_type="text/html"
    )
    assert (ok.status_code, ok.json()["dry_run"], ok.json()["created"]) == (200, True, 2)
    assert not Event.objects.filter(title="Crisis talks as they happened").exists()


def test_mentions_and_citations_of_new_entries_only() -> None:
    before = (Citation.objects.count(), Mention.objects.count())
    ingest(str(SEED), "--event", FIXTURE_EVENT)
    assert (Citation.objects.count(), Mention.objects.count()) == before
