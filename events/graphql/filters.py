"""GraphQL adapters of the filter rules in `events/querysets.py`: same names, same meaning."""

from datetime import datetime

import strawberry
import strawberry_django
from django.db.models import Q
from strawberry import Info

from actors.querysets import visible_to
from events import models
from events import querysets as rules

from .enums import EntryStatus, EventStatus, SourceKind


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
        return rules.matching(value, prefix)


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
