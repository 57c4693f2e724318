from typing import Any

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import F, Prefetch, Q, QuerySet, prefetch_related_objects
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from actors.models import Mention
from api_project.rest.fields import wants_brief
from api_project.rest.pagination import EntryCursor
from api_project.rest.parsers import RawPageParser
from api_project.rest.views import RecordViewSet
from events.filtersets import EntryFilterSet, EventFilterSet, SourceFilterSet
from events.ingest.page import PageError
from events.ingest.service import ingest_page
from events.jsonld import JSONLDRenderer, event_jsonld
from events.models import Citation, Entry, Event, Source
from events.search import snippets
from events.services import citation_specs, entry_save, mention_specs

from .briefs import (
    EntryBriefHitSerializer,
    EntryBriefSerializer,
    EventBriefSerializer,
    SourceBriefSerializer,
)
from .fast import entry_list, entry_rows
from .serializers import (
    EntryHitSerializer,
    EntrySerializer,
    EventDetailSerializer,
    EventSerializer,
    SourceSerializer,
)

HIT_SERIALIZERS: dict[Any, Any] = {
    EntrySerializer: EntryHitSerializer,
    EntryBriefSerializer: EntryBriefHitSerializer,
}


def _id(row: Any) -> int:
    return int(row["id"] if isinstance(row, dict) else row.pk)


def entry_parts() -> list[Prefetch[Any]]:
    """What an entry's representation reads: citations with sources and speakers, mentions."""
    return [
        Prefetch("citations", Citation.objects.select_related("source", "speaker")),
        Prefetch("mentions", Mention.objects.select_related("actor")),
    ]


def _links(data: dict[str, Any]) -> dict[str, Any]:
    """Take an entry write's citations and mentions out of its fields, as the specs GraphQL
    builds from the same input (`events.services`): None where the write left them out."""
    return {
        "citations": citation_specs(data.pop("chained_citations", None)),
        "mentions": mention_specs(data.pop("mentions", None)),
    }


