from datetime import datetime

import strawberry
import strawberry_django
from strawberry import relay

from actors import models

from .enums import ActorKind, CurationStatus, Position, StanceKind


@strawberry_django.input(models.Actor)
class ActorInput:
    name: strawberry.auto
    slug: strawberry.auto
    kind: ActorKind
    aliases: list[str] | None = strawberry.UNSET
    country: strawberry.auto
    title: strawberry.auto
    wikidata_id: strawberry.auto
    description: strawberry.auto


@strawberry_django.partial(models.Actor)
class ActorPartialInput(ActorInput):
    id: relay.GlobalID
    kind: ActorKind | None  # type: ignore[assignment]


@strawberry_django.input(models.Topic)
class TopicInput:
    slug: strawberry.auto
    title: strawberry.auto
    description: strawberry.auto


@strawberry_django.partial(models.Topic)
class TopicPartialInput(TopicInput):
    id: relay.GlobalID


@strawberry.input
class StanceInput:
    """A stance to record; it starts as proposed unless `status` says otherwise. Its evidence
    is an entry (`evidence`, an Entry id) or an event's summary (`evidenceEvent`, a slug)."""

    actor: str = strawberry.field(description="Actor slug.")
    topic: str = strawberry.field(description="Topic slug.")
    source: str = strawberry.field(description="Source slug.")
    position: Position
    kind: StanceKind
    summary: str
    valid_from: datetime
    quote: str = ""
    curator_note: str = ""
    evidence: relay.GlobalID | None = None
    evidence_event: str | None = None
    stated_at: datetime | None = None
    valid_until: datetime | None = None
    status: CurationStatus = CurationStatus.PROPOSED


@strawberry.input
class StanceUpdateInput:
    """Fields left out keep their values."""

    id: relay.GlobalID
    position: Position | None = strawberry.UNSET
    kind: StanceKind | None = strawberry.UNSET
    summary: str | None = strawberry.UNSET
    quote: str | None = strawberry.UNSET
    curator_note: str | None = strawberry.UNSET
    stated_at: datetime | None = strawberry.UNSET
    valid_from: datetime | None = strawberry.UNSET
    valid_until: datetime | None = strawberry.UNSET
