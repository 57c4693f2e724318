"""`field__in_array=ids`: `column = ANY(%s)` with the ids as one array parameter.

Batch loads of a page's relations filter on a few hundred ids; as an IN list those parameters
spent more time being spliced into the SQL on the client than the database spent on the query.
Registered for every field by the events app.
"""

from typing import Any

from django.db.models import Field, ForeignObject, Lookup


class InArray(Lookup[Any]):
    lookup_name = "in_array"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids = self.rhs if isinstance(self.rhs, list) else list(self.rhs)
        return f"{lhs} = ANY(%s)", [*lhs_params, ids]


def register() -> None:
    Field.register_lookup(InArray)
    ForeignObject.register_lookup(InArray)
