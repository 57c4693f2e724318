from typing import Any

from rest_framework import serializers

from actors.choices import Position
from actors.models import STANCE_RECORD_FIELDS, Actor, Membership, Mention, Stance, Topic
from api_project.rest.fields import (
    NestedPrimaryKeyField,
    NestedSlugField,
    RecordSerializer,
    StrictSerializer,
)
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


class CorroborationSerializer(RecordSerializer):
    """A stance kept as further evidence of another: its own evidence, briefly."""

    evidence = EntryBriefSerializer(read_only=True)
    evidence_event = EventBriefSerializer(read_only=True)
    source = SourceBriefSerializer(read_only=True)  # type: ignore[assignment]

    class Meta:
        model = Stance
        fields = ["id", "evidence", "evidence_event", "source", "quote", "stated_at"]


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
    same_as: "serializers.PrimaryKeyRelatedField[Any]" = serializers.PrimaryKeyRelatedField(
        read_only=True,
        help_text="The verified stance this one is further evidence of (status corroborates); "
        "set with POST .../same_as/.",
    )
    corroborations = CorroborationSerializer(
        many=True,
        read_only=True,
        help_text="Further evidence of this stance: the stances marked the same as it.",
    )

    class Meta:
        model = Stance
        fields = [
            *STANCE_RECORD_FIELDS,
            "corroborations",
            "decided_by",
            "decided_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["decided_by", "decided_at", "created_at", "updated_at"]


def _settle_serializer(name: str, field: str, about: str) -> type[serializers.Serializer[Any]]:
    """The body of a settling action: the verified stance it is settled against, under the
    field its refusals name, and the editor's reason."""
    attrs: dict[str, Any] = {
        field: serializers.IntegerField(
            min_value=1, max_value=2**63 - 1, help_text=f"The id of the verified stance {about}."
        ),
        "curator_note": serializers.CharField(
            required=False,
            allow_blank=True,
            default="",
            help_text="Why; kept on this stance, after its note.",
        ),
    }
    return type(name, (StrictSerializer,), attrs)


SupersedeSerializer = _settle_serializer("SupersedeSerializer", "supersedes", "this one ends")
SameAsSerializer = _settle_serializer(
    "SameAsSerializer", "same_as", "this one is further evidence of"
)


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
