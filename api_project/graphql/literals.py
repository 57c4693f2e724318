"""Text written in the document itself gets the check a JSON body's text gets (safe_json).

A NUL sent in `variables` is refused with the body, but a string literal in the query can spell
one as an escape (`"\\u0000"`) that only the GraphQL parser decodes; PostgreSQL text cannot hold
it, so the query failed as an internal error. It is a validation error instead: a request
error with its message, before anything runs.
"""

from typing import Any

from graphql import GraphQLError, StringValueNode, ValidationRule

from api_project.safe_json import NUL_MESSAGE


class NoNulInStrings(ValidationRule):
    def enter_string_value(self, node: StringValueNode, *_args: Any) -> None:
        if "\x00" in node.value:
            self.report_error(GraphQLError(NUL_MESSAGE, node))
