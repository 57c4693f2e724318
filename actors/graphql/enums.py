"""The actors app's enums, registered with GraphQL in place: one definition serves all.
GraphQL spells their values in capitals (SUPPORT); the database and REST keep `support`."""

import strawberry

from actors.choices import ActorKind, CurationStatus, MentionRole, Position, StanceKind

for enum in (ActorKind, MentionRole, Position, StanceKind, CurationStatus):
    strawberry.enum(enum, name=enum.__name__)

__all__ = ["ActorKind", "CurationStatus", "MentionRole", "Position", "StanceKind"]
