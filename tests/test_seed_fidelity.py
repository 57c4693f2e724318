"""The seed fixture against the page it was encoded from: every entry, time, text and link."""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from actors.models import Mention, Stance
from events.models import Citation, Entry, Event

PAGE = Path(__file__).resolve().parent.parent / "fixtures" / "pages"
EVENT = "coalition-of-the-willing-summit-2025-09-04"
pytestmark = pytest.mark.django_db


def _page_entries() -> dict[datetime, list[str]]:
    """Read the raw page independently of the fixture: timestamp lines open entries."""
    text = (PAGE / f"{EVENT}.txt").read_text(encoding="utf-8")
    entries: dict[datetime, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        stripped = " ".join(line.split())
        if match := re.fullmatch(r"(?:• )?(\d{2}):(\d{2}) GMT", stripped):
            current = entries.setdefault(
                datetime(2025, 9, 4, int(match[1]), int(match[2]), tzinfo=UTC), []
            )
        elif stripped.startswith("Dear readers"):
            current = None
        elif current is not None and stripped:
            current.append(stripped)
    return entries


def _paragraphs(entry: Entry) -> list[str]:
    paragraphs = [p.removeprefix("## ") for p in entry.body.split("\n\n")]
    return paragraphs + ([entry.credit] if entry.credit else [])


def test_every_timestamped_entry_is_in_the_fixture_with_its_exact_utc_time() -> None:
    page = _page_entries()
    entries = Entry.objects.filter(event__slug=EVENT)
    assert len(page) == 10
    assert sorted(entry.published_at for entry in entries) == sorted(page)


def test_every_entry_keeps_its_full_text_paragraph_by_paragraph() -> None:
    page = _page_entries()
    for entry in Entry.objects.filter(event__slug=EVENT):
        assert _paragraphs(entry) == page[entry.published_at], entry.published_at


def test_entries_are_ordered_oldest_first() -> None:
    entries = Entry.objects.filter(event__slug=EVENT).order_by("order")
    times = [entry.published_at for entry in entries]
    assert times == sorted(times)
    assert [entry.order for entry in entries] == list(range(1, 11))


def test_the_event_keeps_title_standfirst_summary_and_publisher() -> None:
    event = Event.objects.select_related("publisher").get(slug=EVENT)
    page = (PAGE / f"{EVENT}.txt").read_text(encoding="utf-8")
    assert event.title in page
    assert event.standfirst in page
    normalised_page = " ".join(page.split())
    for paragraph in event.summary.split("\n\n"):
        assert paragraph in normalised_page
    assert event.starts_at == datetime(2025, 9, 4, 13, 30, tzinfo=UTC)
    assert event.status == "ended"
    assert event.publisher is not None
    assert event.publisher.slug == "rt"


def test_the_sub_headings_of_the_1620_entry_are_kept_as_headings() -> None:
    entry = Entry.objects.get(event__slug=EVENT, published_at="2025-09-04T16:20Z")
    headings = [p for p in entry.body.split("\n\n") if p.startswith("## ")]
    assert headings == ["## The No camp", "## The Maybe camp", "## The Yes camp"]


SOURCES = {
    "14:02": {"cbs-news"},
    "14:27": {"reuters", "unnamed-white-house-official"},
    "14:34": set(),
    "14:37": set(),
    "15:23": {"reuters", "finnish-media"},
    "15:58": {"zelensky-telegram"},
    "16:20": set(),
    "17:48": {"financial-times", "unnamed-pentagon-officials", "unnamed-white-house-official"},
    "18:28": {"sputnik"},
    "19:10": {"bild", "unnamed-european-officials"},
}
SPEAKERS = {
    "14:02": {"donald-trump"},
    "14:27": set(),
    "14:34": {"emmanuel-macron"},
    "14:37": {"volodymyr-zelensky"},
    "15:23": {"alexander-stubb"},
    "15:58": {"volodymyr-zelensky"},
    "16:20": {"edgars-rinkevics"},
    "17:48": set(),
    "18:28": {"sergey-poletaev"},
    "19:10": {"ursula-von-der-leyen", "steve-witkoff"},
}


def _at(hhmm: str) -> datetime:
    hours, minutes = hhmm.split(":")
    return datetime(2025, 9, 4, int(hours), int(minutes), tzinfo=UTC)


@pytest.mark.parametrize("hhmm", sorted(SOURCES))
def test_each_entry_cites_the_sources_and_speakers_the_text_names(hhmm: str) -> None:
    citations = Citation.objects.filter(entry__event__slug=EVENT, entry__published_at=_at(hhmm))
    assert {c.source.slug for c in citations if c.source} == SOURCES[hhmm]
    assert {c.speaker.slug for c in citations if c.speaker} == SPEAKERS[hhmm]


ACTORS = {
    "14:02": {"donald-trump", "russia", "ukraine", "vladimir-putin", "volodymyr-zelensky"},
    "14:27": {"donald-trump", "china", "white-house", "russia"},
    "14:34": {"emmanuel-macron", "coalition-of-the-willing", "france", "ukraine"},
    "14:37": {"volodymyr-zelensky"},
    "15:23": {
        "alexander-stubb",
        "donald-trump",
        "finland",
        "united-states",
        "russia",
        "ursula-von-der-leyen",
        "european-commission",
    },
    "15:58": {"volodymyr-zelensky", "russia", "ukraine", "united-states"},
    "16:20": {
        "edgars-rinkevics",
        "germany",
        "hungary",
        "poland",
        "italy",
        "netherlands",
        "spain",
        "latvia",
        "sweden",
        "france",
        "united-kingdom",
        "belgium",
        "lithuania",
        "estonia",
        "ukraine",
        "nato",
        "coalition-of-the-willing",
        "united-states",
    },
    "17:48": {"united-states", "russia", "pentagon", "white-house", "donald-trump"},
    "18:28": {
        "sergey-poletaev",
        "united-states",
        "vatfor",
        "coalition-of-the-willing",
        "ukraine",
        "nato",
        "donald-trump",
    },
    "19:10": {
        "donald-trump",
        "ursula-von-der-leyen",
        "steve-witkoff",
        "european-commission",
        "russia",
        "hungary",
        "slovakia",
        "india",
        "united-states",
    },
}


@pytest.mark.parametrize("hhmm", sorted(ACTORS))
def test_each_entry_mentions_the_actors_it_names(hhmm: str) -> None:
    mentions = Mention.objects.filter(entry__event__slug=EVENT, entry__published_at=_at(hhmm))
    assert {mention.actor.slug for mention in mentions} == ACTORS[hhmm]


def test_speakers_are_mentioned_as_speakers() -> None:
    for hhmm, speakers in SPEAKERS.items():
        roles = dict(
            Mention.objects.filter(entry__published_at=_at(hhmm)).values_list("actor__slug", "role")
        )
        assert all(roles[slug] == "speaker" for slug in speakers), hhmm


def _chains(hhmm: str) -> set[tuple[str, ...]]:
    citations = Citation.objects.filter(entry__published_at=_at(hhmm)).select_related(
        "source", "speaker", "via__source", "via__speaker"
    )
    leaves = [c for c in citations if not c.relays.exists()]
    return {tuple(c.chain()) for c in leaves}


def test_stubb_reached_the_entry_through_finnish_media_and_reuters() -> None:
    assert _chains("15:23") == {("Reuters", "Finnish media", "Alexander Stubb")}
    quotes = set(
        Citation.objects.filter(
            entry__published_at=_at("15:23"), speaker__slug="alexander-stubb"
        ).values_list("quote", flat=True)
    )
    assert quotes == {
        "we must act together on sanctions policy.",
        "two targets, namely oil and gas",
    }


def test_reuters_cites_an_unnamed_white_house_official() -> None:
    assert _chains("14:27") == {("Reuters", "Unnamed White House official")}


def test_bild_carries_von_der_leyen_witkoff_and_european_officials() -> None:
    assert _chains("19:10") == {
        ("Bild", "Ursula von der Leyen"),
        ("Bild", "Steve Witkoff"),
        ("Bild", "Unnamed European officials"),
    }


def test_the_financial_times_carries_the_pentagon_and_the_white_house() -> None:
    assert _chains("17:48") == {
        ("Financial Times", "Unnamed Pentagon officials"),
        ("Financial Times", "Unnamed White House official"),
    }


def test_the_telegram_channel_is_operated_by_zelensky() -> None:
    citation = Citation.objects.filter(entry__published_at=_at("15:58")).first()
    assert citation is not None
    assert citation.source is not None
    assert citation.source.operator is not None
    assert citation.source.operator.slug == "volodymyr-zelensky"


def _camps(at: datetime) -> dict[str, set[str]]:
    camps: dict[str, set[str]] = {}
    for position, actor in (
        Stance.objects.valid_at(at)
        .filter(topic__slug="troops-to-ukraine")
        .values_list("position", "actor__slug")
    ):
        camps.setdefault(position, set()).add(actor)
    return camps


def test_the_troops_topic_at_1620_gives_the_yes_no_and_maybe_camps() -> None:
    camps = _camps(_at("16:20"))
    assert camps["support"] == {"france", "united-kingdom", "belgium", "lithuania", "estonia"}
    # The article's No camp, plus the USA, whose refusal the event's summary states.
    assert camps["oppose"] == {
        "germany",
        "hungary",
        "poland",
        "italy",
        "netherlands",
        "spain",
        "united-states",
    }
    assert camps["undecided"] == {"latvia", "sweden"}


def test_before_1620_only_the_summary_stances_hold() -> None:
    camps = _camps(_at("16:00"))
    assert camps == {
        "support": {"france", "united-kingdom"},
        "oppose": {"germany", "united-states"},
    }


def test_the_1620_camps_rest_on_the_1620_entry() -> None:
    stances = Stance.objects.filter(topic__slug="troops-to-ukraine", valid_from=_at("16:20"))
    assert stances.count() == 13  # the 14 camp members but the USA, from the summary
    assert {s.evidence.published_at for s in stances if s.evidence} == {_at("16:20")}


def test_summary_stances_cite_the_event_summary() -> None:
    summary_stances = Stance.objects.filter(evidence_event__slug=EVENT)
    assert set(summary_stances.values_list("actor__slug", "topic__slug", "position")) == {
        ("france", "troops-to-ukraine", "support"),
        ("united-kingdom", "troops-to-ukraine", "support"),
        ("germany", "troops-to-ukraine", "oppose"),
        ("united-states", "troops-to-ukraine", "oppose"),
        ("russia", "nato-troops-in-ukraine", "oppose"),
        ("vladimir-putin", "end-western-military-aid", "support"),
        ("ukraine", "security-guarantees-for-ukraine", "support"),
        ("united-states", "ukraine-joins-nato", "oppose"),
    }


def test_sanctions_positions_are_recorded() -> None:
    supporters = set(
        Stance.objects.filter(topic__slug="new-sanctions-on-russia").values_list(
            "actor__slug", flat=True
        )
    )
    assert supporters == {"donald-trump", "volodymyr-zelensky"}


def test_every_fixture_stance_is_verified_and_sourced() -> None:
    assert Stance.objects.count() == 34
    assert not Stance.objects.exclude(status="verified").exists()
