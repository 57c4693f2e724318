from rest_framework import serializers

from actors.api.briefs import ActorBriefSerializer
from actors.api.serializers import MentionSerializer
from actors.models import Actor
from api_project.rest.fields import NestedSlugField, RecordSerializer
from events.models import Citation, Entry, Event, Source

from .briefs import EventBriefSerializer, SearchHitFields, SourceBriefSerializer


class SourceSerializer(RecordSerializer):
    operator = NestedSlugField(
        ActorBriefSerializer, queryset=Actor.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = Source
        fields = [
            "slug",
            "name",
            "kind",
            "url",
            "country",
            "operator",
            "needs_review",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class CitationSerializer(RecordSerializer):
    """One link of a citation chain; `via` is the id of the link it came through, and `chain`
    spells the whole chain out, outermost first."""

    source = SourceBriefSerializer(read_only=True, allow_null=True)  # type: ignore[assignment]
    speaker = ActorBriefSerializer(read_only=True, allow_null=True)
    via: "serializers.PrimaryKeyRelatedField[Citation]" = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )
    chain = serializers.SerializerMethodField()

    class Meta:
        model = Citation
        fields = ["id", "role", "source", "speaker", "quote", "via", "chain"]

    def get_chain(self, citation: Citation) -> list[str]:
        return citation.chain()


class EntrySerializer(RecordSerializer):
    event = NestedSlugField(EventBriefSerializer, queryset=Event.objects.all())
    citations = CitationSerializer(many=True, read_only=True, source="chained_citations")
    mentions = MentionSerializer(many=True, read_only=True)

    class Meta:
        model = Entry
        fields = [
            "id",
            "event",
            "published_at",
            "order",
            "headline",
            "body",
            "credit",
            "status",
            "citations",
            "mentions",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class EntryHitSerializer(SearchHitFields, EntrySerializer):
    class Meta(EntrySerializer.Meta):
        fields = [*EntrySerializer.Meta.fields, "rank", "snippet"]


class EventSerializer(RecordSerializer):
    publisher = NestedSlugField(
        SourceBriefSerializer, queryset=Source.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = Event
        fields = [
            "slug",
            "title",
            "standfirst",
            "summary",
            "location",
            "starts_at",
            "ends_at",
            "status",
            "publisher",
            "url",
            "language",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class EventDetailSerializer(EventSerializer):
    """An event with its entries in feed order."""

    entries = EntrySerializer(many=True, read_only=True)

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "entries"]
