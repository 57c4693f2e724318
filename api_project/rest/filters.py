"""Filter fields and backends shared by every resource."""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
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

MAX_UTC_OFFSET = timedelta(hours=16)


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
        offset = parsed.utcoffset()
        if offset is not None and abs(offset) >= MAX_UTC_OFFSET:
            # Python reads offsets up to ±23:59; PostgreSQL refuses what passes ±15:59.
            raise forms.ValidationError(
                _("A timezone offset is between -15:59 and +15:59."), code="offset"
            )
        try:
            parsed.astimezone(UTC)
        except OverflowError:
            # Stored, an instant past year 9999 in UTC could never be read back.
            raise forms.ValidationError(
                _("Enter an instant between the years 1 and 9999 in UTC."), code="range"
            ) from None
        return parsed


class AwareDateTimeFilter(django_filters.Filter):
    field_class = AwareDateTimeField


class IntegerFilter(django_filters.NumberFilter):
    """A whole number (an id): `1.5` is a 400, and the schema says integer, not number."""

    field_class = forms.IntegerField  # type: ignore[assignment]  # the stubs say Decimal only


def _field(term: str) -> str:
    return term.removeprefix("-")


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

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> Any:
        """A client's ordering, then the view's default ordering for the fields it leaves
        out, then the primary key: rows that tie (every citation of one entry shares its
        `published_at`) keep one order, so no row repeats or goes missing between pages."""
        ordering = super().get_ordering(request, queryset, view)
        if not ordering or not request.query_params.get(self.ordering_param, "").strip():
            return ordering
        default = self.get_default_ordering(view) or ()
        named = {_field(term) for term in ordering}
        terms = [*ordering, *(term for term in default if _field(term) not in named)]
        if not {"pk", queryset.model._meta.pk.name} & {_field(term) for term in terms}:
            terms.append("pk")
        return terms

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        """The document names the fields a list orders by, as the 400 does."""
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        fields = getattr(view, "ordering_fields", None)
        if isinstance(fields, list | tuple) and fields:
            for parameter in parameters:
                parameter["description"] = (
                    f"Comma-separated, each prefixed - to reverse: {', '.join(fields)}."
                )
        return parameters


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
