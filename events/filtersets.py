"""REST adapters of the filter rules in `querysets.py` (and actors' rules where they apply)."""

from datetime import datetime
from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from actors.querysets import visible_to
from api_project.rest.filters import AwareDateTimeFilter, IntegerFilter

from . import querysets as rules
from .choices import CitationRole, EntryStatus, EventStatus, SourceKind
from .models import Citation, Entry, Event, Source


class UpdatedSinceFilterSet(django_filters.FilterSet):
    updated_since = AwareDateTimeFilter(
        method="filter_updated_since", help_text="Changed at or after this instant (ISO 8601)."
    )

    def filter_updated_since(
        self, queryset: QuerySet[Any], name: str, value: datetime
    ) -> QuerySet[Any]:
        return queryset.filter(rules.updated_since(value))


class EventFilterSet(UpdatedSinceFilterSet):
    status = django_filters.ChoiceFilter(choices=EventStatus.choices)
    publisher = django_filters.CharFilter(field_name="publisher__slug", help_text="Source slug.")
    language = django_filters.CharFilter()

    class Meta:
        model = Event
        fields = ["status", "publisher", "language", "updated_since"]


class EntryFilterSet(UpdatedSinceFilterSet):
    event = django_filters.CharFilter(method="filter_event", help_text="Event slug.")
    actor = django_filters.CharFilter(
        method="filter_actor", help_text="Mentions this actor (slug)."
    )
    source = django_filters.CharFilter(
        method="filter_source", help_text="Cites this source (slug)."
    )
    topic = django_filters.CharFilter(
        method="filter_topic", help_text="Evidence for a stance on this topic (slug)."
    )
    status = django_filters.ChoiceFilter(choices=EntryStatus.choices)
    published_after = AwareDateTimeFilter(
        method="filter_published_after", help_text="Published at or after (ISO 8601)."
    )
    published_before = AwareDateTimeFilter(
        method="filter_published_before", help_text="Published before (ISO 8601)."
    )
    q = django_filters.CharFilter(
        method="filter_q",
        max_length=rules.SEARCH_MAX_LENGTH,
        help_text='Full-text search (web syntax: words, "phrases", -not).',
    )

    class Meta:
        model = Entry
        fields = ["event", "actor", "source", "topic", "status", "updated_since"]

    def filter_event(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(rules.in_event(value))

    def filter_actor(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(rules.mentioning(value))

    def filter_source(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(rules.citing(value))

    def filter_topic(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        stances = visible_to(self.request.user) if self.request else Q()
        return queryset.filter(rules.evidencing(value, stances))

    def filter_published_after(
        self, queryset: QuerySet[Any], name: str, value: datetime
    ) -> QuerySet[Any]:
        return queryset.filter(rules.published_after(value))

    def filter_published_before(
        self, queryset: QuerySet[Any], name: str, value: datetime
    ) -> QuerySet[Any]:
        return queryset.filter(rules.published_before(value))

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(rules.matching(value)).annotate(rank=rules.search_rank(value))


class SourceFilterSet(UpdatedSinceFilterSet):
    kind = django_filters.ChoiceFilter(choices=SourceKind.choices)
    country = django_filters.CharFilter(help_text="ISO 3166-1 alpha-2 code.")
    needs_review = django_filters.BooleanFilter()
    q = django_filters.CharFilter(method="filter_q", help_text="Name contains (any case).")

    class Meta:
        model = Source
        fields = ["kind", "country", "needs_review", "updated_since"]

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(rules.source_named(value))


class EntryLinkFilterSet(UpdatedSinceFilterSet):
    """Filters of the tables hanging off entries (citations, mentions): the entry rules, applied
    through the link's entry."""

    event = django_filters.CharFilter(method="filter_event", help_text="Event slug.")
    entry = IntegerFilter(method="filter_entry", help_text="Entry id.")
    published_after = AwareDateTimeFilter(
        method="filter_published_after", help_text="Entry published at or after (ISO 8601)."
    )
    published_before = AwareDateTimeFilter(
        method="filter_published_before", help_text="Entry published before (ISO 8601)."
    )

    def filter_event(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(rules.in_event(value, rules.ENTRY))

    def filter_entry(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return queryset.filter(rules.in_entry(value))

    def filter_published_after(
        self, queryset: QuerySet[Any], name: str, value: datetime
    ) -> QuerySet[Any]:
        return queryset.filter(rules.published_after(value, rules.ENTRY))

    def filter_published_before(
        self, queryset: QuerySet[Any], name: str, value: datetime
    ) -> QuerySet[Any]:
        return queryset.filter(rules.published_before(value, rules.ENTRY))


class CitationFilterSet(EntryLinkFilterSet):
    source = django_filters.CharFilter(
        method="filter_source", help_text="This link names the source (slug)."
    )
    speaker = django_filters.CharFilter(
        method="filter_speaker", help_text="This link's speaker (actor slug)."
    )
    actor = django_filters.CharFilter(
        method="filter_actor", help_text="The entry mentions this actor (slug)."
    )
    role = django_filters.ChoiceFilter(choices=CitationRole.choices)

    class Meta:
        model = Citation
        fields = ["role", "updated_since"]

    def filter_source(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(rules.naming_source(value))

    def filter_speaker(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(rules.spoken_by(value))

    def filter_actor(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(rules.mentioning(value, rules.ENTRY))
