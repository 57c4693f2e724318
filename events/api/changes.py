"""/api/v1/changes/: the audit trail of every record table, read-only.

Each row is one insert, update or delete, recorded by database triggers (django-pghistory), so
bulk updates and raw SQL are included. Anonymous readers do not see the history of stances that
were not verified at the time, the same rule as for the stances themselves.
"""

from datetime import datetime
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from pghistory.models import MiddlewareEvents
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.request import Request

from actors.querysets import sees_every_stance
from api_project.rest.caching import CachedReadsMixin
from api_project.rest.filters import AwareDateTimeFilter


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
    model = django_filters.CharFilter(
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


class ChangeViewSet(CachedReadsMixin, viewsets.ReadOnlyModelViewSet[MiddlewareEvents]):
    serializer_class = ChangeSerializer
    filterset_class = ChangeFilterSet
    permission_classes = [AllowAny]
    lookup_value_regex = r"[\w.]+:\d+"
    ordering_fields = ["pgh_created_at"]
    ordering = ["-pgh_created_at", "-pgh_slug"]

    def get_queryset(self) -> QuerySet[MiddlewareEvents]:
        request: Request = self.request
        hidden_stances = Q(pgh_obj_model="actors.Stance") & ~Q(pgh_data__status="verified")
        queryset = MiddlewareEvents.objects.select_related("user")
        if not sees_every_stance(request.user):
            queryset = queryset.exclude(hidden_stances)
        return queryset
