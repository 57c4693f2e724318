from typing import Any

from rest_framework import serializers

from actors.api.briefs import ActorBriefSerializer
from actors.api.serializers import MentionSerializer
from actors.models import Actor
from api_project.rest.fields import NestedSlugField, RecordSerializer
from api_project.rest.nested import SplitField, WholeItems, path_errors
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


class CitationSerializer(WholeItems, RecordSerializer):
    """One link of a citation chain. Read, `via` is the id of the link it came through and
    `chain` spells the whole chain out, outermost first. Written (with its entry), `source` and
    `speaker` are slugs, `key` names the link and `via` is the `key` of another link of the
    same list (before or after it; not itself, not in a loop): [{key: "r", source: "reuters",
    role: "reported_by"}, {source: "finnish-media", speaker: "alexander-stubb", role: "quoted",
    via: "r"}]."""

    source = SplitField(  # type: ignore[assignment]
        read=SourceBriefSerializer(),
        write=serializers.CharField(required=False, allow_null=True),
        help_text="Written as the source's slug, read as the source.",
    )
    speaker = SplitField(
        read=ActorBriefSerializer(),
        write=serializers.CharField(required=False, allow_null=True),
        help_text="Written as the actor's slug, read as the actor.",
    )
    via = SplitField(
        read=serializers.PrimaryKeyRelatedField(read_only=True),
        write=serializers.CharField(required=False, allow_null=True, allow_blank=True),
        help_text="Read, the id of the citation this one came through; written, the `key` of "
        "another citation in the same list.",
    )
    key = serializers.CharField(
        write_only=True,
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text="Names this citation for a later one's `via`; not stored.",
    )
    chain = serializers.SerializerMethodField()

    class Meta:
        model = Citation
        fields = ["id", "role", "source", "speaker", "quote", "key", "via", "chain"]

    def get_chain(self, citation: Citation) -> list[str]:
        return citation.chain()


class EntrySerializer(RecordSerializer):
    """An entry. Its `citations` and `mentions`, when a write sends them, replace the entry's
    (an empty list removes them all); a write that leaves them out keeps them."""

    event = NestedSlugField(EventBriefSerializer, queryset=Event.objects.all())
    citations = CitationSerializer(many=True, required=False, source="chained_citations")
    mentions = MentionSerializer(many=True, required=False)

    def to_internal_value(self, data: Any) -> Any:
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as error:
            raise serializers.ValidationError(
                path_errors(error.detail, ("citations", "mentions"))
            ) from None

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
        # The place in the feed is checked by the model's constraint when the entry is saved
        # (a 409 over the API), after a create without `order` has been given the next one;
        # DRF's own check would demand `order` on every create.
        validators: list[Any] = []


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
