from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django
from strawberry import relay

from api_project.graphql.connections import CursorConnection
from api_project.graphql.versions import version_field
from events import models

from .enums import CitationRole, EntryStatus, EventStatus, SourceKind
from .filters import EntryFilter, EntryOrder

if TYPE_CHECKING:
    from actors.graphql.types import ActorType, MentionType, StanceType

ActorRef = Annotated["ActorType", strawberry.lazy("actors.graphql.types")]
MentionRef = Annotated["MentionType", strawberry.lazy("actors.graphql.types")]
StanceRef = Annotated["StanceType", strawberry.lazy("actors.graphql.types")]

# A chain's links, loaded with the citation; longer chains cost a query per extra link.
CHAIN_HINTS = [
    "source",
    "speaker",
    "via__source",
    "via__speaker",
    "via__via__source",
    "via__via__speaker",
]
# The columns the chain reads on those links, so that selecting `source { slug }` beside
# `chain` (which narrows what the optimizer loads of the source) never defers a name.
CHAIN_COLUMNS = [
    f"{link}{column}"
    for link in ("", "via__", "via__via__")
    for column in ("via_id", "source__name", "speaker__name")
]


@strawberry_django.type(models.Source, name="Source")
class SourceType(relay.Node):
    name: strawberry.auto
    slug: strawberry.auto
    kind: SourceKind
    url: strawberry.auto
    country: strawberry.auto
    operator: ActorRef | None
    needs_review: strawberry.auto
    version: str = version_field(models.Source)
    created_at: datetime
    updated_at: datetime


@strawberry_django.type(models.Event, name="Event")
class EventType(relay.Node):
    slug: strawberry.auto
    title: strawberry.auto
    standfirst: strawberry.auto
    summary: strawberry.auto
    location: strawberry.auto
    starts_at: datetime
    ends_at: datetime | None
    status: EventStatus
    publisher: SourceType | None
    url: strawberry.auto
    language: strawberry.auto
    entries: CursorConnection["EntryType"] = strawberry_django.connection(
        filters=EntryFilter, ordering=EntryOrder, max_results=100
    )
    version: str = version_field(models.Event)
    created_at: datetime
    updated_at: datetime


@strawberry_django.type(models.Citation, name="Citation")
class CitationType(relay.Node):
    """One link of a citation chain; `via` is the link it came through."""

    entry: "EntryType"
    role: CitationRole
    quote: strawberry.auto
    source: SourceType | None
    speaker: ActorRef | None
    via: "CitationType | None"
    created_at: datetime
    updated_at: datetime

    @strawberry_django.field(select_related=CHAIN_HINTS, only=CHAIN_COLUMNS)
    def chain(self, root: models.Citation) -> list[str]:
        """The whole chain spelled out, outermost first: Reuters, Finnish media, Stubb."""
        return root.chain()


@strawberry_django.type(models.Entry, name="Entry", filters=EntryFilter, ordering=EntryOrder)
class EntryType(relay.Node):
    event: EventType
    published_at: datetime
    order: strawberry.auto
    headline: strawberry.auto
    body: strawberry.auto
    credit: strawberry.auto
    status: EntryStatus
    citations: list[CitationType]
    mentions: list[MentionRef]
    stances: list[StanceRef]
    version: str = version_field(models.Entry)
    created_at: datetime
    updated_at: datetime