class CanIngest(BasePermission):
    """Ingesting creates entries: it takes the permission to add them."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user.has_perm("events.add_entry"))


class IngestReportSerializer(serializers.Serializer[Any]):
    event = serializers.CharField(help_text="The event's slug.")
    event_created = serializers.BooleanField()
    created = serializers.IntegerField(help_text="New entries.")
    corrected = serializers.IntegerField(help_text="Entries whose text changed.")
    unchanged = serializers.IntegerField()
    new_sources = serializers.ListField(child=serializers.CharField(), help_text="For review.")
    unrecognised = serializers.ListField(child=serializers.CharField())
    dry_run = serializers.BooleanField()


class SourceViewSet(RecordViewSet):
    queryset = Source.objects.select_related("operator")
    serializer_class = SourceSerializer
    brief_serializer_class = SourceBriefSerializer
    filterset_class = SourceFilterSet
    lookup_field = "slug"
    ordering_fields = ["name", "updated_at"]
    ordering = ["name", "id"]
    export_name = "sources"

    def export_rows(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.values(
            "slug", "name", "kind", "url", "country", "needs_review", "updated_at"
        ).annotate(operator=F("operator__slug"))


class EventViewSet(RecordViewSet):
    queryset = Event.objects.select_related("publisher")
    serializer_class = EventSerializer
    brief_serializer_class = EventBriefSerializer
    filterset_class = EventFilterSet
    lookup_field = "slug"
    ordering_fields = ["starts_at", "title", "updated_at"]
    ordering = ["-starts_at", "id"]
    export_name = "events"
    renderer_classes = [*RecordViewSet.renderer_classes, JSONLDRenderer]

    def get_queryset(self) -> QuerySet[Event]:
        queryset = super().get_queryset()
        if self.action == "retrieve":
            entries = Entry.objects.order_by("order").prefetch_related(*entry_parts())
            queryset = queryset.prefetch_related(Prefetch("entries", entries))
        return queryset

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve" and not wants_brief(self.request):
            return EventDetailSerializer
        return super().get_serializer_class()

    def get_renderers(self) -> list[BaseRenderer]:
        """JSON-LD describes one event: a list asked for it is a 406 naming the formats it
        has, not the JSON page under a JSON-LD media type."""
        renderers = super().get_renderers()
        if self.action != "retrieve":
            return [r for r in renderers if not isinstance(r, JSONLDRenderer)]
        return renderers

    @extend_schema(
        request={"text/plain": bytes, "text/html": bytes, "application/octet-stream": bytes},
        parameters=[
            OpenApiParameter("tz", str, description="Zone of clock times the page leaves open."),
            OpenApiParameter("event", str, description="Slug of the event to ingest into."),
            OpenApiParameter(
                "dry_run", bool, description="Report what would change; write nothing."
            ),
        ],
        responses={200: IngestReportSerializer, 201: IngestReportSerializer},
    )
    @action(
        detail=False,
        methods=["post"],
        parser_classes=[RawPageParser],
        permission_classes=[IsAuthenticated, CanIngest],
    )
    def ingest(self, request: Request) -> Response:
        """Ingest a saved live-blog page (plain text or HTML) sent as the request body."""
        params = request.query_params
        try:
            report = ingest_page(
                request.data if isinstance(request.data, bytes) else b"",
                tz=params.get("tz") or None,
                event_slug=params.get("event") or None,
                dry_run=params.get("dry_run", "").lower() in ("1", "true"),
            )
        except PageError as error:
            raise ValidationError({"page": [str(error)]}) from None
        created = report.created or report.event_created
        status = 201 if created and not report.dry_run else 200
        return Response(IngestReportSerializer(report).data, status=status)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        if getattr(request.accepted_renderer, "format", None) == JSONLDRenderer.format:
            return Response(event_jsonld(self.get_object(), request))
        return super().retrieve(request, *args, **kwargs)

    def export_rows(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.values(
            "slug",
            "title",
            "standfirst",
            "location",
            "starts_at",
            "ends_at",
            "status",
            "url",
            "language",
            "updated_at",
        ).annotate(publisher=F("publisher__slug"))


@extend_schema_view(
    list=extend_schema(
        description="Newest first; `q` orders by relevance unless `ordering`, and each entry "
        "found then carries its `rank` and a highlighted `snippet`.",
        responses=EntryHitSerializer,
    )
)
class EntryViewSet(RecordViewSet):
    queryset = Entry.objects.select_related("event").prefetch_related(*entry_parts())
    serializer_class = EntrySerializer
    brief_serializer_class = EntryBriefSerializer
    filterset_class = EntryFilterSet
    pagination_class = EntryCursor
    export_name = "entries"

    @property
    def ordering_fields(self) -> list[str]:
        """Relevance exists only for a search."""
        fields = ["published_at", "order", "updated_at"]
        return [*fields, "rank"] if self.search_text() else fields

    @property
    def ordering(self) -> list[str]:
        if self.search_text():
            return ["-rank", "-id"]
        return ["-published_at", "-id"]

    def search_text(self) -> str | None:
        """The search, as the filter reads it: blank (`q=%20`) is no search at all."""
        return (self.request.query_params.get("q") or "").strip() or None

    def get_serializer_class(self) -> Any:
        """A search's entries are hits: they carry `rank` and `snippet`."""
        serializer = super().get_serializer_class()
        if self.action == "list" and self.search_text():
            return HIT_SERIALIZERS.get(serializer, serializer)
        return serializer

    def paginate_queryset(self, queryset: Any) -> list[Any] | None:
        """The page, with each hit's snippet: headlines for the page's rows only."""
        page: list[Any] | None = super().paginate_queryset(queryset)
        if page and (text := self.search_text()):
            found = snippets((_id(row) for row in page), text)
            for row in page:
                if isinstance(row, dict):
                    row["snippet"] = found.get(row["id"], "")
                else:
                    row.snippet = found.get(row.pk, "")
        return page

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        """The JSON list takes the fast path (events/api/fast.py); shaped or exported lists and
        the browsable API take the serializer's."""
        params = request.query_params
        fmt = getattr(request.accepted_renderer, "format", None)
        if fmt != "json" or "fields" in params or "brief" in params:
            return super().list(request, *args, **kwargs)
        queryset = self.filter_queryset(self.get_queryset().prefetch_related(None))
        page = self.paginate_queryset(entry_rows(queryset))
        assert page is not None  # the cursor paginator always pages
        return self.get_paginated_response(entry_list(page))

    def perform_create(self, serializer: BaseSerializer[Any]) -> None:
        data = dict(serializer.validated_data)
        links = _links(data)
        serializer.instance = entry_save(entry=Entry(**data), **links)

    def perform_update(self, serializer: BaseSerializer[Any]) -> None:
        """The entry's fields, and its citations and mentions when sent, in the transaction
        that checked If-Match; the answer shows what was written, not the list read before."""
        entry = serializer.instance
        assert isinstance(entry, Entry)
        data = dict(serializer.validated_data)
        links = _links(data)
        for name, value in data.items():
            setattr(entry, name, value)
        entry_save(entry=entry, **links)
        if links["citations"] is not None or links["mentions"] is not None:
            entry._prefetched_objects_cache = {}  # type: ignore[attr-defined]
            prefetch_related_objects([entry], *entry_parts())

    def export_rows(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """Columns: id, published_at, order, headline, body, credit, status, updated_at, event
        (slug), sources (slugs of every source cited), actors (slugs of every actor mentioned).
        Rows in the request's `ordering`, or a search's relevance, as the list has them;
        oldest first otherwise, the feed as it was written."""
        if not self.request.query_params.get("ordering", "").strip() and not self.search_text():
            queryset = queryset.order_by("published_at", "id")
        # One grouped pass over the joins: a correlated subquery per row cost 5.5 s of the
        # 100,000-entry export in EXPLAIN ANALYZE; grouping takes under half of that.
        return queryset.values(
            "id", "published_at", "order", "headline", "body", "credit", "status", "updated_at"
        ).annotate(
            event=F("event__slug"),
            sources=ArrayAgg(
                "citations__source__slug",
                distinct=True,
                filter=Q(citations__source__isnull=False),
                default=[],
            ),
            actors=ArrayAgg(
                "mentions__actor__slug",
                distinct=True,
                filter=Q(mentions__actor__isnull=False),
                default=[],
            ),
        )
