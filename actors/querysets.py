"""Filter rules for actors and stances: the only definition of each.

Each rule is a `Q` builder taking a relation prefix, so REST, GraphQL and admin can apply it
directly or through a relation; the QuerySet methods are the ORM's spelling of the same rule.
"""

from datetime import date, datetime
from typing import TYPE_CHECKING, Self

from django.contrib.auth.models import PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.lookups import DataContains
from django.db import models
from django.db.models import CharField, Exists, F, Func, OuterRef, Q, Value
from django.db.models.functions import Lower
from django.db.models.lookups import Contains

from .choices import CurationStatus

if TYPE_CHECKING:  # the models module imports this one
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

    from .models import Stance  # noqa: F401 (named in a string base class)

    pass


def valid_at(at: datetime, prefix: str = "") -> Q:
    """In force at `at`: started at or before it, and not yet ended. A stance kept as further
    evidence of another (`same_as`) is never in force itself: the other one is, once."""
    return (
        Q(**{f"{prefix}valid_from__lte": at})
        & (Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gt": at}))
        & ~Q(**{f"{prefix}status": CurationStatus.CORROBORATES})
    )


def publicly_visible(prefix: str = "") -> Q:
    """What anonymous readers may see of stances: verified ones, and those an editor kept as
    further evidence of a verified one (never in force themselves: `valid_at`)."""
    return Q(**{f"{prefix}status__in": [CurationStatus.VERIFIED, CurationStatus.CORROBORATES]})


def sees_every_stance(user: "AbstractBaseUser | AnonymousUser") -> bool:
    """Editors (who may view stances) see every curation status; everybody else, verified."""
    return isinstance(user, PermissionsMixin) and user.has_perm("actors.view_stance")


def visible_to(user: "AbstractBaseUser | AnonymousUser", prefix: str = "") -> Q:
    """The stances a viewer may see. Every read path applies this one rule."""
    return Q() if sees_every_stance(user) else publicly_visible(prefix)


def called(text: str, prefix: str = "") -> Q:
    """Named exactly `text`, or with `text` among the aliases, ignoring case."""
    lowered = Func(
        F(f"{prefix}aliases"),
        function="lower",
        template="%(function)s(%(expressions)s::text)::varchar[]",
        output_field=ArrayField(CharField()),
    )
    return Q(**{f"{prefix}name__iexact": text}) | Q(
        DataContains(lowered, Value([text.lower()], output_field=ArrayField(CharField())))
    )


def named(text: str, prefix: str = "") -> Q:
    """Name or one of the aliases containing `text`, ignoring case."""
    aliases = Func(F(f"{prefix}aliases"), Value(" | "), function="array_to_string")
    return Q(**{f"{prefix}name__icontains": text}) | Q(
        Contains(Lower(aliases, output_field=CharField()), text.lower())
    )


def member_of(group_slug: str, at: date | None = None, prefix: str = "") -> Q:
    """Actors with a membership of the group, current at `at` when given."""
    from .models import Membership

    memberships = Membership.objects.filter(member=OuterRef(f"{prefix}pk"), group__slug=group_slug)
    if at is not None:
        memberships = memberships.filter(
            Q(started_on__isnull=True) | Q(started_on__lte=at),
            Q(ended_on__isnull=True) | Q(ended_on__gte=at),
        )
    return Q(Exists(memberships))


def naming_actor(actor_slug: str, prefix: str = "") -> Q:
    """Mentions of the actor."""
    return Q(**{f"{prefix}actor__slug": actor_slug})


class StanceQuerySet(models.QuerySet["Stance"]):
    def valid_at(self, at: datetime) -> Self:
        return self.filter(valid_at(at))

    def publicly_visible(self) -> Self:
        return self.filter(publicly_visible())

    def visible_to(self, user: "AbstractBaseUser | AnonymousUser") -> Self:
        return self.filter(visible_to(user))
