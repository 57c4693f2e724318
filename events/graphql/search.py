from typing import TYPE_CHECKING, Annotated, Any, cast

import strawberry
import strawberry_django
from django.db.models import Case, IntegerField, QuerySet, Value, When
from graphql import GraphQLObjectType
from strawberry import Info
from strawberry_django.optimizer import (
    _generate_selection_resolve_info,
    _get_selections,
    optimize,
)

from actors.models import Actor
from actors.querysets import called, named
from events import models
from events import querysets as rules
from events.search import snippets

from .types import EntryType, SourceType

if TYPE_CHECKING:
    from actors.graphql.types import ActorType

ActorRef = Annotated["ActorType", strawberry.lazy("actors.graphql.types")]


@strawberry.type(name="EntryHit")
class EntryHitType:
    """An entry found by `search(q)`, with its relevance and highlighted passages. Not a Node:
    a hit belongs to its search, so a client's cache keeps it with the search, and the entry,
    normalised by its id, never carries another search's snippet."""

    rank: float = strawberry.field(description="Relevance to `q`; higher first.")
    snippet: str = strawberry.field(
        description="The matching passages, each match between <mark> and </mark> "
        "(configurable), fragments joined by ' … '."
    )
    entry: EntryType


def _entry_selection(info: Info) -> Any:
    """The resolve info of the hits' `entry` field, so the optimizer plans the entries' own
    relations (citations, mentions…) as it does for any list of entries; None when no hit's
    entry is selected."""
    raw = info._raw_info
    hit_type = raw.schema.get_type("EntryHit")
    assert isinstance(hit_type, GraphQLObjectType)
    nodes = [
        node
        for group in _get_selections(raw, hit_type).values()
        for node in group
        if node.name.value == "entry"
    ]
    if not nodes:
        return None
    return _generate_selection_resolve_info(raw, nodes, hit_type.fields["entry"].type, hit_type)


@strawberry.type
class SearchResults:
    """What `search(q)` found, each list ranked: entries by full-text relevance, actors and
    sources exact names first, then names that contain the text."""

    q: strawberry.Private[str]
    first: strawberry.Private[int]

    def _ranked(self) -> QuerySet[Any]:
        return (
            models.Entry.objects.filter(rules.matching(self.q))
            .annotate(rank=rules.search_rank(self.q))
            .order_by("-rank", "-published_at", "-id")
        )

    @strawberry_django.field
    def entries(self) -> list[EntryType]:
        return cast("list[EntryType]", self._ranked()[: self.first])

    @strawberry.field
    def entry_hits(self, info: Info) -> list[EntryHitType]:
        """The entries of `entries`, in the same order, each with its rank and snippet. The
        snippets are made for these rows only, in one query."""
        ranked = list(self._ranked().values_list("pk", "rank")[: self.first])
        ids = [pk for pk, _ in ranked]
        found = snippets(ids, self.q)
        selection = _entry_selection(info)
        if selection is None:
            entries = {pk: models.Entry(pk=pk) for pk in ids}
        else:
            loaded = optimize(models.Entry.objects.filter(pk__in=ids), selection)
            entries = {entry.pk: entry for entry in loaded}
        return [
            EntryHitType(rank=rank, snippet=found.get(pk, ""), entry=cast(EntryType, entries[pk]))
            for pk, rank in ranked
            if pk in entries
        ]

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
