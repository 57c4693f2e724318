"""/api/v1/changes/: the audit trail of every record table, read-only.

Each row is one insert, update or delete, recorded by database triggers (django-pghistory), so
bulk updates and raw SQL are included. Anonymous readers do not see the history of stances that
were not verified at the time, the same rule as for the stances themselves.
"""

from datetime import datetime
from functools import cache
from typing import Any

import django_filters
import pghistory.models
from django.apps import apps
from django.db.models import F, Q, QuerySet
from pghistory.models import MiddlewareEvents
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.request import Request

from actors.querysets import sees_every_stance
from api_project.rest.caching import CachedReadsMixin
from api_project.rest.conditional import HTTPCachingMixin
from api_project.rest.filters import AwareDateTimeFilter
from api_project.rest.views import ExportableReadsMixin


@cache
def recorded_models() -> list[str]:
    """The models whose changes the trail records (`events.Entry`…): every model tracked by
    pghistory, read from the event models it made."""
    return sorted(
        tracked._meta.label
        for model in apps.get_models()
        if issubclass(model, pghistory.models.Event)
        and (tracked := getattr(model, "pgh_tracked_model", None)) is not None
    )


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


class ChangeSerializer(serializers.Serializer[MiddlewareEvents]):
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

    def get_user(self, change: MiddlewareEvents) -> str | None:
        user = change.user
        return user.get_username() if user else None


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

    class Meta:
        model = MiddlewareEvents
        fields: list[str] = []

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
