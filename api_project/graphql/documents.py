"""GraphQL documents parsed once per text: the response cache asks whether a request is a
query, and the compiled executor plans from the same parsed document."""

from functools import lru_cache
from typing import Any

from graphql import DocumentNode, GraphQLError, OperationDefinitionNode, OperationType, parse
from graphql.utilities import get_operation_ast


@lru_cache(maxsize=1024)
def parsed(query: str) -> DocumentNode | None:
    try:
        return parse(query, max_tokens=2000)
    except GraphQLError:
        return None


def operation(query: str, operation_name: str | None) -> OperationDefinitionNode | None:
    document = parsed(query)
    return None if document is None else get_operation_ast(document, operation_name)


def is_query(data: dict[str, Any]) -> bool:
    name = data.get("operationName")
    found = operation(data["query"], name if isinstance(name, str) else None)
    return found is not None and found.operation == OperationType.QUERY
