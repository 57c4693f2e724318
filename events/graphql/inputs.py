from datetime import datetime

import strawberry
import strawberry_django
from strawberry import relay

from actors.graphql.enums import MentionRole
from events import models

from .enums import CitationRole, EntryStatus, EventStatus, SourceKind


@strawberry.input
class CitationInput:
    """One link of a chain. `via` names the `key` of another link in the same list (not
    itself, not in a loop):
    [{key: "r", source: "reuters", role: REPORTED_BY}, {source: "finnish-media",
    speaker: "alexander-stubb", role: QUOTED, via: "r"}]."""

    role: CitationRole
    source: str | None = strawberry.field(default=None, description="Source slug.")
    speaker: str | None = strawberry.field(default=None, description="Actor slug.")
    quote: str = ""
    key: str | None = None
    via: str | None = None


@strawberry.input
class MentionInput:
    actor: str = strawberry.field(description="Actor slug.")
    role: MentionRole


@strawberry.input
class EntryInput:
    event: str = strawberry.field(description="Event slug.")
    published_at: datetime
    order: int | None = strawberry.field(
        default=None,
        description="Place in the event's feed; left out, the next place after its last entry.",
    )
    body: str
    headline: str = ""
    credit: str = ""
    status: EntryStatus = EntryStatus.PUBLISHED
    citations: list[CitationInput] = strawberry.field(default_factory=list)
    mentions: list[MentionInput] = strawberry.field(default_factory=list)


@strawberry.input
class EntryUpdateInput:
    """Fields left out keep their values; `citations` or `mentions`, when given, replace the
    entry's whole list."""

    id: relay.GlobalID
    published_at: datetime | None = strawberry.UNSET
    order: int | None = strawberry.UNSET
    body: str | None = strawberry.UNSET
    headline: str | None = strawberry.UNSET
    credit: str | None = strawberry.UNSET
    status: EntryStatus | None = strawberry.UNSET
    citations: list[CitationInput] | None = strawberry.UNSET
    mentions: list[MentionInput] | None = strawberry.UNSET


@strawberry_django.input(models.Event)
class EventInput:
    slug: strawberry.auto
    title: strawberry.auto
    standfirst: strawberry.auto
    summary: strawberry.auto
    location: strawberry.auto
    starts_at: strawberry.auto
    ends_at: strawberry.auto
    status: EventStatus
    publisher: strawberry.auto
    url: strawberry.auto
    language: strawberry.auto


@strawberry_django.partial(models.Event)
class EventPartialInput(EventInput):
    id: relay.GlobalID
    status: EventStatus | None  # type: ignore[assignment]


@strawberry_django.input(models.Source)
class SourceInput:
    name: strawberry.auto
    slug: strawberry.auto
    kind: SourceKind
    url: strawberry.auto
    country: strawberry.auto
    operator: strawberry.auto
    needs_review: strawberry.auto


@strawberry_django.partial(models.Source)
class SourcePartialInput(SourceInput):
    id: relay.GlobalID
    kind: SourceKind | None  # type: ignore[assignment]
