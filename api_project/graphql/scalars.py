"""DateTime for GraphQL with the REST rule: ISO 8601 with a timezone, never a guessed one."""

from datetime import datetime
from typing import Any

import strawberry
from django import forms

from api_project.rest.filters import AwareDateTimeField


def _parse(value: Any) -> datetime:
    try:
        parsed = AwareDateTimeField().to_python(value)
    except forms.ValidationError as error:
        raise ValueError(" ".join(error.messages)) from None
    if parsed is None:
        raise ValueError("Enter an ISO 8601 date and time with a timezone.")
    return parsed


AwareDateTime = strawberry.scalar(
    name="DateTime",
    description="ISO 8601 date and time with a timezone, e.g. 2025-09-04T16:20:00Z.",
    serialize=lambda value: value.isoformat(),
    parse_value=_parse,
)
