"""Brief representations of the events app's records, for nesting and `?brief=true`."""

from typing import Any

from rest_framework import serializers

from api_project.rest.fields import RecordSerializer
from events.models import Entry, Event, Source


class SourceBriefSerializer(RecordSerializer):
    class Meta:
        model = Source
        fields = ["slug", "name", "kind"]


class EventBriefSerializer(RecordSerializer):
    class Meta:
        model = Event
        fields = ["slug", "title", "starts_at", "status"]


class EntryBriefSerializer(RecordSerializer):
    event: "serializers.SlugRelatedField[Any]" = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = Entry
        fields = ["id", "event", "published_at", "order", "headline", "status"]


class EntryTextSerializer(EntryBriefSerializer):
    """An entry with its text: what a timeline item quotes."""

    class Meta(EntryBriefSerializer.Meta):
        fields = [*EntryBriefSerializer.Meta.fields, "body"]


class SearchHitFields(serializers.Serializer[Any]):
    """What a full-text hit adds to an entry (`?q=`): its relevance and a highlighted snippet
    (events/search.py). Present only when `q` is given."""

    optional_in_response = ("rank", "snippet")

    rank = serializers.FloatField(required=False, help_text="Relevance to `q`; higher first.")
    snippet = serializers.CharField(
        required=False,
        help_text="The matching passages, each match between <mark> and </mark> (configurable).",
    )


class EntryBriefHitSerializer(SearchHitFields, EntryBriefSerializer):
    class Meta(EntryBriefSerializer.Meta):
        fields = [*EntryBriefSerializer.Meta.fields, "rank", "snippet"]


class EntryLinkRowSerializer(RecordSerializer):
    """The columns every table of an entry's links (citations, mentions) starts with: the
    entry by id, its event and its time, so rows filter and join without the entry's JSON."""

    entry: "serializers.PrimaryKeyRelatedField[Any]" = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text="Entry id."
    )
    event: "serializers.SlugRelatedField[Any]" = serializers.SlugRelatedField(
        source="entry.event", slug_field="slug", read_only=True, help_text="Event slug."
    )
    published_at = serializers.DateTimeField(
        source="entry.published_at", read_only=True, help_text="When the entry was published."
    )
