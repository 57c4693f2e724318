"""Writes to actors and stances, for every interface."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone

from events.services import record_save

from .choices import CurationStatus
from .models import Stance


@transaction.atomic
def stance_save(*, stance: Stance, by: AbstractBaseUser | AnonymousUser) -> Stance:
    """Save a stance; a curation decision (any status but proposed) records who made it and
    when, whenever the status changes."""
    previous = Stance.objects.filter(pk=stance.pk).values_list("status", flat=True).first()
    if stance.status != previous:
        if stance.status == CurationStatus.PROPOSED:
            stance.decided_by, stance.decided_at = None, None
        else:
            stance.decided_by = by if by.is_authenticated else None  # type: ignore[assignment]
            stance.decided_at = timezone.now()
    return record_save(instance=stance)


@transaction.atomic
def stance_decide(
    *, stance: Stance, status: CurationStatus, by: AbstractBaseUser | AnonymousUser
) -> Stance:
    """Curate a proposed stance: verify, dispute or reject it. Verifying one that overlaps
    another verified stance of the same actor and topic is refused by the exclusion
    constraint, with its message."""
    stance.status = status
    return stance_save(stance=stance, by=by)
