"""The base of every resource's viewset: one place for conditional requests, the response
cache, shape control, export and the schema's description of them."""

from typing import Any

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from events.services import record_delete, record_save

from .caching import CachedReadsMixin
from .conditional import ConditionalMixin
from .errors import PROBLEM_JSON
from .export import EXPORT_FORMATS, CSVRenderer, NDJSONRenderer, stream_export
from .fields import selected_fields, wants_brief
from .renderers import ORJSONRenderer

EXPORT_ACTIONS = ("export_csv", "export_ndjson")


class RecordViewSet(ConditionalMixin, CachedReadsMixin, viewsets.ModelViewSet[Any]):
    """Reads for everyone, writes for editors with the model permission (settings), lists
    exportable as CSV and NDJSON, `?fields=` and `?brief=true` on every read.

    Each export also has a URL of its own (`export.csv/`, `export.ndjson/`): one operation per
    representation, so that a client generated from the OpenAPI document (which reads one
    media type per response) gets text, not a JSON decode of CSV."""

    brief_serializer_class: type[BaseSerializer[Any]] | None = None
    export_name = "export"

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if self.action in ("list", "retrieve", *EXPORT_ACTIONS):
            self.check_query_parameters(request)

    def handle_exception(self, exc: Exception) -> Response:
        """An error is a problem-details JSON body, also where CSV or NDJSON was asked for."""
        response = super().handle_exception(exc)
        accepted = getattr(self.request, "accepted_renderer", None)
        if accepted is None or getattr(accepted, "format", None) in EXPORT_FORMATS:
            self.request.accepted_renderer = ORJSONRenderer()
            self.request.accepted_media_type = PROBLEM_JSON
        return response

    def check_query_parameters(self, request: Request) -> None:
        """A misspelt parameter is a 400, not a silently unfiltered answer."""
        filterset = getattr(self, "filterset_class", None)
        filters = set(filterset.base_filters) if filterset else set()
        if self.action in EXPORT_ACTIONS:
            allowed = {"format", "ordering", *filters}
        else:
            allowed = {"format", "fields", "brief"}
        if self.action == "list":
            allowed |= filters | {"ordering", "limit", "offset", "cursor"}
        if unknown := sorted(set(request.query_params) - allowed):
            raise ValidationError(
                {
                    name: [f"Unknown parameter. Use: {', '.join(sorted(allowed))}."]
                    for name in unknown
                }
            )

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        if (
            self.request.method == "GET"
            and self.brief_serializer_class
            and wants_brief(self.request)
        ):
            return self.brief_serializer_class
        return super().get_serializer_class()

    def get_serializer(self, *args: Any, **kwargs: Any) -> BaseSerializer[Any]:
        if self.request.method == "GET" and (fields := selected_fields(self.request)):
            kwargs["selected_fields"] = fields
        return super().get_serializer(*args, **kwargs)

    def perform_create(self, serializer: BaseSerializer[Any]) -> None:
        model = serializer.Meta.model  # type: ignore[attr-defined]
        serializer.instance = record_save(instance=model(**serializer.validated_data))

    def perform_update(self, serializer: BaseSerializer[Any]) -> None:
        instance = serializer.instance
        assert instance is not None
        for name, value in serializer.validated_data.items():
            setattr(instance, name, value)
        record_save(instance=instance)

    def perform_destroy(self, instance: Any) -> None:
        record_delete(instance=instance)

    def export_rows(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """The rows an export streams: a `.values()` queryset whose keys are the columns."""
        raise NotImplementedError

    @classmethod
    def get_extra_actions(cls) -> list[Any]:
        """The export URLs exist where the resource says what its rows are."""
        actions: list[Any] = super().get_extra_actions()
        if cls.export_rows is RecordViewSet.export_rows:
            actions = [a for a in actions if a.__name__ not in EXPORT_ACTIONS]
        return actions

    def list(  # type: ignore[override]
        self, request: Request, *args: Any, **kwargs: Any
    ) -> Response | StreamingHttpResponse:
        fmt = getattr(request.accepted_renderer, "format", None)
        if fmt in EXPORT_FORMATS:
            rows = self.export_rows(self.filter_queryset(self.get_queryset()))
            return stream_export(fmt, rows, filename=self.export_name)
        return super().list(request, *args, **kwargs)

    @action(detail=False, url_path=r"export\.csv", renderer_classes=[CSVRenderer])
    def export_csv(self, request: Request) -> StreamingHttpResponse:
        """The whole filtered list as CSV, not paged (the same body as `?format=csv`)."""
        rows = self.export_rows(self.filter_queryset(self.get_queryset()))
        return stream_export(CSVRenderer.format, rows, filename=self.export_name)

    @action(detail=False, url_path=r"export\.ndjson", renderer_classes=[NDJSONRenderer])
    def export_ndjson(self, request: Request) -> StreamingHttpResponse:
        """The whole filtered list as NDJSON, not paged (the same body as `?format=ndjson`)."""
        rows = self.export_rows(self.filter_queryset(self.get_queryset()))
        return stream_export(NDJSONRenderer.format, rows, filename=self.export_name)
