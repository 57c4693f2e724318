import dataclasses

import strawberry
import strawberry_django
from strawberry import Info

from api_project.graphql.mutations import (
    DeletionType,
    IfMatch,
    checked_instance,
    conflicts_as_errors,
    create_mutation,
    delete_mutation,
    update_mutation,
)
from api_project.graphql.permissions import HasPerm
from events import models
from events.services import (
    CitationSpec,
    MentionSpec,
    by_slug,
    citation_specs,
    entry_save,
    mention_specs,
)

from .inputs import (
    CitationInput,
    EntryInput,
    EntryUpdateInput,
    EventInput,
    EventPartialInput,
    MentionInput,
    SourceInput,
    SourcePartialInput,
)
from .types import EntryType, EventType, SourceType


def _citations(rows: list[CitationInput] | None) -> list[CitationSpec] | None:
    return citation_specs(None if rows is None else [dataclasses.asdict(row) for row in rows])


def _mentions(rows: list[MentionInput] | None) -> list[MentionSpec] | None:
    return mention_specs(None if rows is None else [dataclasses.asdict(row) for row in rows])


@strawberry.type
class Mutation:
    @strawberry_django.mutation(extensions=[HasPerm("events.add_entry")])
    def create_entry(self, info: Info, data: EntryInput) -> EntryType:
        """An entry with its citations (chains by `key`/`via`) and mentions."""
        entry = models.Entry(
            event=by_slug(models.Event, data.event, "event"),
            published_at=data.published_at,
            order=data.order,  # type: ignore[misc]  # None: the next place (`entry_save`)
            body=data.body,
            headline=data.headline,
            credit=data.credit,
            status=data.status,
        )
        with conflicts_as_errors():
            entry_save(
                entry=entry, citations=_citations(data.citations), mentions=_mentions(data.mentions)
            )
        return entry  # type: ignore[return-value]

    @strawberry_django.mutation(extensions=[HasPerm("events.change_entry")])
    def update_entry(
        self, info: Info, data: EntryUpdateInput, if_match: IfMatch = None
    ) -> EntryType:
        """Fields left out keep their values; `citations` or `mentions`, when given, replace
        the entry's whole list. With `ifMatch`, refused if the entry changed since."""
        entry = checked_instance(models.Entry, data.id, if_match)
        for name in ("published_at", "order", "body", "headline", "credit", "status"):
            value = getattr(data, name)
            if value is not strawberry.UNSET and value is not None:
                setattr(entry, name, value)
        citations = None if data.citations is strawberry.UNSET else data.citations
        mentions = None if data.mentions is strawberry.UNSET else data.mentions
        with conflicts_as_errors():
            entry_save(entry=entry, citations=_citations(citations), mentions=_mentions(mentions))
        return entry  # type: ignore[return-value]

    delete_entry: DeletionType = delete_mutation(models.Entry, HasPerm("events.delete_entry"))

    create_event: EventType = create_mutation(EventInput, HasPerm("events.add_event"))
    update_event: EventType = update_mutation(EventPartialInput, HasPerm("events.change_event"))

    delete_event: DeletionType = delete_mutation(models.Event, HasPerm("events.delete_event"))

    create_source: SourceType = create_mutation(SourceInput, HasPerm("events.add_source"))
    update_source: SourceType = update_mutation(SourcePartialInput, HasPerm("events.change_source"))

    delete_source: DeletionType = delete_mutation(models.Source, HasPerm("events.delete_source"))
