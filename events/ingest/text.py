"""Plain-text pages: a live blog copied or saved as text, like the seed.

Lines are read top to bottom: page chrome (icon lists) and footers (comment policy, podcast
players) are dropped; a date line ("4 Sep, 2025 13:30") opens the coverage; the title, the
standfirst and the summary come before the first timestamp; date headers ("04 September 2025")
set the day; each timestamp line ("19:10 GMT", "7:10pm", an ISO stamp) opens an entry whose
paragraphs follow it.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from .clock import Clock, parse_clock, parse_date, parse_iso, to_utc, zone_named
from .page import PageError, ParsedEntry, ParsedPage

FOOTERS = ("dear readers", "podcasts", "please check our commenting policy", "share this")
ENDED = re.compile(r"^this live (feed|blog|coverage) (has )?(now )?ended", re.IGNORECASE)
SENTENCE_END = tuple('.!?:;"”’)…')


@dataclass
class _RawEntry:
    day: date | None
    clock: Clock | None
    stamp: datetime | None
    paragraphs: list[str] = field(default_factory=list)


def _is_chrome(line: str) -> bool:
    return line.count("icon") >= 5


def _timestamp(line: str) -> tuple[Clock | None, datetime | None] | None:
    candidate = line.lstrip("•").strip()
    if stamp := parse_iso(candidate):
        return None, stamp
    if clock := parse_clock(candidate):
        return clock, None
    return None


def _dateline(line: str) -> tuple[date, Clock | None] | None:
    """A date, optionally followed by a clock: "4 Sep, 2025 13:30"."""
    day = parse_date(line)
    if day is None:
        return None
    rest = re.sub(r"^.*?\d{4}", "", line, count=1).strip(" ,")
    if not rest:
        return day, None
    clock = parse_clock(rest)
    return (day, clock) if clock else None


def is_subheading(paragraph: str, followed: bool) -> bool:
    """A short line with no sentence ending, followed by more text, heads what follows."""
    return followed and len(paragraph.split()) <= 8 and not paragraph.endswith(SENTENCE_END)


def is_credit(paragraph: str) -> bool:
    """A trailing "RT" or "AFP / Getty": a credit line, not a paragraph or a source."""
    return len(paragraph.split()) <= 4 and not paragraph.endswith(SENTENCE_END)


def shape_entry(paragraphs: list[str]) -> tuple[list[str], str]:
    """Mark sub-headings with "## " and split off a trailing credit line."""
    credit = ""
    if len(paragraphs) > 1 and is_credit(paragraphs[-1]):
        credit, paragraphs = paragraphs[-1], paragraphs[:-1]
    shaped = [
        f"## {p}" if not p.startswith("## ") and is_subheading(p, i + 1 < len(paragraphs)) else p
        for i, p in enumerate(paragraphs)
    ]
    return shaped, credit


def parse_text(text: str, tz: str | None = None) -> ParsedPage:
    lines = [" ".join(line.split()) for line in text.splitlines()]
    header: list[str] = []
    raw: list[_RawEntry] = []
    day: date | None = None
    opened: tuple[date, Clock | None] | None = None
    ended = False
    for line in lines:
        if not line or _is_chrome(line):
            continue
        if line.lower().startswith(FOOTERS):
            break
        if ENDED.match(line):
            ended = True
            continue
        if (stamp := _timestamp(line)) is not None:
            raw.append(_RawEntry(day, stamp[0], stamp[1]))
            continue
        if (dateline := _dateline(line)) is not None:
            day = dateline[0]
            if opened is None and not raw and dateline[1] is not None:
                opened = dateline
            continue
        (raw[-1].paragraphs if raw else header).append(line)
    if not raw:
        raise PageError("No timestamped entries found: is this a live blog?")
    zone = _default_zone(raw, tz)
    entries = _date_entries(raw, zone)
    title, standfirst, summary = _header(header)
    opened_at = to_utc(opened[0], opened[1], zone) if opened and opened[1] else None
    return ParsedPage(
        title=title,
        standfirst=standfirst,
        summary=summary,
        entries=entries,
        opened_at=opened_at,
        ended=ended,
    )


def _header(lines: list[str]) -> tuple[str, str, list[str]]:
    """Title, standfirst, then the summary; a repeated title (pages print it twice) is dropped."""
    if not lines:
        raise PageError("No title found before the first entry.")
    title, rest = lines[0], [line for line in lines[1:] if line != lines[0]]
    standfirst = rest[0] if rest else ""
    return title, standfirst, rest[1:]


def _default_zone(raw: list[_RawEntry], tz: str | None) -> ZoneInfo | timedelta | None:
    """--tz if given, else the zone most entries name, for the times that name none."""
    if tz:
        return zone_named(tz)
    named = Counter(entry.clock.zone for entry in raw if entry.clock and entry.clock.zone)
    return zone_named(named.most_common(1)[0][0]) if named else None


def _date_entries(raw: list[_RawEntry], zone: ZoneInfo | timedelta | None) -> list[ParsedEntry]:
    """Give every clock time its date. Pages list entries newest first or oldest first; a
    clock going the "wrong" way between two entries of one date header means midnight passed."""
    newest_first = _newest_first(raw)
    entries = []
    previous: _RawEntry | None = None
    shift = 0
    for item in raw:
        if item.stamp is not None:
            published = item.stamp
        else:
            if item.day is None or item.clock is None:
                raise PageError(f"Entry '{' '.join(item.paragraphs)[:60]}' has a time but no date.")
            if previous and previous.clock and previous.day == item.day:
                crossed = (
                    item.clock.at > previous.clock.at
                    if newest_first
                    else item.clock.at < previous.clock.at
                )
                if crossed:
                    shift += -1 if newest_first else 1
            elif previous and previous.day != item.day:
                shift = 0
            published = to_utc(item.day + timedelta(days=shift), item.clock, zone)
        paragraphs, credit = shape_entry(item.paragraphs)
        if not paragraphs:
            raise PageError(f"The entry at {published:%Y-%m-%d %H:%M} UTC has no text.")
        entries.append(ParsedEntry(published.astimezone(UTC), paragraphs, credit=credit))
        previous = item
    return entries


def _newest_first(raw: list[_RawEntry]) -> bool:
    """Which way the page runs, from steps between clock times under one date header; a step
    of more than twelve hours is midnight passing and says nothing about the direction."""
    down = up = 0
    for before, after in pairwise(raw):
        if before.clock and after.clock and before.day == after.day:
            step = _minutes(after.clock) - _minutes(before.clock)
            if 0 < abs(step) <= 12 * 60:
                down, up = down + (step < 0), up + (step > 0)
    return down > up


def _minutes(clock: Clock) -> int:
    return clock.at.hour * 60 + clock.at.minute
