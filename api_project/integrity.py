"""The database's refusal of a write, said as the model's validation says it.

Validation runs before every save, but two writers can both pass it and race to the database,
whose constraints then refuse the loser with an IntegrityError. The loser must get the answer a
writer that came second would have got: the same field, message and code (`unique` for a
duplicate, which REST answers with a 409; the end field for a span that ends before it
starts). The constraint is found by the name PostgreSQL reports; a unique column, whose
constraint name PostgreSQL chose, by the key it reports.
"""

import re

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models

from api_project.constraints import violation_error

UNIQUE_VIOLATION = "23505"
KEY = re.compile(r"^Key \((?P<columns>[^)]*)\)=")


def _model(table: str | None) -> type[models.Model] | None:
    return next((m for m in apps.get_models() if m._meta.db_table == table), None)


def as_validation_error(error: IntegrityError) -> ValidationError | None:
    """The ValidationError validation would have raised, or None for a refusal it has no
    words for (a foreign key to a row deleted meanwhile)."""
    cause = error.__cause__
    diag = getattr(cause, "diag", None)
    model = _model(getattr(diag, "table_name", None))
    if diag is None or model is None:
        return None
    for constraint in model._meta.constraints:
        if constraint.name == diag.constraint_name:
            return violation_error(constraint)
    found = KEY.match(diag.message_detail or "")
    if getattr(cause, "sqlstate", None) != UNIQUE_VIOLATION or found is None:
        return None
    columns = [column.strip().strip('"') for column in found["columns"].split(",")]
    fields = [f for f in model._meta.concrete_fields if f.unique and [f.column] == columns]
    if not fields:
        return None
    field = fields[0]
    message = model().unique_error_message(model, (field.name,))
    return ValidationError({field.name: [message]})
