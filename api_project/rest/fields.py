"""Shape control: `?fields=a,b` keeps just those fields; `?brief=true` gives the brief form.
Strict datetimes: a value without a timezone is refused, never guessed."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from .filters import AwareDateTimeField


class AwareDateTimeSerializerField(serializers.DateTimeField):
    default_error_messages = {"naive": _("Include a timezone, e.g. 2025-09-04T16:20:00Z.")}

    def to_internal_value(self, value: Any) -> datetime:
        if isinstance(value, str):
            try:
                AwareDateTimeField().to_python(value)
            except forms.ValidationError as error:
                if error.code in ("offset", "range"):
                    raise serializers.ValidationError(error.messages, code=error.code) from None
                self.fail("naive" if error.code == "naive" else "invalid", format="ISO 8601")
        return super().to_internal_value(value)


class RecordSerializer(serializers.ModelSerializer[Any]):
    """Model serializer with strict datetimes, `?fields=` selection, and no unknown fields in a
    write: a misspelt field is a 400 naming it, not a silently ignored change (the rule of
    unknown query parameters). Read-only fields may be sent back as read, and are ignored."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: AwareDateTimeSerializerField,
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        selected: set[str] | None = kwargs.pop("selected_fields", None)
        super().__init__(*args, **kwargs)
        if selected is not None:
            unknown = selected - set(self.fields)
            if unknown:
                raise ValidationError(
                    {
                        "fields": [
                            f"Unknown field(s): {', '.join(sorted(unknown))}. "
                            f"Available: {', '.join(self.fields)}."
                        ]
                    }
                )
            for name in set(self.fields) - selected:
                self.fields.pop(name)

    def to_internal_value(self, data: Any) -> Any:
        refuse_unknown_fields(self, data)
        return super().to_internal_value(data)


def refuse_unknown_fields(serializer: serializers.Serializer[Any], data: Any) -> None:
    """A misspelt field in a write is a 400 naming it, not a silently ignored input."""
    if isinstance(data, Mapping) and (unknown := sorted(set(data) - set(serializer.fields))):
        fields = serializer.fields.items()
        writable = sorted(name for name, field in fields if not field.read_only)
        message = f"Unknown field. Use: {', '.join(writable)}."
        raise ValidationError({name: [message] for name in unknown})


class StrictSerializer(serializers.Serializer[Any]):
    """A request body that is no record (an action's arguments), as strict as a record's."""

    def to_internal_value(self, data: Any) -> Any:
        refuse_unknown_fields(self, data)
        return super().to_internal_value(data)


def ordered_fields(request: Request | None) -> list[str]:
    """The names `?fields=` gives, in its order, each once."""
    raw = request.query_params.get("fields") if request is not None else None
    return list(dict.fromkeys(name.strip() for name in (raw or "").split(",") if name.strip()))


def selected_fields(request: Request | None) -> set[str] | None:
    return set(names) if (names := ordered_fields(request)) else None


def wants_brief(request: Request | None) -> bool:
    if request is None:
        return False
    value = request.query_params.get("brief", "").lower()
    if value not in ("", "true", "false", "1", "0"):
        raise ValidationError({"brief": ["Use true or false."]})
    return value in ("true", "1")


class _BriefRepresentation:
    """Reads the related object through one brief serializer, built once per field: building
    a serializer per row was most of a list's cost in the profile."""

    brief: type[serializers.Serializer[Any]]
    context: dict[str, Any]

    def use_pk_only_optimization(self) -> bool:
        return False

    def get_choices(self, cutoff: int | None = None) -> dict[Any, str]:
        """The browsable API's form offers what a write takes (slugs, ids), keyed as written:
        the brief objects a read shows cannot key a choice, and made the editor's form a 500."""
        queryset = self.get_queryset()  # type: ignore[attr-defined]
        if queryset is None:
            return {}
        if cutoff is not None:
            queryset = queryset[:cutoff]
        written = super().to_representation  # type: ignore[misc]  # the relation's own
        return {written(item): self.display_value(item) for item in queryset}  # type: ignore[attr-defined]

    def to_representation(self, value: Any) -> Any:
        reader = self.__dict__.get("_reader")
        if reader is None:
            reader = self.__dict__["_reader"] = self.brief(context=self.context)
        return reader.to_representation(value)


class NestedSlugField(_BriefRepresentation, serializers.SlugRelatedField[Any]):
    """Written as a slug, read as the related object's brief representation."""

    def __init__(self, brief: type[serializers.Serializer[Any]], **kwargs: Any) -> None:
        self.brief = brief
        kwargs.setdefault("slug_field", "slug")
        super().__init__(**kwargs)


class NestedPrimaryKeyField(_BriefRepresentation, serializers.PrimaryKeyRelatedField[Any]):
    """Written as an id, read as the related object's brief representation."""

    def __init__(self, brief: type[serializers.Serializer[Any]], **kwargs: Any) -> None:
        self.brief = brief
        super().__init__(**kwargs)
