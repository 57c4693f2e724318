"""Filter fields shared by every FilterSet."""

from datetime import datetime
from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _


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
