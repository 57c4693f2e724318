"""Which GraphQL errors reach the client verbatim.

Errors the client caused stay readable in production: a malformed document, a failed
validation, a refused limit, a page too large, and variables that do not coerce (a naive
DateTime, `Int: "abc"`, an unknown enum value). graphql-core wraps a variable's coercion
failure in GraphQLErrors around the scalar's own error, so the chain is followed to its cause.
Anything else is a bug and is masked as "Unexpected error." unless DEBUG, with the detail in
the server log.
"""

from collections.abc import Iterator

from django.conf import settings
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from api_project.middleware import (
    RETRY_AFTER_SECONDS,
    UNAVAILABLE_DETAIL,
    database_unavailable,
    note_outage,
)


def should_mask(error: GraphQLError) -> bool:
    if settings.DEBUG:
        return False
    original = _cause(error)
    if original is None:
        return False  # syntax, validation, coercion and limit errors: about the document
    return not isinstance(original, ValueError | PermissionError)


def _cause(error: GraphQLError) -> BaseException | None:
    original = error.original_error
    while isinstance(original, GraphQLError):
        original = original.original_error
    return original


class DatabaseUnavailableErrors(SchemaExtension):
    """A field that failed because the database cannot do the work now (unreachable, read-only,
    out of disk: api_project.middleware.database_unavailable, REST's rule) says so with the
    code DATABASE_UNAVAILABLE instead of being masked as a bug, and the HTTP answer is a 503
    with Retry-After, as REST's, so that a client's retry logic sees an outage to wait out.

    Listed after MaskErrors: extensions finish in reverse order, so this one sees the cause
    before MaskErrors would hide it.
    """

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is None or not result.errors:
            return
        unavailable = [database_unavailable(_cause(error)) for error in result.errors]
        if not any(unavailable):
            return
        for error, refused in zip(result.errors, unavailable, strict=True):
            if refused:
                note_outage(_cause(error))
        result.errors = [
            GraphQLError(
                UNAVAILABLE_DETAIL,
                nodes=error.nodes,
                source=error.source,
                positions=error.positions,
                path=error.path,
                extensions={"code": "DATABASE_UNAVAILABLE", "retryAfter": RETRY_AFTER_SECONDS},
            )
            if refused
            else error
            for error, refused in zip(result.errors, unavailable, strict=True)
        ]
        response = getattr(self.execution_context.context, "response", None)
        if response is not None:
            response.status_code = 503
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
