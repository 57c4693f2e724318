"""Which GraphQL errors reach the client verbatim.

Errors the client caused (a malformed document, a failed validation, a refused limit, a page
too large) stay readable; anything else is a bug and is masked as "Unexpected error." unless
DEBUG, with the detail in the server log.
"""

from django.conf import settings
from graphql import GraphQLError


def should_mask(error: GraphQLError) -> bool:
    if settings.DEBUG:
        return False
    original = error.original_error
    if original is None:
        return False  # syntax, validation and limit errors carry no original exception
    return not isinstance(original, ValueError | PermissionError)
