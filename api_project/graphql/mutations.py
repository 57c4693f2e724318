"""What every GraphQL mutation shares: finding its object, the optional `ifMatch` precondition
(the record's `version`, checked under a row lock in the write's transaction), and turning the
database's refusals into typed validation errors (OperationInfo) instead of errors[] entries."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, TypeVar

import strawberry
import strawberry_django
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, models, transaction
from strawberry import Info, relay
from strawberry.annotation import StrawberryAnnotation
from strawberry.extensions import FieldExtension
from strawberry.types.arguments import StrawberryArgument
from strawberry_django.arguments import argument
from strawberry_django.fields.types import OperationInfo
from strawberry_django.mutations import resolvers
from strawberry_django.mutations.fields import (
    DjangoCreateMutation,
    DjangoUpdateMutation,
    get_pk,
    get_vdata,
)
from strawberry_django.permissions import get_with_perms

from api_project.integrity import as_validation_error
from api_project.versions import check_version
from events.services import record_delete

IF_MATCH_DESCRIPTION = (
    "The `version` the client last read: the write is refused (code precondition_failed, "
    "field ifMatch) if the record changed since."
)
IfMatch = Annotated[str | None, strawberry.argument(description=IF_MATCH_DESCRIPTION)]

M = TypeVar("M", bound=models.Model)


class AtomicMutation(FieldExtension):
    """Each mutation is one transaction: its precondition, checked under a row lock, commits
    with its writes, and a mutation that answers OperationInfo (a refusal) writes nothing."""

    def resolve(self, next_: Any, source: Any, info: Info, **kwargs: Any) -> Any:
        with transaction.atomic():
            result = next_(source, info, **kwargs)
            if isinstance(result, OperationInfo):
                transaction.set_rollback(True)
            return result


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
    except IntegrityError as error:
        refusal = as_validation_error(error)
        if refusal is not None:
            raise refusal from None
        raise ValidationError("This conflicts with an existing record.", code="conflict") from None


def _missing(model: type[models.Model], field: str) -> ValidationError:
    error = ValidationError(f"No such {model._meta.verbose_name}.", code="not_found")
    return ValidationError({field: error})


def node_pk(model: type[models.Model], node_id: relay.GlobalID, field: str = "id") -> Any:
    """The primary key a global ID names; an id of another type is a field error, and so is
    one whose key the model cannot read (`Topic:abc`), which names no row."""
    if node_id.type_name != model.__name__:  # GraphQL types are named after their models
        error = ValidationError(f"Not an id of type {model.__name__}.", code="invalid")
        raise ValidationError({field: error})
    pk = model._meta.pk
    assert pk is not None
    try:
        return pk.to_python(node_id.node_id)
    except ValidationError:
        raise _missing(model, field) from None


def node_instance(model: type[M], node_id: relay.GlobalID, field: str = "id") -> M:
    """The object a global ID names, for a mutation; a wrong type or a missing row is a field
    error."""
    found = model._default_manager.filter(pk=node_pk(model, node_id, field)).first()
    if found is None:
        raise _missing(model, field)
    return found


@strawberry.type(name="Deletion")
class DeletionType:
    """What a delete removed."""

    id: relay.GlobalID


def checked_instance(
    model: type[M], node_id: relay.GlobalID, if_match: str | None, field: str = "id"
) -> M:
    """The object a global ID names, locked for the mutation's transaction, after checking the
    client's `ifMatch` against its version."""
    return check_version(node_instance(model, node_id, field), if_match)


def delete_node(
    model: type[models.Model], node_id: relay.GlobalID, if_match: str | None = None
) -> DeletionType:
    """Delete what the id names; a record others cite stays, and the refusal is typed."""
    instance = checked_instance(model, node_id, if_match)
    with conflicts_as_errors():
        record_delete(instance=instance)
    return DeletionType(id=node_id)


def _if_match_argument() -> StrawberryArgument:
    found: StrawberryArgument = argument("if_match", str, is_optional=True, default=None)
    found.description = IF_MATCH_DESCRIPTION
    return found


class CheckedCreateMutation(DjangoCreateMutation):
    """strawberry-django's create, with a unique index hit under a race answered as a typed
    conflict."""

    def create(self, data: dict[str, Any], *, info: Info) -> Any:
        with conflicts_as_errors():
            return super().create(data, info=info)


class CheckedUpdateMutation(DjangoUpdateMutation):
    """strawberry-django's update, with the optional `ifMatch` precondition and conflicts typed.
    The row is locked before it is read, so the check and the write see the same record."""

    @property
    def arguments(self) -> list[StrawberryArgument]:
        return [*super().arguments, _if_match_argument()]

    @arguments.setter
    def arguments(self, value: list[StrawberryArgument]) -> None:
        DjangoUpdateMutation.arguments.fset(self, value)  # type: ignore[attr-defined]

    def instance_level_update(self, info: Info, kwargs: dict[str, Any], data: Any) -> Any:
        model = self.django_model
        assert model is not None
        vdata = get_vdata(data)
        pk = get_pk(vdata, key_attr=self.key_attr)
        if isinstance(pk, relay.GlobalID):
            node_pk(model, pk)  # another type's id, or an unreadable key: a field error
        try:
            found = get_with_perms(pk, info, model=model, key_attr=self.key_attr)  # type: ignore[arg-type]
        except ObjectDoesNotExist:
            found = None
        if found is None:
            raise _missing(model, "id")
        instance = check_version(found, kwargs.get("if_match"))
        parsed = resolvers.parse_input(info, vdata, key_attr=self.key_attr)
        with conflicts_as_errors():
            return self.update(info, instance, parsed)


def create_mutation(input_type: type, permission: Any) -> Any:
    """`mutations.create` with races typed (see `CheckedCreateMutation`)."""
    return CheckedCreateMutation(
        input_type,
        python_name=None,
        type_annotation=StrawberryAnnotation.from_annotation(None),
        extensions=[permission],
    )


def update_mutation(input_type: type, permission: Any) -> Any:
    """`mutations.update` with `ifMatch` (see `CheckedUpdateMutation`)."""
    return CheckedUpdateMutation(
        input_type,
        python_name=None,
        type_annotation=StrawberryAnnotation.from_annotation(None),
        extensions=[permission],
    )


def delete_mutation(model: type[models.Model], permission: Any) -> Any:
    """A delete of `model` by its global id (`delete_node`), with `ifMatch`."""

    def resolver(
        self: Any, info: Info, id: relay.GlobalID, if_match: IfMatch = None
    ) -> DeletionType:
        return delete_node(model, id, if_match)

    return strawberry_django.mutation(resolver, extensions=[permission])
