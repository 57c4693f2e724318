"""DateTime for GraphQL with the REST rule: ISO 8601 with a timezone, never a guessed one."""

from datetime import datetime
from typing import Any

import strawberry
from django import forms

from api_project.rest.filters import AwareDateTimeField

from .invalid_inputs import InvalidValue, deferring


def _parse(value: Any) -> datetime | InvalidValue:
    """The instant; a refusal is an error, or in a mutation's input an InvalidValue that the
    payload reports with the field's path (api_project/graphql/invalid_inputs.py)."""
    message = "Enter an ISO 8601 date and time with a timezone."
    if isinstance(value, str):
        try:
            parsed = AwareDateTimeField().to_python(value)
        except forms.ValidationError as error:
            message = " ".join(error.messages)
        else:
            if parsed is not None:
                return parsed
    if deferring.get():
        return InvalidValue(message)
    raise ValueError(message)


AwareDateTime = strawberry.scalar(
    name="DateTime",
    description="ISO 8601 date and time with a timezone, e.g. 2025-09-04T16:20:00Z.",
    serialize=lambda value: value.isoformat(),
    parse_value=_parse,
)
