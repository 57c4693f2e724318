"""Brief representations of the actors app's records, for nesting and `?brief=true`."""

from actors.models import Actor, Topic
from api_project.rest.fields import RecordSerializer


class ActorBriefSerializer(RecordSerializer):
    class Meta:
        model = Actor
        fields = ["slug", "name", "kind", "country"]


class TopicBriefSerializer(RecordSerializer):
    class Meta:
        model = Topic
        fields = ["slug", "title"]
