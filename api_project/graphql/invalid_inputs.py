"""A mutation's unreadable input values reported in its payload, not in errors[].

A scalar that cannot read a value (a DateTime without a timezone) fails the whole request
during variable coercion, before any resolver runs: the client gets a top-level error where
every other refusal of a mutation comes back as `OperationInfo` with the field's path. While a
mutation runs, scalars hand such values on as `InvalidValue` instead (the `deferring` flag,
set by `DeferInvalidInputs`), and `ReportInvalidInputs`, on every mutation field, answers
them as validation messages (`publishedAt`, `citations.0.…`) before the resolver runs. Queries
keep the strict rule: a bad filter value is a request error.
"""

from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from strawberry.extensions import FieldExtension, SchemaExtension
from strawberry.types import Info
from strawberry.types.base import has_object_definition
from strawberry.utils.str_converters import to_camel_case
from strawberry_django.fields.types import OperationInfo, OperationMessage

from .documents import operation

deferring: ContextVar[bool] = ContextVar("deferring", default=False)


@dataclass(frozen=True, slots=True)
class InvalidValue:
    """A value a scalar refused, with its message for the client."""

    message: str


class DeferInvalidInputs(SchemaExtension):
    """Scalars defer their refusals while a mutation is validated and executed."""

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        found = operation(context.query, context.operation_name) if context.query else None
        token = deferring.set(found is not None and found.operation.value == "mutation")
        try:
            yield
        finally:
            deferring.reset(token)


def _invalid(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, InvalidValue):
        yield path, value.message
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _invalid(item, f"{path}.{index}")
    elif has_object_definition(value):
        for field in value.__strawberry_definition__.fields:
            name = field.graphql_name or to_camel_case(field.python_name)
            yield from _invalid(getattr(value, field.python_name, None), f"{path}.{name}")


def invalid_inputs(kwargs: dict[str, Any]) -> list[OperationMessage]:
    """Messages for every deferred refusal in a mutation's arguments; paths are relative to
    `data`, as the payload's other field paths are."""
    messages = []
    for argument, value in kwargs.items():
        for path, message in _invalid(value, to_camel_case(argument)):
            messages.append(
                OperationMessage(
                    kind=OperationMessage.Kind.VALIDATION,
                    field=path.removeprefix("data."),
                    message=message,
                    code="invalid",
                )
            )
    return messages


class ReportInvalidInputs(FieldExtension):
    def resolve(self, next_: Any, source: Any, info: Info, **kwargs: Any) -> Any:
        if messages := invalid_inputs(kwargs):
            return OperationInfo(messages=messages)
        return next_(source, info, **kwargs)
