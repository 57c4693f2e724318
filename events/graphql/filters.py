"""GraphQL adapters of the filter rules in `events/querysets.py`: same names, same meaning."""

from datetime import datetime

import strawberry
import strawberry_django
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db.models import OrderBy, Q
from strawberry import Info
from strawberry_django.ordering import Ordering

from actors.querysets import visible_to
from events import models
from events import querysets as rules

from .enums import CitationRole, EntryStatus, EventStatus, SourceKind


def search_text(value: str) -> str:
    """A full-text search's text under REST's rule for `q` (its field's `max_length`), the
    refusal as a message the client reads."""
    try:
        MaxLengthValidator(rules.SEARCH_MAX_LENGTH)(value)
    except ValidationError as error:
        raise ValueError(" ".join(error.messages)) from None
    return value


@strawberry_django.filter_type(models.Event)
class EventFilter:
    @strawberry_django.filter_field
    def status(self, value: EventStatus, prefix: str) -> Q:
        return Q(**{f"{prefix}status": value})

    @strawberry_django.filter_field
    def publisher(self, value: str, prefix: str) -> Q:
        """Source slug."""
        return Q(**{f"{prefix}publisher__slug": value})

    @strawberry_django.filter_field
    def language(self, value: str, prefix: str) -> Q:
        return Q(**{f"{prefix}language": value})

    @strawberry_django.filter_field
    def updated_since(self, value: datetime, prefix: str) -> Q:
        return rules.updated_since(value, prefix)


@strawberry_django.filter_type(models.Entry)
class EntryFilter:
    @strawberry_django.filter_field
    def event(self, value: str, prefix: str) -> Q:
        """Event slug."""
        return rules.in_event(value, prefix)

    @strawberry_django.filter_field
    def actor(self, value: str, prefix: str) -> Q:
        """Mentions this actor (slug)."""
        return rules.mentioning(value, prefix)

    @strawberry_django.filter_field
    def source(self, value: str, prefix: str) -> Q:
        """Cites this source (slug)."""
        return rules.citing(value, prefix)

    @strawberry_django.filter_field
    def topic(self, info: Info, value: str, prefix: str) -> Q:
        """Evidence for a stance on this topic (slug), among the stances the viewer may see."""
        return rules.evidencing(value, visible_to(info.context.request.user), prefix)

    @strawberry_django.filter_field
    def status(self, value: EntryStatus, prefix: str) -> Q:
        return Q(**{f"{prefix}status": value})

    @strawberry_django.filter_field
    def published_after(self, value: datetime, prefix: str) -> Q:
        return rules.published_after(value, prefix)

    @strawberry_django.filter_field
    def published_before(self, value: datetime, prefix: str) -> Q:
        return rules.published_before(value, prefix)

    @strawberry_django.filter_field
    def updated_since(self, value: datetime, prefix: str) -> Q:
        return rules.updated_since(value, prefix)

    @strawberry_django.filter_field
    def q(self, value: str, prefix: str) -> Q:
        """Full-text search (web syntax: words, "phrases", -not)."""
        return rules.matching(search_text(value), prefix)


@strawberry_django.filter_type(models.Source)
class SourceFilter:
    @strawberry_django.filter_field
    def kind(self, value: SourceKind, prefix: str) -> Q:
        return Q(**{f"{prefix}kind": value})

    @strawberry_django.filter_field
    def country(self, value: str, prefix: str) -> Q:
        return Q(**{f"{prefix}country": value})

    @strawberry_django.filter_field
    def needs_review(self, value: bool, prefix: str) -> Q:
        return Q(**{f"{prefix}needs_review": value})

    @strawberry_django.filter_field
    def updated_since(self, value: datetime, prefix: str) -> Q:
        return rules.updated_since(value, prefix)

    @strawberry_django.filter_field
    def q(self, value: str, prefix: str) -> Q:
        """Name contains (any case)."""
        return rules.source_named(value, prefix)


@strawberry.input
class EntryLinkFilter:
    """What every table of an entry's links (citations, mentions) is filtered by: the entry
    rules through the link's entry, as REST's `EntryLinkFilterSet`."""

    @strawberry_django.filter_field
    def event(self, value: str, prefix: str) -> Q:
        """Event slug."""
        return rules.in_event(value, f"{prefix}{rules.ENTRY}")

    @strawberry_django.filter_field
    def entry(self, value: int, prefix: str) -> Q:
        """Entry id (the database id REST uses)."""
        return rules.in_entry(value, prefix)

    @strawberry_django.filter_field
    def published_after(self, value: datetime, prefix: str) -> Q:
        """Entry published at or after."""
        return rules.published_after(value, f"{prefix}{rules.ENTRY}")

    @strawberry_django.filter_field
    def published_before(self, value: datetime, prefix: str) -> Q:
        """Entry published before."""
        return rules.published_before(value, f"{prefix}{rules.ENTRY}")

    @strawberry_django.filter_field
    def updated_since(self, value: datetime, prefix: str) -> Q:
        return rules.updated_since(value, prefix)


@strawberry_django.filter_type(models.Citation)
class CitationFilter(EntryLinkFilter):
    """The REST `/citations/` filters."""

    @strawberry_django.filter_field
    def source(self, value: str, prefix: str) -> Q:
        """This link names the source (slug)."""
        return rules.naming_source(value, prefix)

    @strawberry_django.filter_field
    def speaker(self, value: str, prefix: str) -> Q:
        """This link's speaker (actor slug)."""
        return rules.spoken_by(value, prefix)

    @strawberry_django.filter_field
    def actor(self, value: str, prefix: str) -> Q:
        """The entry mentions this actor (slug)."""
        return rules.mentioning(value, f"{prefix}{rules.ENTRY}")

    @strawberry_django.filter_field
    def role(self, value: CitationRole, prefix: str) -> Q:
        return Q(**{f"{prefix}role": value})


@strawberry_django.order_type(models.Citation)
class CitationOrder:
    updated_at: strawberry.auto

    @strawberry_django.order_field
    def published_at(self, value: Ordering, prefix: str) -> list[OrderBy]:
        """The entry's publication time."""
        return [value.resolve(f"{prefix}{rules.ENTRY}published_at")]


@strawberry_django.order_type(models.Event)
class EventOrder:
    starts_at: strawberry.auto
    title: strawberry.auto
    updated_at: strawberry.auto


@strawberry_django.order_type(models.Entry)
class EntryOrder:
    published_at: strawberry.auto
    order: strawberry.auto
    updated_at: strawberry.auto


@strawberry_django.order_type(models.Source)
class SourceOrder:
    name: strawberry.auto
    updated_at: strawberry.auto
