"""A compiled executor for the read queries frontends send most.

Resolving a large page field by field (Strawberry's and strawberry-django's wrappers around
each of ~3,000 fields) cost far more than the SQL behind it: the event page took 60 ms on the
standard executor. Here a document and its variables are turned once into a program: one
query per relation level (to-one relations joined, as the optimizer joins them; the SQL of
each level compiled by the ORM once), and for each object one generated function building its
dictionary from the row, columns read as they are wherever the scalar would return them
unchanged. The same page takes about 5 ms.

It is an optimisation, never a second semantics:
- only documents the standard executor has already run without errors are compiled, so every
  validation rule and limit (depth, aliases, tokens) has been applied to them by the real thing;
- what the plan does not cover (custom resolvers, filters, cursors, list connections, unions,
  a nested connection under more than one parent, a null where the schema promises a value…)
  raises `Unsupported`, and the standard executor answers instead;
- relations read the same querysets the schema's types read (default managers, model ordering,
  the type's own `get_queryset` visibility rule, strawberry-django's ordering and cursor
  pagination), and leaves are serialised by the schema's own scalar and enum types.
tests/api_project/test_graphql_compiled.py runs the suite's queries through both executors.
"""

import json
import logging
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from graphql import FragmentDefinitionNode, OperationDefinitionNode, OperationType
from graphql.execution.values import VariableValues, get_variable_values
from strawberry import Schema
from strawberry.types import ExecutionResult

from ..documents import parsed
from . import plans
from .compiler import Compiler
from .plans import Row, Unsupported

__all__ = ["Unsupported", "execute", "learn"]

logger = logging.getLogger(__name__)
# Documents the standard executor ran without errors: validated, so safe to compile.
_validated: set[str] = set()


def learn(query: str | None, result: ExecutionResult) -> None:
    if query and not result.errors and len(_validated) < 10_000:
        _validated.add(query)


def execute(
    schema: Schema,
    query: str | None,
    variables: dict[str, Any] | None,
    operation_name: str | None,
    context: Any,
) -> ExecutionResult | None:
    """The response, or None when the standard executor must answer."""
    if not query or query not in _validated:
        return None
    try:
        program = _program(schema, query, operation_name, json.dumps(variables, sort_keys=True))
        if program is None:
            return None
        token = plans.context.set(context)
        try:
            data = program()
        finally:
            plans.context.reset(token)
    except Unsupported:
        return None
    except Exception:  # a gap in the plan must cost speed, never the answer
        logger.exception("Compiled execution failed; the standard executor answers.")
        return None
    return ExecutionResult(data=data, errors=None)


@lru_cache(maxsize=512)
def _program(
    schema: Schema, query: str, operation_name: str | None, variables: str
) -> Callable[[], Row] | None:
    """The document turned into one function, once per document and variables; None when the
    standard executor must answer."""
    try:
        return _compile(schema, query, operation_name, json.loads(variables))
    except Unsupported:
        return None


def _compile(
    schema: Schema,
    query: str,
    operation_name: str | None,
    variables: dict[str, Any] | None,
) -> Callable[[], Row]:
    document = parsed(query)
    if document is None:
        raise Unsupported
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [o for o in operations if operation_name is None or _name(o) == operation_name]
    if len(chosen) != 1 or chosen[0].operation != OperationType.QUERY:
        raise Unsupported
    operation = chosen[0]
    coerced = get_variable_values(
        schema._schema, operation.variable_definitions or (), variables or {}
    )
    if not isinstance(coerced, VariableValues):
        raise Unsupported
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    compiler = Compiler(schema, coerced, fragments)
    root_type = schema._schema.query_type
    assert root_type is not None
    return compiler.root(root_type, operation.selection_set)


def _name(operation: OperationDefinitionNode) -> str | None:
    return operation.name.value if operation.name else None
