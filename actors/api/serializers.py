from typing import Any

from rest_framework import serializers

from actors.choices import Position
from actors.models import STANCE_RECORD_FIELDS, Actor, Membership, Mention, Stance, Topic
from api_project.rest.fields import NestedPrimaryKeyField, NestedSlugField, RecordSerializer
from api_project.rest.nested import SplitField, WholeItems
from events.api.briefs import (
    EntryBriefSerializer,
    EntryTextSerializer,
    EventBriefSerializer,
    SourceBriefSerializer,
)
from events.models import Entry, Event, Source

from .briefs import ActorBriefSerializer, TopicBriefSerializer


class MentionSerializer(WholeItems, RecordSerializer):
    """An actor named in an entry; written with the entry, `actor` is the actor's slug."""

    actor = SplitField(
        read=ActorBriefSerializer(),
        write=serializers.CharField(),
        help_text="Written as the actor's slug, read as the actor.",
    )

    class Meta:
        model = Mention
        fields = ["actor", "role"]


class MembershipSerializer(RecordSerializer):
    group = ActorBriefSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["group", "role", "started_on", "ended_on"]


class ActorSerializer(RecordSerializer):
    memberships = MembershipSerializer(many=True, read_only=True)

    class Meta:
        model = Actor
        fields = [
            "slug",
            "name",
            "kind",
            "aliases",
            "country",
            "title",
            "wikidata_id",
            "description",
            "memberships",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class TopicSerializer(RecordSerializer):
    class Meta:
        model = Topic
        fields = ["slug", "title", "description", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class StanceSerializer(RecordSerializer):
    actor = NestedSlugField(ActorBriefSerializer, queryset=Actor.objects.all())
    topic = NestedSlugField(TopicBriefSerializer, queryset=Topic.objects.all())
    source = NestedSlugField(SourceBriefSerializer, queryset=Source.objects.all())  # type: ignore[assignment]
    evidence = NestedPrimaryKeyField(
        EntryBriefSerializer, queryset=Entry.objects.all(), allow_null=True, required=False
    )
    evidence_event = NestedSlugField(
        EventBriefSerializer, queryset=Event.objects.all(), allow_null=True, required=False
    )
    decided_by: "serializers.SlugRelatedField[Any]" = serializers.SlugRelatedField(
        slug_field="username",
        read_only=True,
        help_text="The editor who set the curation status; null if none did (proposed, imported).",
    )

    class Meta:
        model = Stance
        fields = [*STANCE_RECORD_FIELDS, "decided_by", "decided_at", "created_at", "updated_at"]
        read_only_fields = ["decided_by", "decided_at", "created_at", "updated_at"]


class TimelineMentionSerializer(MentionSerializer):
    """The mention names its entry briefly; the item beside it carries the entry's text."""

    entry = EntryBriefSerializer(read_only=True)

    class Meta(MentionSerializer.Meta):
        fields = [*MentionSerializer.Meta.fields, "entry"]


class TimelineItemSerializer(serializers.Serializer[Any]):
    """A mention or a stance, under the key its kind names, with the entry it rests on."""

    at = serializers.DateTimeField()
    kind = serializers.ChoiceField(choices=["mention", "stance"])
    entry = EntryTextSerializer(
        allow_null=True,
        help_text="A mention's entry, a stance's evidence; null when the evidence is the "
        "event's summary.",
    )
    mention = TimelineMentionSerializer(required=False, source="item")
    stance = StanceSerializer(required=False, source="item")

    def to_representation(self, instance: Any) -> dict[str, Any]:
        other = "stance" if instance.kind == "mention" else "mention"
        data: dict[str, Any] = {}
        for name, field in self.fields.items():
            if name != other:
                value = field.get_attribute(instance)
                data[name] = None if value is None else field.to_representation(value)
        return data


class TimelineSerializer(serializers.Serializer[Any]):
    actor = ActorBriefSerializer()
    items = TimelineItemSerializer(many=True)


class MatrixActorSerializer(serializers.Serializer[Any]):
    actor = ActorBriefSerializer()
    stance = StanceSerializer(source="*")


class PositionGroupSerializer(serializers.Serializer[Any]):
    position = serializers.ChoiceField(choices=Position.choices)
    actors = MatrixActorSerializer(many=True, source="stances")


class MatrixSerializer(serializers.Serializer[Any]):
    topic = TopicBriefSerializer()
    as_of = serializers.DateTimeField()
    positions = PositionGroupSerializer(many=True)
