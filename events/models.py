"""The coverage itself: events, their timestamped entries, and the sources entries cite."""

import pghistory
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api_project.constraints import choices_check, country_check, range_check
from api_project.countries import validate_country_code

from .choices import CitationRole, EntryStatus, EventStatus, SourceKind


def unix_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Source(models.Model):
    """An outlet or channel that entries cite: an agency, a paper, a Telegram channel, an
    unnamed official. `operator` is the actor behind a channel (Zelensky runs his own)."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=24, choices=SourceKind.choices)
    url = models.URLField(blank=True, help_text=_("Home page or channel address."))
    country = models.CharField(
        max_length=2,
        blank=True,
        validators=[validate_country_code],
        help_text=_("ISO 3166-1 alpha-2, in capitals: GB, FR, US."),
    )
    operator = models.ForeignKey(
        "actors.Actor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="operated_sources",
    )
    needs_review = models.BooleanField(
        default=False, help_text=_("Created automatically; an editor has not confirmed it yet.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            choices_check("kind", SourceKind, "events_source_kind_valid"),
            country_check("country", "events_source_country_code"),
        ]

    def __str__(self) -> str:
        return self.name


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Event(models.Model):
    """A story covered live (a summit, a crisis day): the page its entries belong to."""

    slug = models.SlugField(max_length=200, unique=True)
    title = models.CharField(max_length=300)
    standfirst = models.TextField(blank=True, help_text=_("The line under the headline."))
    summary = models.TextField(blank=True, help_text=_("The introduction, paragraphs kept."))
    location = models.CharField(max_length=200, blank=True)
    starts_at = models.DateTimeField(help_text=_("When coverage opened."))
    ends_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=EventStatus.choices)
    publisher = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, related_name="published_events"
    )
    url = models.URLField(blank=True, help_text=_("Canonical address of the live page."))
    language = models.CharField(max_length=16, default="en", help_text=_("BCP 47 tag."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_at", "id"]
        constraints = [
            choices_check("status", EventStatus, "events_event_status_valid"),
            range_check(
                "starts_at",
                "ends_at",
                "events_event_ends_after_start",
                "An event cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        self.summary = unix_newlines(self.summary)


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    exclude=["search_vector"],
)
class Entry(models.Model):
    """One timestamped post of an event's feed.

    `body` keeps the paragraphs, separated by blank lines; a sub-heading inside the entry is a
    paragraph starting with "## ". `order` is the entry's place in the feed, oldest first.
    """

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="entries")
    published_at = models.DateTimeField(db_index=True)
    order = models.PositiveIntegerField(
        blank=True,
        help_text=_("Place in the event's feed; left blank, the next place after its last entry."),
    )
    headline = models.CharField(max_length=300, blank=True)
    body = models.TextField()
    credit = models.CharField(max_length=200, blank=True, help_text=_("Trailing credit line."))
    status = models.CharField(
        max_length=16, choices=EntryStatus.choices, default=EntryStatus.PUBLISHED
    )
    sources: "models.ManyToManyField[Source, Citation]" = models.ManyToManyField(
        Source, through="Citation", related_name="entries"
    )
    actors = models.ManyToManyField(
        "actors.Actor", through="actors.Mention", related_name="entries"
    )
    search_vector = models.GeneratedField(
        expression=SearchVector("headline", weight="A", config="english")
        + SearchVector("body", weight="B", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "entries"
        ordering = ["published_at", "id"]
        constraints = [
            choices_check("status", EntryStatus, "events_entry_status_valid"),
            models.UniqueConstraint(
                fields=["event", "order"],
                name="events_entry_unique_order",
                violation_error_message="Another entry of this event has this place in the feed.",
                violation_error_code="unique",
            ),
            models.CheckConstraint(
                condition=~Q(body=""),
                name="events_entry_body_not_empty",
                violation_error_message="An entry needs a body.",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "published_at"], name="events_entry_event_time"),
            GinIndex(fields=["search_vector"], name="events_entry_search"),
        ]

    def __str__(self) -> str:
        return f"{self.published_at:%Y-%m-%d %H:%M} {self.headline or self.body[:60]}"

    @property
    def chained_citations(self) -> list["Citation"]:
        """The citations (prefetched), each linked to the one it came through."""
        return Citation.link_chains(list(self.citations.all()))

    def clean(self) -> None:
        """Browsers send text areas with CRLF line ends; the record keeps the text as it was."""
        super().clean()
        self.body = unix_newlines(self.body)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Citation(models.Model):
    """An attribution inside an entry, kept as a chain.

    `via` is the citation through which this one reached the entry: "Stubb told Finnish media,
    according to Reuters" is Reuters (reported by) ← Finnish media (quoted, speaker Stubb). A link
    names a source, a speaker, or both; `via` stays inside the same entry (a composite foreign
    key in the database) and never points at itself.
    """

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, related_name="citations"
    )
    speaker = models.ForeignKey(
        "actors.Actor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="citations",
        help_text=_("The person or body whose words are quoted."),
    )
    role = models.CharField(max_length=16, choices=CitationRole.choices)
    quote = models.TextField(blank=True, help_text=_("The quoted words, verbatim."))
    via = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="relays"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["entry", "id"]
        constraints = [
            choices_check("role", CitationRole, "events_citation_role_valid"),
            models.CheckConstraint(
                condition=Q(source__isnull=False) | Q(speaker__isnull=False),
                name="events_citation_names_someone",
                violation_error_message="A citation names a source, a speaker, or both.",
            ),
            models.CheckConstraint(
                condition=Q(via__isnull=True) | ~Q(via=F("id")),
                name="events_citation_not_via_itself",
                violation_error_message="A citation cannot reach the entry through itself.",
            ),
            # Target of the composite foreign key (via_id, entry_id) added in the migration.
            models.UniqueConstraint(fields=["id", "entry"], name="events_citation_id_entry"),
        ]

    def __str__(self) -> str:
        return " ← ".join(self.chain())

    def clean(self) -> None:
        super().clean()
        if self.via_id is None:
            return
        via = self.via
        if via is not None and self.entry_id is not None and via.entry_id != self.entry_id:
            raise ValidationError({"via": _("A chain stays inside one entry.")})
        seen = {self.pk}
        while via is not None:
            if via.pk in seen:
                raise ValidationError({"via": _("This would make the chain a loop.")})
            seen.add(via.pk)
            via = via.via

    @staticmethod
    def link_chains(citations: list["Citation"]) -> list["Citation"]:
        """Point each citation's `via` at its partner in `citations` (one entry's, already
        loaded), so spelling out chains needs no further queries."""
        by_id = {citation.pk: citation for citation in citations}
        for citation in citations:
            if citation.via_id in by_id:
                citation.via = by_id[citation.via_id]
        return citations

    def links(self) -> list["Citation"]:
        """This citation and those it came through, outermost (the reporting outlet) first."""
        chain: list[Citation] = []
        link: Citation | None = self
        while link is not None and link not in chain:
            chain.append(link)
            link = link.via
        return chain[::-1]

    def chain(self) -> list[str]:
        """The chain spelled out, outermost first: Reuters, Finnish media, Alexander Stubb."""
        labels: list[str] = []
        for link in self.links():
            labels.extend(str(part) for part in (link.source, link.speaker) if part is not None)
        return labels


class DataVersion(models.Model):
    """The record's version: one row, bumped by database triggers after every statement that
    writes a record table, however the write arrives (ORM, bulk update, raw SQL, ingestion).
    Response caches and Last-Modified headers key on it, so they are never stale."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField()

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="events_dataversion_one_row")]

    def __str__(self) -> str:
        return f"v{self.version} at {self.changed_at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def current(cls) -> "DataVersion":
        """The version now; a table emptied wholesale (a test flush) starts again at 0. Read
        with one plain statement: every cached read asks, so the ORM's query building showed
        in the profile of a cache hit."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT version, changed_at FROM {cls._meta.db_table} WHERE id = 1")
            row = cursor.fetchone()
        if row is None:
            return cls(version=0, changed_at=timezone.now())
        return cls(id=1, version=row[0], changed_at=row[1])
