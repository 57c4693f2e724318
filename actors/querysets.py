"""Filter rules for actors and stances: the only definition of each.

Each rule is a `Q` builder taking a relation prefix, so REST, GraphQL and admin can apply it
directly or through a relation; the QuerySet methods are the ORM's spelling of the same rule.
"""

from datetime import datetime
from typing import TYPE_CHECKING, Self

from django.db import models
from django.db.models import Q

from .choices import CurationStatus

if TYPE_CHECKING:  # the models module imports this one
    from .models import Stance  # noqa: F401 (named in a string base class)

    pass


def valid_at(at: datetime, prefix: str = "") -> Q:
    """In force at `at`: started at or before it, and not yet ended."""
    return Q(**{f"{prefix}valid_from__lte": at}) & (
        Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gt": at})
    )


def publicly_visible(prefix: str = "") -> Q:
    """What anonymous readers may see of stances: verified ones only."""
    return Q(**{f"{prefix}status": CurationStatus.VERIFIED})


class StanceQuerySet(models.QuerySet["Stance"]):
    def valid_at(self, at: datetime) -> Self:
        return self.filter(valid_at(at))

    def publicly_visible(self) -> Self:
        return self.filter(publicly_visible())
