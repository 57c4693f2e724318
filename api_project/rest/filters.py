"""Filter fields and backends shared by every resource."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request


class AwareDateTimeField(forms.DateTimeField):
    """ISO 8601 with a timezone; a bare local time is refused, never guessed."""

    input_formats: list[str] = []

    def to_python(self, value: Any) -> datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            parsed = value
        else:
            try:
                parsed = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
            except ValueError:
                raise forms.ValidationError(
                    _("Enter an ISO 8601 date and time, e.g. 2025-09-04T16:20:00Z."), code="invalid"
                ) from None
        if parsed.tzinfo is None:
            raise forms.ValidationError(
                _("Include a timezone, e.g. 2025-09-04T16:20:00Z or +02:00."), code="naive"
            )
        return parsed


class AwareDateTimeFilter(django_filters.Filter):
    field_class = AwareDateTimeField


class IntegerFilter(django_filters.Filter):
    """An id: a whole number (NumberFilter takes decimals)."""

    field_class = forms.IntegerField


class StrictOrderingFilter(OrderingFilter):
    """`?ordering=` with an unknown field is a 400 naming it, not silently ignored."""

    def remove_invalid_fields(
        self, queryset: QuerySet[Any], fields: Iterable[str], view: Any, request: Request
    ) -> list[str]:
        fields = list(fields)
        valid = super().remove_invalid_fields(queryset, fields, view, request)
        if unknown := [term for term in fields if term not in valid]:
            allowed = [
                name for name, _ in self.get_valid_fields(queryset, view, {"request": request})
            ]
            raise ValidationError(
                {
                    "ordering": [
                        f"Unknown ordering field(s): {', '.join(unknown)}. "
                        f"Use: {', '.join(allowed)} (prefix - to reverse)."
                    ]
                }
            )
        return valid


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, skipping the filterset when the request names none of its
    filters: with every value empty it filters nothing (django-filter leaves empty values out)
    and none of our filters is required, but building its form cost a millisecond of every
    unfiltered list, the commonest read."""

    def filter_queryset(self, request: HttpRequest, queryset: QuerySet[Any], view: Any) -> Any:
        filterset_class = self.get_filterset_class(view, queryset)
        named = request.GET.keys() & (filterset_class.base_filters if filterset_class else {})
        if filterset_class is not None and not named:
            return queryset
        return super().filter_queryset(request, queryset, view)
