from datetime import datetime
from typing import Any, cast

from django.db import transaction
from django.db.models import F, Prefetch, QuerySet
from django.http.response import HttpResponseBase
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import DjangoModelPermissions
from rest_framework.request import Request
from rest_framework.response import Response

from actors.filtersets import ActorFilterSet, StanceFilterSet, TopicFilterSet
from actors.models import Actor, Membership, Stance, Topic
from actors.querysets import visible_to
from actors.selectors import actor_timeline, corroborations, stance_matrix
from actors.services import stance_same_as, stance_save, stance_supersede
from api_project.cache import now_for
from api_project.rest.export import table_response
from api_project.rest.filters import AwareDateTimeField
from api_project.rest.views import RecordViewSet

from .briefs import ActorBriefSerializer, TopicBriefSerializer
from .serializers import (
    ActorSerializer,
    MatrixSerializer,
    SameAsSerializer,
    StanceSerializer,
    SupersedeSerializer,
    TimelineSerializer,
    TopicSerializer,
)
from .tables import matrix_table, timeline_table


class ChangesStances(DjangoModelPermissions):
    """Settling a conflict changes stances: it takes the change permission, not add."""

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "POST": ["%(app_label)s.change_%(model_name)s"],
    }


STANCE_PARTS = ("actor", "topic", "source", "evidence__event", "evidence_event", "decided_by")


class ActorViewSet(RecordViewSet):
    queryset = Actor.objects.prefetch_related(
        Prefetch("memberships", Membership.objects.select_related("group"))
    )
    serializer_class = ActorSerializer
    brief_serializer_class = ActorBriefSerializer
    filterset_class = ActorFilterSet
    lookup_field = "slug"
    ordering_fields = ["name", "updated_at"]
    ordering = ["name", "id"]
    export_name = "actors"
    read_actions = {"timeline": frozenset()}

    def export_rows(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.values(
            "slug", "name", "kind", "aliases", "country", "title", "wikidata_id", "updated_at"
        )

    @extend_schema(responses=TimelineSerializer)
    @action(detail=True, methods=["get"])
    def timeline(self, request: Request, slug: str) -> HttpResponseBase:
        """The actor's mentions and stances over time, oldest first, each with the text of the
        entry it rests on. As CSV or NDJSON: one row per item (see the README's Export)."""
        actor = self.get_object()
        items = actor_timeline(actor=actor, viewer=request.user)
        if fmt := self.export_format():
            return table_response(fmt, timeline_table(actor, items), f"timeline-{actor.slug}")
        context = {"request": request}
        return Response(TimelineSerializer({"actor": actor, "items": items}, context=context).data)


class TopicViewSet(RecordViewSet):
    queryset = Topic.objects.all()
    serializer_class = TopicSerializer
    brief_serializer_class = TopicBriefSerializer
    filterset_class = TopicFilterSet
    lookup_field = "slug"
    ordering_fields = ["title", "updated_at"]
    ordering = ["title", "id"]
    export_name = "topics"
    read_actions = {"matrix": frozenset({"as_of"})}

    def export_rows(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.values("slug", "title", "description", "updated_at")

    @extend_schema(
        parameters=[OpenApiParameter("as_of", datetime, description="Default: now (ISO 8601).")],
        responses=MatrixSerializer,
    )
    @action(detail=True, methods=["get"])
    def matrix(self, request: Request, slug: str) -> HttpResponseBase:
        """The actors grouped by their position on the topic at `as_of`. As CSV or NDJSON: one
        row per actor and stance, with its position (see the README's Export)."""
        topic = self.get_object()
        as_of = _as_of(request)
        groups = stance_matrix(topic=topic, as_of=as_of, viewer=request.user)
        if fmt := self.export_format():
            return table_response(fmt, matrix_table(topic, as_of, groups), f"matrix-{topic.slug}")
        matrix = {"topic": topic, "as_of": as_of, "positions": groups}
        return Response(MatrixSerializer(matrix, context={"request": request}).data)


def _as_of(request: Request) -> datetime:
    raw = request.query_params.get("as_of")
    if not raw:
        return now_for(request._request)
    try:
        value = AwareDateTimeField().clean(raw)
    except Exception as error:
        raise ValidationError({"as_of": list(getattr(error, "messages", [str(error)]))}) from None
    return value


class StanceViewSet(RecordViewSet):
    queryset = Stance.objects.select_related(*STANCE_PARTS).prefetch_related(corroborations())
    serializer_class = StanceSerializer
    filterset_class = StanceFilterSet
    ordering_fields = ["valid_from", "updated_at", "stated_at"]
    ordering = ["valid_from", "id"]
    export_name = "stances"

    def get_queryset(self) -> QuerySet[Stance]:
        return super().get_queryset().filter(visible_to(self.request.user))

    def perform_create(self, serializer: Any) -> None:
        stance = Stance(**serializer.validated_data)
        serializer.instance = stance_save(stance=stance, by=self.request.user)

    def perform_update(self, serializer: Any) -> None:
        stance = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(stance, name, value)
        stance_save(stance=stance, by=self.request.user)

    def _settle(self, request: Request, pk: str, supersede: bool) -> Response:
        field = "supersedes" if supersede else "same_as"
        body = (SupersedeSerializer if supersede else SameAsSerializer)(data=request.data)
        body.is_valid(raise_exception=True)
        note = body.validated_data["curator_note"]
        with transaction.atomic():
            stance = cast(Stance, self.locked_object())  # If-Match, as for any write
            other = Stance.objects.filter(pk=body.validated_data[field]).first()
            if supersede:
                stance_supersede(stance=stance, earlier=other, by=request.user, note=note)
            else:
                stance_same_as(stance=stance, existing=other, by=request.user, note=note)
        settled = self.get_queryset().get(pk=stance.pk)
        return Response(self.get_serializer(settled).data)

    @extend_schema(request=SupersedeSerializer, responses=StanceSerializer)
    @action(detail=True, methods=["post"], permission_classes=[ChangesStances])
    def supersede(self, request: Request, pk: str) -> Response:
        """Verify this stance as the successor of the verified stance `supersedes`, which
        then ends where this one starts, in one transaction. Refused (400, field `supersedes`) if
        that one is not verified, another actor's or topic's, or starts at or after this one."""
        return self._settle(request, pk, supersede=True)

    @extend_schema(request=SameAsSerializer, responses=StanceSerializer)
    @action(detail=True, methods=["post"], permission_classes=[ChangesStances])
    def same_as(self, request: Request, pk: str) -> Response:
        """Keep this stance as further evidence of the verified stance `same_as` (status
        corroborates): it is listed in that one's `corroborations` and never in force itself.
        Refused (400, field `same_as`) for itself, another actor's or topic's, or one not
        verified."""
        return self._settle(request, pk, supersede=False)

    def export_rows(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.values(
            "id",
            "position",
            "kind",
            "summary",
            "quote",
            "stated_at",
            "valid_from",
            "valid_until",
            "status",
            "updated_at",
        ).annotate(
            actor=F("actor__slug"),
            topic=F("topic__slug"),
            source=F("source__slug"),
            evidence=F("evidence_id"),
            evidence_event=F("evidence_event__slug"),
        )
