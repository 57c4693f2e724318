"""/api/v1/citations/: every link of every citation chain as one tidy table.

An entry's JSON nests its citations; a study of "who said what, citing whom" wants them as
rows it can filter, count and join. Each row is one link with its entry, the entry's event and
time, `via` as the id of the link it came through, and `chain` spelled out (outermost first),
computed in SQL so lists and exports spell every chain in the same query. Citations are read
here and written with their entry (REST and GraphQL `createEntry`/`updateEntry`).
"""

from typing import Any

from django.db.models import F, QuerySet
from rest_framework import serializers

from actors.api.briefs import ActorBriefSerializer
from api_project.rest.views import ReadOnlyRecordViewSet
from events import querysets as rules
from events.filtersets import CitationFilterSet
from events.models import Citation

from .briefs import EntryLinkRowSerializer, SourceBriefSerializer


class CitationRowSerializer(EntryLinkRowSerializer):
    source = SourceBriefSerializer(read_only=True, allow_null=True)  # type: ignore[assignment]
    speaker = ActorBriefSerializer(read_only=True, allow_null=True)
    via: "serializers.PrimaryKeyRelatedField[Any]" = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="Id of the citation this one came through."
    )
    chain = serializers.ListField(
        child=serializers.CharField(),
        source="chain_names",
        read_only=True,
        help_text="The whole chain's names, outermost first: Reuters, Finnish media, Stubb.",
    )

    class Meta:
        model = Citation
        fields = [
            "id",
            "entry",
            "event",
            "published_at",
            "role",
            "source",
            "speaker",
            "quote",
            "via",
            "chain",
            "created_at",
            "updated_at",
        ]


class CitationViewSet(ReadOnlyRecordViewSet):
    queryset = Citation.objects.select_related("entry__event", "source", "speaker").annotate(
        published_at=F("entry__published_at"), chain_names=rules.chain_names()
    )
    serializer_class = CitationRowSerializer
    filterset_class = CitationFilterSet
    ordering_fields = ["published_at", "updated_at", "id"]
    ordering = ["published_at", "entry_id", "id"]
    export_name = "citations"
    export_columns = {
        "id": "id",
        "entry": "entry_id",
        "event": "event_slug",
        "published_at": "published_at",
        "role": "role",
        "source": "source_slug",
        "speaker": "speaker_slug",
        "quote": "quote",
        "via": "via_id",
        "chain": "chain_names",
        "updated_at": "updated_at",
    }

    def export_rows(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """Columns: id, entry (id), event (slug), published_at (the entry's), role, source
        (slug), speaker (actor slug), quote, via (citation id), chain (names, outermost first),
        updated_at."""
        rows: QuerySet[Any] = queryset.values(
            "id", "entry_id", "role", "quote", "via_id", "updated_at", "published_at", "chain_names"
        ).annotate(
            event_slug=F("entry__event__slug"),
            source_slug=F("source__slug"),
            speaker_slug=F("speaker__slug"),
        )
        return rows
