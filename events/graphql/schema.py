from typing import cast

import strawberry
import strawberry_django

from api_project.graphql.connections import CursorConnection, ListConnection
from events import models

from .filters import (
    CitationFilter,
    CitationOrder,
    EntryFilter,
    EntryOrder,
    EventFilter,
    EventOrder,
    SourceFilter,
    SourceOrder,
    search_text,
)
from .mutations import Mutation
from .search import SearchResults
from .types import CitationType, EntryType, EventType, SourceType

PAGE_CAP = 100


@strawberry.type
class Query:
    events: ListConnection[EventType] = strawberry_django.connection(
        filters=EventFilter, ordering=EventOrder, max_results=PAGE_CAP
    )
    entries: CursorConnection[EntryType] = strawberry_django.connection(
        filters=EntryFilter, ordering=EntryOrder, max_results=PAGE_CAP
    )
    sources: ListConnection[SourceType] = strawberry_django.connection(
        filters=SourceFilter, ordering=SourceOrder, max_results=PAGE_CAP
    )
    citations: ListConnection[CitationType] = strawberry_django.connection(
        filters=CitationFilter,
        ordering=CitationOrder,
        max_results=PAGE_CAP,
        description="Every link of every citation chain, in feed order (REST /citations/).",
    )

    @strawberry_django.field
    def event(self, slug: str) -> EventType | None:
        return cast("EventType | None", models.Event.objects.filter(slug=slug))

    @strawberry.field
    def search(self, q: str, first: int = 20) -> SearchResults:
        """Entries (full text), actors and sources (names and aliases), each ranked."""
        return SearchResults(q=search_text(q), first=min(max(first, 0), PAGE_CAP))


__all__ = ["Mutation", "Query"]
