"""The base of every resource's viewset: one place for conditional requests, the response
cache, shape control, export and the schema's description of them."""

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import SAFE_METHODS
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.serializers import BaseSerializer

from events.services import record_delete, record_save

from .caching import CachedReadsMixin
from .conditional import ConditionalMixin
from .export import EXPORT_FORMATS, CSVRenderer, NDJSONRenderer, stream_export
from .fields import ordered_fields, selected_fields, wants_brief
from .renderers import ORJSONRenderer

# Each export also has a URL of its own (`export.csv/`, `export.ndjson/`): one operation per
# representation, so that a client generated from the OpenAPI document (which reads one media
# type per response) gets text, not a JSON decode of CSV.
EXPORT_ACTIONS = ("export_csv", "export_ndjson")

if TYPE_CHECKING:
    _ViewBase = viewsets.GenericViewSet[Any]
else:
    _ViewBase = object


class ExportableReadsMixin(_ViewBase):
    """Every read answers JSON, CSV and NDJSON: a list streams its rows from PostgreSQL's COPY
    (`export_rows`), a detail is the one row its list would export, and reads outside the
    model's rows (a matrix, a timeline) answer their own `Table` (`table_response`) when
    `export_format()` says so. Writes answer JSON only, so a write asked for CSV is refused
    (406) before anything is written. A misspelt query parameter is a 400 on every read."""

    export_name = "export"
    # The exported columns in order, each with the `export_rows` key it reads, when they are
    # not simply the rows' keys (see `stream_export`).
    export_columns: dict[str, str] | None = None
    read_parameters: frozenset[str] = frozenset({"format"})
    # Read actions besides list and retrieve, with the parameters each takes.
    read_actions: dict[str, frozenset[str]] = {}

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if self.action in ("list", "retrieve", *EXPORT_ACTIONS) or self.action in self.read_actions:
            self.check_query_parameters(request)

    def check_query_parameters(self, request: Request) -> None:
        """A misspelt parameter is a 400, not a silently unfiltered answer."""
        filterset = getattr(self, "filterset_class", None)
        filters = set(filterset.base_filters) if filterset else set()
        if self.action in self.read_actions:
            allowed = {"format", *self.read_actions[self.action]}
        else:
            allowed = self.shaping_parameters()
        if self.action == "list":
            allowed |= filters | {"ordering", *self.paging_parameters()}
        elif self.action in EXPORT_ACTIONS:
            allowed = {"format", "ordering", *filters} | (allowed & {"fields"})
        if unknown := sorted(set(request.query_params) - allowed):
            raise ValidationError(
                {
                    name: [f"Unknown parameter. Use: {', '.join(sorted(allowed))}."]
                    for name in unknown
                }
            )

    def paging_parameters(self) -> set[str]:
        """The parameters of the list's own paginator, as the OpenAPI document lists them
        (`limit` and `offset`, or `cursor` and `limit`): another's would be silently ignored,
        or copied into `next`."""
        if self.paginator is None:
            return set()
        return {p["name"] for p in self.paginator.get_schema_operation_parameters(self)}

    def shaping_parameters(self) -> set[str]:
        """The parameters a list or detail takes besides its filters and paging."""
        return set(self.read_parameters)

    def get_renderers(self) -> list[BaseRenderer]:
        renderers: list[BaseRenderer] = super().get_renderers()
        if self.request.method not in SAFE_METHODS:
            writes = [renderer for renderer in renderers if renderer.format not in EXPORT_FORMATS]
            # An export URL renders only its export: its refusal of a write (405) is JSON.
            return writes or [ORJSONRenderer()]
        return renderers

    def export_format(self) -> str | None:
        """ "csv" or "ndjson" when the negotiated representation is an export."""
        fmt = getattr(self.request.accepted_renderer, "format", None)
        return fmt if fmt in EXPORT_FORMATS else None

    def export_rows(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """The rows an export streams: a `.values()` queryset whose keys are the columns."""
        raise NotImplementedError

    def _stream(self, fmt: str, rows: QuerySet[Any], filename: str) -> StreamingHttpResponse:
        """The export, narrowed to `?fields=` (export columns, in the order asked) if given."""
        columns = self.export_columns or {key: key for key in _row_keys(rows)}
        if "fields" in self.read_parameters and (wanted := ordered_fields(self.request)):
            if unknown := [name for name in wanted if name not in columns]:
                raise ValidationError(
                    {
                        "fields": [
                            f"Unknown export column(s): {', '.join(unknown)}. "
                            f"Available: {', '.join(columns)}."
                        ]
                    }
                )
            columns = {name: columns[name] for name in wanted}
        return stream_export(fmt, rows, filename, columns)

    @classmethod
    def get_extra_actions(cls) -> list[Any]:
        """The export URLs exist where the resource says what its rows are."""
        actions: list[Any] = super().get_extra_actions()
        if cls.export_rows is ExportableReadsMixin.export_rows:
            actions = [a for a in actions if a.__name__ not in EXPORT_ACTIONS]
        return actions

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        """The page as JSON, or every filtered row streamed as CSV or NDJSON."""
        if fmt := self.export_format():
            rows = self.export_rows(self.filter_queryset(self.get_queryset()))
            return self._stream(fmt, rows, self.export_name)
        return super().list(request, *args, **kwargs)  # type: ignore[misc]  # ListModelMixin

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        """The object as JSON, or the one row its list would export."""
        if fmt := self.export_format():
            instance = self.get_object()
            rows = self.export_rows(self.get_queryset().filter(pk=instance.pk))
            key = kwargs.get(self.lookup_url_kwarg or self.lookup_field, instance.pk)
            return self._stream(fmt, rows, f"{self.export_name}-{key}")
        return super().retrieve(request, *args, **kwargs)  # type: ignore[misc]  # its mixin

    @action(detail=False, url_path=r"export\.csv", renderer_classes=[CSVRenderer])
    def export_csv(self, request: Request) -> StreamingHttpResponse:
        """The whole filtered list as CSV, not paged (the same body as `?format=csv`)."""
        rows = self.export_rows(self.filter_queryset(self.get_queryset()))
        return self._stream(CSVRenderer.format, rows, self.export_name)

    @action(detail=False, url_path=r"export\.ndjson", renderer_classes=[NDJSONRenderer])
    def export_ndjson(self, request: Request) -> StreamingHttpResponse:
        """The whole filtered list as NDJSON, not paged (the same body as `?format=ndjson`)."""
        rows = self.export_rows(self.filter_queryset(self.get_queryset()))
        return self._stream(NDJSONRenderer.format, rows, self.export_name)


def _row_keys(rows: QuerySet[Any]) -> list[str]:
    """The keys of a `.values()` queryset's rows, in their order."""
    query = rows.query
    return [*query.extra_select, *query.values_select, *query.annotation_select]


class RecordViewSet(
    ExportableReadsMixin, ConditionalMixin, CachedReadsMixin, viewsets.ModelViewSet[Any]
):
    """Reads for everyone, writes for editors with the model permission (settings), reads
    exportable as CSV and NDJSON, `?fields=` and `?brief=true` on every read."""

    brief_serializer_class: type[BaseSerializer[Any]] | None = None
    read_parameters = frozenset({"format", "fields", "brief"})

    def shaping_parameters(self) -> set[str]:
        """`brief` only where there is a brief form, as the document offers it: elsewhere
        (citations, mentions, stances) it was taken, whatever its value, and did nothing."""
        allowed = super().shaping_parameters()
        return allowed if self.brief_serializer_class else allowed - {"brief"}

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


class ReadOnlyRecordViewSet(RecordViewSet):
    """A table derived from the record and curated through its parent (an entry's citations
    and mentions): read, filtered and exported here, written with the entry."""

    http_method_names = ["get", "head", "options"]
