"""/api/v1/changes/: the audit trail of every record table, read-only.

Each row is one insert, update or delete, recorded by database triggers (django-pghistory), so
bulk updates and raw SQL are included. Anonymous readers do not see the history of stances that
were not verified at the time, the same rule as for the stances themselves.
"""

from dataclasses import asdict
from datetime import datetime
from typing import Any

import django_filters
from django.apps import apps
from django.db.models import F, Q, QuerySet
from drf_spectacular.utils import extend_schema_field
from pghistory.models import MiddlewareEvents
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.request import Request

from actors.querysets import sees_every_stance
from api_project import history
from api_project.history import recorded_models
from api_project.rest.caching import CachedReadsMixin
from api_project.rest.conditional import HTTPCachingMixin
from api_project.rest.filters import AwareDateTimeFilter
from api_project.rest.views import ExportableReadsMixin


class RecordedModelFilter(django_filters.ChoiceFilter):
    """A ChoiceFilter whose choices are read when the form is built (after the app registry
    is ready), so an unknown model is a 400 listing the recorded ones."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["choices"] = lambda: [(label, label) for label in recorded_models()]
        super().__init__(*args, **kwargs)

    @property
    def field(self) -> Any:
        field = super().field
        field.error_messages["invalid_choice"] = (
            f"Select a recorded model: {', '.join(recorded_models())}."
        )
        return field


class SegmentSerializer(serializers.Serializer[history.Segment]):
    op = serializers.ChoiceField(choices=history.DiffOp.choices)
    text = serializers.CharField()


class FieldChangeSerializer(serializers.Serializer[history.FieldChange]):
    field = serializers.CharField(help_text="The field's name, e.g. body.")
    label = serializers.CharField(  # type: ignore[assignment]
        help_text="The field's label, e.g. Body."
    )
    before = serializers.CharField(
        allow_null=True,
        help_text="The value before, as an editor reads it: a related object's name, a "
        "choice's label, a time in UTC; null when empty (and for a creation).",
    )
    after = serializers.CharField(allow_null=True, help_text="The value after; null when empty.")
    segments = SegmentSerializer(
        many=True,
        allow_null=True,
        help_text="For long texts, the word diff: the changed words with a little context "
        "instead of both copies; null for other fields.",
    )


class ChangeListSerializer(serializers.ListSerializer[MiddlewareEvents]):
    """Describes a page of changes at once, so naming the objects they mention takes one
    query per model, not one per row."""

    def to_representation(self, data: Any) -> list[Any]:
        events = list(data.all() if isinstance(data, QuerySet) else data)
        child: Any = self.child
        child.described = {change.event.pgh_slug: change for change in history.describe(events)}
        return [child.to_representation(event) for event in events]


class ChangeSerializer(serializers.Serializer[MiddlewareEvents]):
    """A change as recorded (`diff`, `data`) and as told for people (`who`, `summary`,
    `changed_fields`), the latter by the same module as the admin's history pages."""

    described: dict[str, history.Change]

    class Meta:
        list_serializer_class = ChangeListSerializer

    id = serializers.CharField(source="pgh_slug")
    at = serializers.DateTimeField(source="pgh_created_at")
    action = serializers.CharField(source="pgh_label", help_text="insert, update or delete")
    model = serializers.CharField(source="pgh_obj_model", help_text="e.g. actors.Stance")
    object_id = serializers.CharField(source="pgh_obj_id")
    user = serializers.SerializerMethodField()
    diff = serializers.JSONField(
        source="pgh_diff", help_text="Changed fields: {field: [before, after]}."
    )
    data = serializers.JSONField(  # type: ignore[assignment]
        source="pgh_data", help_text="The row after the change."
    )

    who = serializers.SerializerMethodField(
        help_text="The editor's username, or where a change without one came from: "
        "seed load, import, ingest, or system."
    )
    object_label = serializers.SerializerMethodField(help_text="The object's name.")
    summary = serializers.SerializerMethodField(help_text="e.g. Changed entry.")
    changed_fields = serializers.SerializerMethodField(
        help_text="What changed, field by field (for a creation, the values set); technical "
        "fields (timestamps, search vectors) left out."
    )

    def get_user(self, change: MiddlewareEvents) -> str | None:
        user = change.user
        return user.get_username() if user else None

    def _described(self, event: MiddlewareEvents) -> history.Change:
        """The change as the list described it, or, for one change alone, described now."""
        described: dict[str, history.Change] = getattr(self, "described", {})
        slug = str(event.pgh_slug)
        if slug not in described:
            [described[slug]] = history.describe([event])
            self.described = described
        return described[slug]

    def get_who(self, event: MiddlewareEvents) -> str:
        return self._described(event).who

    def get_object_label(self, event: MiddlewareEvents) -> str:
        return self._described(event).object_label

    def get_summary(self, event: MiddlewareEvents) -> str:
        change = self._described(event)
        return f"{change.action.capitalize()} {change.model_name}"

    @extend_schema_field(FieldChangeSerializer(many=True))
    def get_changed_fields(self, event: MiddlewareEvents) -> list[dict[str, Any]]:
        return [asdict(field) for field in self._described(event).fields]


