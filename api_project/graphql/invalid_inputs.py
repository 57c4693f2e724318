"""A mutation's unreadable input values reported in its payload, not in errors[].

A scalar that cannot read a value (a DateTime without a timezone) fails the whole request
during variable coercion, before any resolver runs: the client gets a top-level error where
every other refusal of a mutation comes back as `OperationInfo` with the field's path. While a
mutation runs, scalars hand such values on as `InvalidValue` instead (the `deferring` flag,
set by `DeferInvalidInputs`), and `ReportInvalidInputs`, on every mutation field, answers
them as validation messages (`publishedAt`, `citations.0.…`) before the resolver runs. Queries
keep the strict rule: a bad filter value is a request error.

Only the mutation's own arguments are its input. A value refused further down, in an argument
of the payload's selection (`updateTopic { … stances(filters: {asOf: "…"}) }`), must stop the
mutation before it writes, not fail once the write is done: written there, it is a validation
error (`StrictNestedDateTimes`); passed in a variable, the mutation answers it as
`OperationInfo` on `$name` and does not run.
"""

from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from graphql import (
    FieldNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    ValidationRule,
    ValueNode,
    get_nullable_type,
    is_scalar_type,
)
from strawberry.extensions import FieldExtension, SchemaExtension
from strawberry.types import Info
from strawberry.types.base import has_object_definition
from strawberry.utils.str_converters import to_camel_case
from strawberry_django.fields.types import OperationInfo, OperationMessage
from strawberry_django.utils.typing import get_django_definition

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


def invalid_variables(variables: dict[str, Any]) -> list[OperationMessage]:
    return [
        OperationMessage(
            kind=OperationMessage.Kind.VALIDATION, field=path, message=message, code="invalid"
        )
        for name, value in variables.items()
        for path, message in _invalid(value, f"${name}")
    ]


NULL_TEXT = 'This text is never null: send "" for none.'


def null_texts(kwargs: dict[str, Any]) -> list[OperationMessage]:
    """A null sent for a model's text column that holds "" when empty. The generated inputs
    type such a field `String` (it may be left out), so a client may well send null: the
    model would then fail on it, or the database refuse it, after validation."""
    messages = []
    for value in kwargs.values():
        definition = get_django_definition(type(value))
        if definition is None or definition.model is None:
            continue
        for field in value.__strawberry_definition__.fields:
            if getattr(value, field.python_name, None) is not None:
                continue
            try:
                column = definition.model._meta.get_field(
                    getattr(field, "django_name", None) or field.python_name
                )
            except FieldDoesNotExist:
                continue
            if isinstance(column, models.CharField | models.TextField) and not column.null:
                name = field.graphql_name or to_camel_case(field.python_name)
                messages.append(
                    OperationMessage(
                        kind=OperationMessage.Kind.VALIDATION,
                        field=name,
                        message=NULL_TEXT,
                        code="null",
                    )
                )
    return messages


class ReportInvalidInputs(FieldExtension):
    def resolve(self, next_: Any, source: Any, info: Info, **kwargs: Any) -> Any:
        if messages := (
            invalid_inputs(kwargs) or invalid_variables(info.variable_values) or null_texts(kwargs)
        ):
            return OperationInfo(messages=messages)
        return next_(source, info, **kwargs)


class StrictNestedDateTimes(ValidationRule):
    """In a mutation, a DateTime written below the mutation field (in the payload's selection)
    is checked as strictly as in a query: it is not the mutation's input."""

    def __init__(self, context: Any) -> None:
        super().__init__(context)
        self.mutation = False
        self.depth = 0

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        self.mutation = node.operation == OperationType.MUTATION
        self.depth = 0

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        self.depth += 1

    def leave_field(self, node: FieldNode, *_: Any) -> None:
        self.depth -= 1

    def _check(self, node: ValueNode, *_: Any) -> None:
        if not self.mutation or self.depth < 2:
            return
        found = self.context.get_input_type()
        expected = get_nullable_type(found) if found is not None else None
        if not is_scalar_type(expected) or expected.name != "DateTime":
            return
        token = deferring.set(False)
        try:
            expected.parse_literal(node, None)
        except ValueError as error:
            self.report_error(GraphQLError(str(error), node))
        finally:
            deferring.reset(token)

    enter_string_value = enter_int_value = enter_float_value = _check
    enter_boolean_value = enter_enum_value = enter_list_value = enter_object_value = _check
