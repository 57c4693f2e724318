"""Ingest a page: create the event if it is new, add the entries that are new, record changed
ones as corrections, link actors and sources, all in one transaction.

Entries are matched by their time (and, within one minute, their place): an unchanged entry is
left alone (an editor may have curated it); a changed text is a correction (status corrected,
the earlier text kept by the audit trail); a new one is created with its links.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import pghistory
from django.db import connection, transaction
from django.db.models import Max
from django.utils.text import slugify

from api_project.history import INGEST

from ..choices import EntryStatus, EventStatus, SourceKind
from ..models import Entry, Event, Source
from ..services import CitationSpec, MentionSpec, entry_save, record_save
from .html import parse_html
from .linking import FoundCitation, Gazetteer, Links, link_entry
from .page import PageError, ParsedEntry, ParsedPage
from .text import parse_text

MAX_BYTES = 10 * 1024 * 1024
# Ingests take turns: two processes ingesting one page at once would both find its event,
# entries and new sources missing and both create them. Pages are few, so each ingest's
# transaction holds this advisory lock (any number; it names ingestion) instead of racing.
INGEST_LOCK = 0x1A6E57


@dataclass
class IngestReport:
    event: str = ""
    event_created: bool = False
    created: int = 0
    corrected: int = 0
    unchanged: int = 0
    new_sources: list[str] = field(default_factory=list)
    unrecognised: set[str] = field(default_factory=set)
    dry_run: bool = False

    def lines(self) -> list[str]:
        verb = "would be" if self.dry_run else "were"
        lines = [
            f"event {self.event}: {'created' if self.event_created else 'existing'}",
            f"entries: {self.created} created, {self.corrected} corrected, "
            f"{self.unchanged} unchanged",
        ]
        if self.new_sources:
            lines.append(f"new sources (marked for review): {', '.join(self.new_sources)}")
        if self.unrecognised:
            lines.append(f"unrecognised names: {', '.join(sorted(self.unrecognised))}")
        if self.dry_run:
            lines.append(f"dry run: nothing {verb} written")
        return lines


def decode_page(raw: bytes) -> str:
    """The page as text, or a clear refusal: empty, too large, binary, not UTF-8."""
    if len(raw) > MAX_BYTES:
        raise PageError(f"The page is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    if not raw.strip():
        raise PageError("The page is empty.")
    if b"\x00" in raw:
        raise PageError("The page is binary data, not text or HTML.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PageError("The page is not UTF-8 text.") from None


def parse_page(text: str, tz: str | None = None) -> ParsedPage:
    head = text.lstrip()[:512].lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in text[:4096].lower():
        return parse_html(text, tz)
    return parse_text(text, tz)


def ingest_page(
    raw: bytes, *, tz: str | None = None, event_slug: str | None = None, dry_run: bool = False
) -> IngestReport:
    page = parse_page(decode_page(raw), tz)
    report = IngestReport(dry_run=dry_run)
    with pghistory.context(origin=INGEST), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [INGEST_LOCK])
        event = _event(page, event_slug, report)
        gazetteer = Gazetteer.from_database()
        _entries(event, page.chronological(), gazetteer, report)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _event(page: ParsedPage, slug: str | None, report: IngestReport) -> Event:
    found = None
    if slug:
        found = Event.objects.filter(slug=slug).first()
    elif page.url:
        found = Event.objects.filter(url=page.url).first()
    first = page.chronological()[0].published_at
    slug = slug or f"{slugify(page.title)[:150]}-{first:%Y-%m-%d}"
    found = found or Event.objects.filter(slug=slug).first()
    if found is not None:
        report.event = found.slug
        if page.ended and found.status != EventStatus.ENDED:
            found.status = EventStatus.ENDED
            record_save(instance=found)
        return found
    event = Event(
        slug=slug,
        title=page.title[:300],
        standfirst=page.standfirst,
        summary="\n\n".join(page.summary),
        starts_at=page.opened_at or first,
        status=EventStatus.ENDED if page.ended else EventStatus.LIVE,
        url=page.url,
        language=page.language,
        publisher=Source.objects.filter(name__iexact=page.publisher).first()
        if page.publisher
        else None,
    )
    record_save(instance=event)
    report.event, report.event_created = event.slug, True
    return event


def _entries(
    event: Event, parsed: list[ParsedEntry], gazetteer: Gazetteer, report: IngestReport
) -> None:
    existing: dict[datetime, list[Entry]] = defaultdict(list)
    for entry in event.entries.order_by("published_at", "order"):
        existing[entry.published_at].append(entry)
    seen: dict[datetime, int] = defaultdict(int)
    next_order = (event.entries.aggregate(top=Max("order"))["top"] or 0) + 1
    for item in parsed:
        index = seen[item.published_at]
        seen[item.published_at] += 1
        matches = existing.get(item.published_at, [])
        if index < len(matches):
            _update(matches[index], item, report)
            continue
        entry = Entry(
            event=event,
            published_at=item.published_at,
            order=next_order,
            headline=item.headline[:300],
            body=item.body,
            credit=item.credit[:200],
        )
        next_order += 1
        links = link_entry(item.body, gazetteer)
        report.unrecognised |= links.unrecognised
        entry_save(
            entry=entry,
            citations=_citation_specs(links, report),
            mentions=[MentionSpec(actor=a, role=r) for a, r in links.mentions.values()],
        )
        report.created += 1


def _update(entry: Entry, item: ParsedEntry, report: IngestReport) -> None:
    if (entry.body, entry.headline, entry.credit) == (item.body, item.headline, item.credit):
        report.unchanged += 1
        return
    entry.body, entry.headline, entry.credit = item.body, item.headline, item.credit
    entry.status = EntryStatus.CORRECTED
    record_save(instance=entry)
    report.corrected += 1


def _citation_specs(links: Links, report: IngestReport) -> list[CitationSpec]:
    keys = {id(c): f"c{i}" for i, c in enumerate(links.citations)}
    return [
        CitationSpec(
            role=c.role,
            source=_source(c, report),
            speaker=c.speaker,
            quote=c.quote,
            key=keys[id(c)],
            via=keys.get(id(c.via)) if c.via is not None else None,
        )
        for c in links.citations
    ]


def _source(citation: FoundCitation, report: IngestReport) -> Source | None:
    """A known source, or a new one marked for an editor's review."""
    if citation.source is not None or not citation.new_source:
        return citation.source
    name = citation.new_source[:200]
    existing = Source.objects.filter(name__iexact=name).first()
    if existing is not None:
        return existing
    source = Source(
        name=name,
        slug=_free_slug(slugify(name)[:190] or "source"),
        kind=citation.new_source_kind or SourceKind.MEDIA,
        needs_review=True,
    )
    record_save(instance=source)
    report.new_sources.append(name)
    return source


def _free_slug(base: str) -> str:
    slug, n = base, 1
    while Source.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