class ChangeFilterSet(django_filters.FilterSet):
    model = RecordedModelFilter(
        field_name="pgh_obj_model", help_text="e.g. events.Entry, actors.Stance."
    )
    object_id = django_filters.CharFilter(field_name="pgh_obj_id")
    action = django_filters.ChoiceFilter(
        field_name="pgh_label",
        choices=[("insert", "insert"), ("update", "update"), ("delete", "delete")],
    )
    since = AwareDateTimeFilter(method="filter_since", help_text="At or after (ISO 8601).")
    related_to = django_filters.CharFilter(
        method="filter_related_to",
        help_text="An object, as model:id (e.g. events.Entry:12): its changes and those of the "
        "rows pointing at it (an entry's citations, mentions and stances; an actor's stances "
        "and memberships), as its History page in the admin shows them.",
    )

    class Meta:
        model = MiddlewareEvents
        fields: list[str] = []

    def filter_related_to(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        label, _, pk = value.partition(":")
        if label not in recorded_models() or not pk.isdigit():
            raise serializers.ValidationError(
                {name: [f"Give model:id, the model one of {', '.join(recorded_models())}."]}
            )
        # The object may be deleted: its history stays, so only its key is needed.
        return history.object_history(apps.get_model(label)(pk=int(pk)), queryset)

    def filter_since(self, queryset: QuerySet[Any], name: str, value: datetime) -> QuerySet[Any]:
        return queryset.filter(pgh_created_at__gte=value)


class ChangeViewSet(
    ExportableReadsMixin,
    HTTPCachingMixin,
    CachedReadsMixin,
    viewsets.ReadOnlyModelViewSet[MiddlewareEvents],
):
    serializer_class = ChangeSerializer
    filterset_class = ChangeFilterSet
    permission_classes = [AllowAny]
    lookup_value_regex = r"[\w.]+:\d+"
    ordering_fields = ["pgh_created_at"]
    ordering = ["-pgh_created_at", "-pgh_slug"]
    export_name = "changes"
    # `user` is the model's foreign key, so the username is selected under another name.
    export_columns = {
        "id": "id",
        "at": "at",
        "action": "action",
        "model": "model",
        "object_id": "object_id",
        "user": "username",
        "diff": "diff",
        "data": "data",
    }

    def export_rows(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """Columns: id, at, action, model, object_id, user (username), diff and data (JSON
        text in CSV, objects in NDJSON): the JSON representation's fields, one row a change."""
        return queryset.values(
            id=F("pgh_slug"),
            at=F("pgh_created_at"),
            action=F("pgh_label"),
            model=F("pgh_obj_model"),
            object_id=F("pgh_obj_id"),
            username=F("user__username"),
            diff=F("pgh_diff"),
            data=F("pgh_data"),
        )

    def get_queryset(self) -> QuerySet[MiddlewareEvents]:
        request: Request = self.request
        hidden_stances = Q(pgh_obj_model="actors.Stance") & ~Q(pgh_data__status="verified")
        queryset = MiddlewareEvents.objects.select_related("user")
        if not sees_every_stance(request.user):
            queryset = queryset.exclude(hidden_stances)
        return queryset
