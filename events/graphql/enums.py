"""The events app's enums, registered with GraphQL in place: one definition serves all.
GraphQL spells their values in capitals (SUPPORT); the database and REST keep `support`."""

import strawberry

from events.choices import CitationRole, EntryStatus, EventStatus, SourceKind

for enum in (EventStatus, EntryStatus, SourceKind, CitationRole):
    strawberry.enum(enum, name=enum.__name__)

__all__ = ["CitationRole", "EntryStatus", "EventStatus", "SourceKind"]
