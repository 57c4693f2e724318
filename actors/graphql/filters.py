"""GraphQL adapters of the filter rules in `actors/querysets.py`: same names, same meaning."""

from datetime import date, datetime

import strawberry
import strawberry_django
from django.db.models import OrderBy, Q
from strawberry_django.ordering import Ordering

from actors import models
from actors import querysets as rules
from events import querysets as entry_rules
from events.graphql.filters import EntryLinkFilter
from events.querysets import updated_since

from .enums import ActorKind, CurationStatus, MentionRole, Position, StanceKind


@strawberry_django.filter_type(models.Actor)
class ActorFilter:
    @strawberry_django.filter_field
    def kind(self, value: ActorKind, prefix: str) -> Q:
        return Q(**{f"{prefix}kind": value})

    @strawberry_django.filter_field
    def country(self, value: str, prefix: str) -> Q:
        return Q(**{f"{prefix}country": value})

    @strawberry_django.filter_field
    def member_of(self, value: str, prefix: str) -> Q:
        """Has a membership of this actor (slug), e.g. nato; current on `memberOn` if given."""
        on = getattr(self, "member_on", None)
        return rules.member_of(value, on if isinstance(on, date) else None, prefix)

    @strawberry_django.filter_field
    def member_on(self, value: date, prefix: str) -> Q:
        """With memberOf: only memberships current on this date."""
        return Q()

    @strawberry_django.filter_field
    def name(self, value: str, prefix: str) -> Q:
        """Exact name or alias, any case (Kiev finds Ukraine)."""
        return rules.called(value, prefix)

    @strawberry_django.filter_field
    def q(self, value: str, prefix: str) -> Q:
        """Name or alias contains."""
        return rules.named(value, prefix)

    @strawberry_django.filter_field
    def updated_since(self, value: datetime, prefix: str) -> Q:
        return updated_since(value, prefix)


@strawberry_django.filter_type(models.Topic)
class TopicFilter:
    @strawberry_django.filter_field
    def q(self, value: str, prefix: str) -> Q:
        return Q(**{f"{prefix}title__icontains": value})

    @strawberry_django.filter_field
    def updated_since(self, value: datetime, prefix: str) -> Q:
        return updated_since(value, prefix)


@strawberry_django.filter_type(models.Stance)
class StanceFilter:
    @strawberry_django.filter_field
    def actor(self, value: str, prefix: str) -> Q:
        return Q(**{f"{prefix}actor__slug": value})

    @strawberry_django.filter_field
    def topic(self, value: str, prefix: str) -> Q:
        return Q(**{f"{prefix}topic__slug": value})

    @strawberry_django.filter_field
    def source(self, value: str, prefix: str) -> Q:
        return Q(**{f"{prefix}source__slug": value})

    @strawberry_django.filter_field
    def position(self, value: Position, prefix: str) -> Q:
        return Q(**{f"{prefix}position": value})

    @strawberry_django.filter_field
    def kind(self, value: StanceKind, prefix: str) -> Q:
        return Q(**{f"{prefix}kind": value})

    @strawberry_django.filter_field
    def status(self, value: CurationStatus, prefix: str) -> Q:
        """Anonymous readers see verified stances only."""
        return Q(**{f"{prefix}status": value})

    @strawberry_django.filter_field
    def actor_kind(self, value: ActorKind, prefix: str) -> Q:
        return Q(**{f"{prefix}actor__kind": value})

    @strawberry_django.filter_field
    def country(self, value: str, prefix: str) -> Q:
        """The actor's ISO country code."""
        return Q(**{f"{prefix}actor__country": value})

    @strawberry_django.filter_field
    def as_of(self, value: datetime, prefix: str) -> Q:
        """Only stances valid at this instant."""
        return rules.valid_at(value, prefix)

    @strawberry_django.filter_field
    def updated_since(self, value: datetime, prefix: str) -> Q:
        return updated_since(value, prefix)


@strawberry_django.filter_type(models.Mention)
class MentionFilter(EntryLinkFilter):
    """The REST `/mentions/` filters."""

    @strawberry_django.filter_field
    def actor(self, value: str, prefix: str) -> Q:
        """Actor slug."""
        return rules.naming_actor(value, prefix)

    @strawberry_django.filter_field
    def source(self, value: str, prefix: str) -> Q:
        """The entry cites this source (slug)."""
        return entry_rules.citing(value, f"{prefix}{entry_rules.ENTRY}")

    @strawberry_django.filter_field
    def role(self, value: MentionRole, prefix: str) -> Q:
        return Q(**{f"{prefix}role": value})


@strawberry_django.order_type(models.Mention)
class MentionOrder:
    updated_at: strawberry.auto

    @strawberry_django.order_field
    def published_at(self, value: Ordering, prefix: str) -> list[OrderBy]:
        """The entry's publication time."""
        return [value.resolve(f"{prefix}{entry_rules.ENTRY}published_at")]


@strawberry_django.order_type(models.Actor)
class ActorOrder:
    name: strawberry.auto
    updated_at: strawberry.auto


@strawberry_django.order_type(models.Topic)
class TopicOrder:
    title: strawberry.auto
    updated_at: strawberry.auto


@strawberry_django.order_type(models.Stance)
class StanceOrder:
    valid_from: strawberry.auto
    stated_at: strawberry.auto
    updated_at: strawberry.auto
