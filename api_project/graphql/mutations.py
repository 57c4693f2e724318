"""What every GraphQL mutation shares: finding its object, and turning the database's refusals
into typed validation errors (OperationInfo) instead of errors[] entries."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

import strawberry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models
from strawberry import relay

from events.services import record_delete

M = TypeVar("M", bound=models.Model)


@contextmanager
def conflicts_as_errors() -> Iterator[None]:
    """A unique index hit under a race, or a delete of something others cite, is a conflict
    the client must see in the payload, not a server error."""
    try:
        yield
    except models.ProtectedError as error:
        cited = sorted({str(type(obj)._meta.verbose_name) for obj in error.protected_objects})
        raise ValidationError(
            f"Other records cite this one ({', '.join(map(str, cited))}); it cannot be deleted.",
            code="protected",
        ) from None
    except IntegrityError:
        raise ValidationError("This conflicts with an existing record.", code="conflict") from None


def node_instance(model: type[M], node_id: relay.GlobalID, field: str = "id") -> M:
    """The object a global ID names, for a mutation; a wrong type or a missing row is a field
    error."""
    if node_id.type_name != model.__name__:  # GraphQL types are named after their models
        error = ValidationError(f"Not a {model._meta.verbose_name} id.", code="invalid")
        raise ValidationError({field: error})
    found = model._default_manager.filter(pk=node_id.node_id).first()
    if found is None:
        error = ValidationError(f"No such {model._meta.verbose_name}.", code="not_found")
        raise ValidationError({field: error})
    return found


def by_slug(model: type[M], slug: str | None, field: str) -> M | None:
    if slug is None:
        return None
    found = model._default_manager.filter(slug=slug).first()
    if found is None:
        raise ValidationError({field: f"No {model._meta.verbose_name} with slug {slug!r}."})
    return found


@strawberry.type(name="Deletion")
class DeletionType:
    """What a delete removed."""

    id: relay.GlobalID


def delete_node(model: type[models.Model], node_id: relay.GlobalID) -> DeletionType:
    """Delete what the id names; a record others cite stays, and the refusal is typed."""
    instance = node_instance(model, node_id)
    with conflicts_as_errors():
        record_delete(instance=instance)
    return DeletionType(id=node_id)
