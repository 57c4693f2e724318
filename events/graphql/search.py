from typing import TYPE_CHECKING, Annotated, cast

import strawberry
import strawberry_django
from django.db.models import Case, IntegerField, Value, When

from actors.models import Actor
from actors.querysets import called, named
from events import models
from events import querysets as rules

from .types import EntryType, SourceType

if TYPE_CHECKING:
    from actors.graphql.types import ActorType

ActorRef = Annotated["ActorType", strawberry.lazy("actors.graphql.types")]


@strawberry.type
class SearchResults:
    """What `search(q)` found, each list ranked: entries by full-text relevance, actors and
    sources exact names first, then names that contain the text."""

    q: strawberry.Private[str]
    first: strawberry.Private[int]

    @strawberry_django.field
    def entries(self) -> list[EntryType]:
        found = (
            models.Entry.objects.filter(rules.matching(self.q))
            .annotate(rank=rules.search_rank(self.q))
            .order_by("-rank", "-published_at", "-id")
        )
        return cast("list[EntryType]", found[: self.first])

    @strawberry_django.field
    def actors(self) -> list[ActorRef]:
        exact = Case(When(called(self.q), then=Value(0)), default=Value(1))
        found = (
            Actor.objects.filter(named(self.q))
            .annotate(exactness=exact)
            .order_by("exactness", "name", "id")
        )
        return cast("list[ActorRef]", found[: self.first])

    @strawberry_django.field
    def sources(self) -> list[SourceType]:
        exact = Case(
            When(name__iexact=self.q, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
        found = (
            models.Source.objects.filter(rules.source_named(self.q))
            .annotate(exactness=exact)
            .order_by("exactness", "name", "id")
        )
        return cast("list[SourceType]", found[: self.first])
