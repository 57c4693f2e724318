from datetime import datetime
from typing import cast

import strawberry
import strawberry_django
from strawberry import Info

from actors import models
from api_project.cache import now_for
from api_project.graphql.connections import ListConnection

from .filters import (
    ActorFilter,
    ActorOrder,
    MentionFilter,
    MentionOrder,
    StanceFilter,
    StanceOrder,
    TopicFilter,
    TopicOrder,
)
from .matrix import StanceMatrixType
from .mutations import Mutation
from .types import ActorType, MentionType, StanceType, TopicType

PAGE_CAP = 100


@strawberry.type
class Query:
    actors: ListConnection[ActorType] = strawberry_django.connection(
        filters=ActorFilter, ordering=ActorOrder, max_results=PAGE_CAP
    )
    topics: ListConnection[TopicType] = strawberry_django.connection(
        filters=TopicFilter, ordering=TopicOrder, max_results=PAGE_CAP
    )
    stances: ListConnection[StanceType] = strawberry_django.connection(
        filters=StanceFilter, ordering=StanceOrder, max_results=PAGE_CAP
    )
    mentions: ListConnection[MentionType] = strawberry_django.connection(
        filters=MentionFilter,
        ordering=MentionOrder,
        max_results=PAGE_CAP,
        description="Every actor named in every entry, in feed order (REST /mentions/).",
    )

    @strawberry_django.field
    def actor(self, slug: str) -> ActorType | None:
        return cast("ActorType | None", models.Actor.objects.filter(slug=slug))

    @strawberry.field
    def stance_matrix(
        self, info: Info, topic: str, as_of: datetime | None = None
    ) -> StanceMatrixType | None:
        """The actors grouped by their position on `topic` (a slug) at `asOf` (default now)."""
        found = models.Topic.objects.filter(slug=topic).first()
        if found is None:
            return None
        when = as_of or now_for(info.context.request)
        return StanceMatrixType(topic=cast(TopicType, found), as_of=when)


__all__ = ["Mutation", "Query"]
