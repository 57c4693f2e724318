"""Lists written with their parent (an entry's citations and mentions): a field read in one shape
and written in another, and the errors of a nested list keyed by path.

A citation is read with its source as an object, its `via` as the id of another citation and
its `chain` spelled out, but written as GraphQL's `CitationInput` is: slugs, and a `key`/`via`
pair naming links of the same list. `SplitField` keeps both shapes on one serializer, so the
read stays as it was and the OpenAPI document describes each direction (`Citation` and
`CitationRequest`). Errors are keyed `citations.0.source`, the path the write service
(`events.services.entry_save`) and GraphQL use, whichever check refused the value.
"""

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.fields import empty
from rest_framework.settings import api_settings

AnyField = serializers.Field[Any, Any, Any, Any]


class SplitField(AnyField):
    """Read through `read`, written through `write` (each a field or a serializer)."""

    def __init__(self, *, read: AnyField, write: AnyField, **kwargs: Any) -> None:
        self.read = read
        self.write = write
        kwargs.setdefault("required", write.required)
        kwargs.setdefault("allow_null", write.allow_null)
        super().__init__(**kwargs)

    def bind(self, field_name: str, parent: Any) -> None:
        super().bind(field_name, parent)
        for side in (self.read, self.write):
            side.bind(field_name, parent)

    def get_attribute(self, instance: Any) -> Any:
        return self.read.get_attribute(instance)

    def to_representation(self, value: Any) -> Any:
        return self.read.to_representation(value)

    def run_validation(self, data: Any = empty) -> Any:
        return self.write.run_validation(data)


class SplitFieldExtension(OpenApiSerializerFieldExtension):  # type: ignore[no-untyped-call]
    """The request schema describes the written shape, the response the read one."""

    target_class = "api_project.rest.nested.SplitField"

    def map_serializer_field(self, auto_schema: AutoSchema, direction: Any) -> Any:
        side = self.target.write if direction == "request" else self.target.read
        return auto_schema._map_serializer_field(side, direction)  # type: ignore[no-untyped-call]


class WholeItems(serializers.Serializer[Any]):
    """An item of a list written with its parent is written whole, even in the parent's PATCH:
    DRF skips the missing fields of every serializer under a partial write, which would let a
    citation without its `role` through to the service."""

    def validate(self, attrs: Any) -> Any:
        missing = [
            name
            for name, field in self.fields.items()
            if field.required and not field.read_only and field.source not in attrs
        ]
        if missing:
            required = ErrorDetail("This field is required.", code="required")
            raise serializers.ValidationError({name: [required] for name in missing})
        return super().validate(attrs)


def path_errors(errors: Any, names: tuple[str, ...]) -> Any:
    """The errors of the nested lists `names`, keyed by path (`citations.1.via`) instead of
    nested (`{"citations": [{}, {"via": [...]}]}`); the other fields' errors stay as they are."""
    if not isinstance(errors, dict):
        return errors
    flat: dict[str, Any] = {}
    for key, value in errors.items():
        if key in names:
            _flatten(value, key, flat)
        else:
            flat[key] = value
    return flat


def _flatten(value: Any, path: str, into: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            at_path = key == api_settings.NON_FIELD_ERRORS_KEY
            _flatten(item, path if at_path else f"{path}.{key}", into)
    elif isinstance(value, list) and all(isinstance(item, dict) for item in value):
        for index, item in enumerate(value):
            _flatten(item, f"{path}.{index}", into)
    elif isinstance(value, list):
        into.setdefault(path, []).extend(value)
    else:
        into.setdefault(path, []).append(value if isinstance(value, ErrorDetail) else str(value))
