"""REST adapters of the filter rules in `querysets.py`."""

from datetime import date, datetime
from typing import Any

import django_filters
from django.db.models import QuerySet

from api_project.rest.filters import AwareDateTimeFilter, IntegerFilter
from events import querysets as entry_rules
from events.filtersets import EntryLinkFilterSet, UpdatedSinceFilterSet

from . import querysets as rules
from .choices import ActorKind, CurationStatus, MentionRole, Position, StanceKind
from .models import Actor, Mention, Stance, Topic


class ActorFilterSet(UpdatedSinceFilterSet):
    kind = django_filters.ChoiceFilter(choices=ActorKind.choices)
    country = django_filters.CharFilter(help_text="ISO 3166-1 alpha-2 code.")
    member_of = django_filters.CharFilter(
        method="filter_member_of", help_text="Has a membership of this actor (slug), e.g. nato."
    )
    member_on = django_filters.DateFilter(
        method="filter_noop", help_text="With member_of: only memberships current on this date."
    )
    name = django_filters.CharFilter(
        method="filter_name", help_text="Exact name or alias, any case (Kiev finds Ukraine)."
    )
    q = django_filters.CharFilter(method="filter_q", help_text="Name or alias contains.")

    class Meta:
        model = Actor
        fields = ["kind", "country", "updated_since"]

    def filter_noop(self, queryset: QuerySet[Any], name: str, value: date) -> QuerySet[Any]:
        return queryset

    def filter_member_of(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        on = self.form.cleaned_data.get("member_on")
        return queryset.filter(rules.member_of(value, on))

    def filter_name(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(rules.called(value))

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(rules.named(value))


class TopicFilterSet(UpdatedSinceFilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains")

    class Meta:
        model = Topic
        fields = ["updated_since"]


class StanceFilterSet(UpdatedSinceFilterSet):
    actor = django_filters.CharFilter(field_name="actor__slug", help_text="Actor slug.")
    topic = django_filters.CharFilter(field_name="topic__slug", help_text="Topic slug.")
    source = django_filters.CharFilter(field_name="source__slug", help_text="Source slug.")
    position = django_filters.ChoiceFilter(choices=Position.choices)
    kind = django_filters.ChoiceFilter(choices=StanceKind.choices)
    status = django_filters.ChoiceFilter(
        choices=CurationStatus.choices, help_text="Anonymous readers see verified stances only."
    )
    actor_kind = django_filters.ChoiceFilter(field_name="actor__kind", choices=ActorKind.choices)
    country = django_filters.CharFilter(field_name="actor__country", help_text="The actor's.")
    evidence = IntegerFilter(field_name="evidence_id", help_text="Entry id.")
    as_of = AwareDateTimeFilter(
        method="filter_as_of", help_text="Only stances valid at this instant (ISO 8601)."
    )

    class Meta:
        model = Stance
        fields = ["updated_since"]

    def filter_as_of(self, queryset: QuerySet[Any], name: str, value: datetime) -> QuerySet[Any]:
        return queryset.filter(rules.valid_at(value))


class MentionFilterSet(EntryLinkFilterSet):
    actor = django_filters.CharFilter(method="filter_actor", help_text="Actor slug.")
    source = django_filters.CharFilter(
        method="filter_source", help_text="The entry cites this source (slug)."
    )
    role = django_filters.ChoiceFilter(choices=MentionRole.choices)

    class Meta:
        model = Mention
        fields = ["role", "updated_since"]

    def filter_actor(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(rules.naming_actor(value))

    def filter_source(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(entry_rules.citing(value, entry_rules.ENTRY))
