"""Which GraphQL errors reach the client verbatim.

Errors the client caused stay readable in production: a malformed document, a failed
validation, a refused limit, a page too large, and variables that do not coerce (a naive
DateTime, `Int: "abc"`, an unknown enum value). graphql-core wraps a variable's coercion
failure in GraphQLErrors around the scalar's own error, so the chain is followed to its cause.
Anything else is a bug and is masked as "Unexpected error." unless DEBUG, with the detail in
the server log.
"""

from django.conf import settings
from graphql import GraphQLError


def should_mask(error: GraphQLError) -> bool:
    if settings.DEBUG:
        return False
    original = error.original_error
    while isinstance(original, GraphQLError):
        original = original.original_error
    if original is None:
        return False  # syntax, validation, coercion and limit errors: about the document
    return not isinstance(original, ValueError | PermissionError)
