"""/api/v1/mentions/: every actor named in every entry, one row each.

Each row is a mention with its entry, the entry's event and time, the actor and the part it
plays. Mentions are read here and written with their entry.
"""

from typing import Any

from django.db.models import F, QuerySet

from actors.filtersets import MentionFilterSet
from actors.models import Mention
from api_project.rest.views import ReadOnlyRecordViewSet
from events.api.briefs import EntryLinkRowSerializer

from .briefs import ActorBriefSerializer


class MentionRowSerializer(EntryLinkRowSerializer):
    actor = ActorBriefSerializer(read_only=True)

    class Meta:
        model = Mention
        fields = [
            "id",
            "entry",
            "event",
            "published_at",
            "actor",
            "role",
            "created_at",
            "updated_at",
        ]


class MentionViewSet(ReadOnlyRecordViewSet):
    queryset = Mention.objects.select_related("entry__event", "actor").annotate(
        published_at=F("entry__published_at")
    )
    serializer_class = MentionRowSerializer
    filterset_class = MentionFilterSet
    ordering_fields = ["published_at", "updated_at", "id"]
    ordering = ["published_at", "entry_id", "id"]
    export_name = "mentions"
    export_columns = {
        "id": "id",
        "entry": "entry_id",
        "event": "event_slug",
        "published_at": "published_at",
        "actor": "actor_slug",
        "role": "role",
        "updated_at": "updated_at",
    }

    def export_rows(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """Columns: id, entry (id), event (slug), published_at (the entry's), actor (slug),
        role, updated_at."""
        rows: QuerySet[Any] = queryset.values(
            "id", "entry_id", "role", "updated_at", "published_at"
        ).annotate(event_slug=F("entry__event__slug"), actor_slug=F("actor__slug"))
        return rows
