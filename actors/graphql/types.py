from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
import strawberry_django
from django.db.models import QuerySet
from strawberry import Info, relay

from actors import models
from actors.conflicts import overlapping
from actors.querysets import visible_to
from api_project.graphql.connections import ListConnection
from api_project.graphql.versions import version_field

from .enums import ActorKind, CurationStatus, MentionRole, Position, StanceKind
from .filters import StanceFilter, StanceOrder

if TYPE_CHECKING:
    from events.graphql.types import EntryType, EventType, SourceType

EntryRef = Annotated["EntryType", strawberry.lazy("events.graphql.types")]
EventRef = Annotated["EventType", strawberry.lazy("events.graphql.types")]
SourceRef = Annotated["SourceType", strawberry.lazy("events.graphql.types")]


@strawberry_django.type(models.Stance, name="Stance", filters=StanceFilter, ordering=StanceOrder)
class StanceType(relay.Node):
    actor: "ActorType"
    topic: "TopicType"
    position: Position
    kind: StanceKind
    summary: strawberry.auto
    quote: strawberry.auto
    evidence: EntryRef | None
    evidence_event: EventRef | None
    source: SourceRef
    stated_at: datetime | None
    valid_from: datetime
    valid_until: datetime | None
    status: CurationStatus
    decided_at: datetime | None
    curator_note: str = strawberry_django.field(
        description="Why the stance was decided as it was, for the next editor."
    )
    same_as: "StanceType | None" = strawberry_django.field(
        description="The verified stance this one is further evidence of (status CORROBORATES)."
    )
    corroborations: list["StanceType"] = strawberry_django.field(
        description="Further evidence of this stance: the stances marked the same as it."
    )
    version: str = version_field(models.Stance)
    created_at: datetime
    updated_at: datetime

    @strawberry_django.field(
        description="The verified stances of the same actor on the same topic whose span "
        "overlaps this one's: what verifying it would clash with (supersedeStance or "
        "markSameStance settles it)."
    )
    def overlapping(self, info: Info) -> list["StanceType"]:
        found = overlapping(self).filter(visible_to(info.context.request.user))  # type: ignore[arg-type]
        return list(found)  # type: ignore[arg-type]

    @classmethod
    def get_queryset(cls, queryset: QuerySet[Any], info: Info, **kwargs: Any) -> QuerySet[Any]:
        """Every path to a stance (lists, relations, node) shows only what the viewer may see."""
        return queryset.filter(visible_to(info.context.request.user))


@strawberry_django.type(models.Membership, name="Membership")
class MembershipType(relay.Node):
    group: "ActorType"
    role: strawberry.auto
    started_on: date | None
    ended_on: date | None


@strawberry_django.type(models.Actor, name="Actor")
class ActorType(relay.Node):
    name: strawberry.auto
    slug: strawberry.auto
    kind: ActorKind
    aliases: list[str]
    country: strawberry.auto
    title: strawberry.auto
    wikidata_id: strawberry.auto
    description: strawberry.auto
    memberships: list[MembershipType]
    stances: ListConnection[StanceType] = strawberry_django.connection(
        filters=StanceFilter, ordering=StanceOrder, max_results=100
    )
    mentions: ListConnection["MentionType"] = strawberry_django.connection(max_results=100)
    version: str = version_field(models.Actor)
    created_at: datetime
    updated_at: datetime


@strawberry_django.type(models.Mention, name="Mention")
class MentionType(relay.Node):
    entry: EntryRef
    actor: ActorType
    role: MentionRole
    created_at: datetime
    updated_at: datetime


@strawberry_django.type(models.Topic, name="Topic")
class TopicType(relay.Node):
    slug: strawberry.auto
    title: strawberry.auto
    description: strawberry.auto
    stances: ListConnection[StanceType] = strawberry_django.connection(
        filters=StanceFilter, ordering=StanceOrder, max_results=100
    )
    version: str = version_field(models.Topic)
    created_at: datetime
    updated_at: datetime
