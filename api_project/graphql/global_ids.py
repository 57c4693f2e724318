"""A mutation's unreadable global IDs reported in its payload, naming where they were sent.

A GlobalID argument (`id`, `data.id`, `data.evidence`) is read by strawberry while it converts
the field's arguments, after graphql-core has coerced them and before any field extension runs,
so `ReportInvalidInputs` never sees it; strawberry's refusal ("Value cannot represent a
GlobalID") names no argument. The schema's exception handler answers it as `OperationInfo`
instead, one message per unreadable id, its path relative to `data` as the payload's other
field paths are (`id`, `evidence`, `citations.0.source`). Only fields whose result can be an
`OperationInfo` (the mutations) are handled; elsewhere the refusal stays a request error.
"""

from collections.abc import Iterator, Mapping
from typing import Any

from strawberry.relay import GlobalID, GlobalIDValueError
from strawberry.relay.types import InvalidGlobalIDError
from strawberry.schema.exception_handlers import ExceptionHandler
from strawberry.types import Info
from strawberry.types.base import StrawberryList, StrawberryOptional, has_object_definition
from strawberry.types.field import StrawberryField
from strawberry.types.lazy_type import LazyType
from strawberry.types.nodes import SelectedField
from strawberry.types.unset import UNSET
from strawberry_django.fields.types import OperationInfo, OperationMessage

UNREADABLE = "Not a global ID: send the `id` a query returned."


def _unreadable(value: Any, type_: Any, path: str, info: Info) -> Iterator[str]:
    """The paths under `path` whose value of type `type_` is not a readable global ID."""
    while isinstance(type_, StrawberryOptional | LazyType):
        type_ = type_.of_type if isinstance(type_, StrawberryOptional) else type_.resolve_type()
    if value is None or value is UNSET:
        return
    if isinstance(type_, StrawberryList):
        for index, item in enumerate(value):
            yield from _unreadable(item, type_.of_type, f"{path}.{index}", info)
    elif type_ is GlobalID:
        try:
            GlobalID.from_id(value)
        except GlobalIDValueError:
            yield path
    elif has_object_definition(type_) and isinstance(value, Mapping):
        definition = type_.__strawberry_definition__
        for field in definition.fields:
            name = info.schema.config.name_converter.from_field(field)
            if name in value:
                field_type = field.resolve_type(type_definition=definition)
                yield from _unreadable(value[name], field_type, f"{path}.{name}", info)


def unreadable_ids(field: StrawberryField, info: Info) -> list[str]:
    """Where the field's arguments, as sent (written in the document or passed in variables),
    hold an unreadable global ID."""
    [sent] = [s for s in info.selected_fields if isinstance(s, SelectedField)]
    names = info.schema.config.name_converter
    return [
        path.removeprefix("data.")
        for argument in field.arguments
        for name in [names.from_argument(argument)]
        for path in _unreadable(sent.arguments.get(name), argument.type, name, info)
    ]


class UnreadableGlobalIDs(ExceptionHandler[InvalidGlobalIDError, OperationInfo]):
    def handle(
        self, exception: InvalidGlobalIDError, *, field: StrawberryField, info: Info
    ) -> OperationInfo | None:
        paths = unreadable_ids(field, info)
        if not paths:
            return None  # not found again: strawberry's own error stands
        return OperationInfo(
            messages=[
                OperationMessage(
                    kind=OperationMessage.Kind.VALIDATION,
                    field=path,
                    message=UNREADABLE,
                    code="invalid",
                )
                for path in paths
            ]
        )
