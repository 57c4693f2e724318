"""Writes to actors and stances, for every interface."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from events.services import record_save

from .choices import CurationStatus
from .conflicts import moment
from .models import Stance

Editor = AbstractBaseUser | AnonymousUser


@transaction.atomic
def stance_save(*, stance: Stance, by: Editor) -> Stance:
    """Save a stance; a curation decision (any status but proposed) records who made it and
    when, whenever the status changes. A stance decided as anything but the same stance as
    another no longer names one."""
    previous = Stance.objects.filter(pk=stance.pk).values_list("status", flat=True).first()
    if stance.status != previous:
        if stance.status != CurationStatus.CORROBORATES:
            stance.same_as = None
        if stance.status == CurationStatus.PROPOSED:
            stance.decided_by, stance.decided_at = None, None
        else:
            stance.decided_by = by if by.is_authenticated else None  # type: ignore[assignment]
            stance.decided_at = timezone.now()
    return record_save(instance=stance)


@transaction.atomic
def stance_decide(*, stance: Stance, status: CurationStatus, by: Editor) -> Stance:
    """Curate a proposed stance: verify, dispute or reject it. Verifying one that overlaps
    another verified stance of the same actor and topic is refused, naming that stance."""
    stance.status = status
    return stance_save(stance=stance, by=by)


def _refuse(message: str, code: str, field: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _add_note(stance: Stance, note: str) -> None:
    note = note.strip()
    if note:
        stance.curator_note = f"{stance.curator_note}\n\n{note}" if stance.curator_note else note


def _locked(stance: Stance, other: Stance | None, field: str) -> tuple[Stance, Stance]:
    """Both stances, re-read under a row lock (in id order, so that two editors settling the
    same pair wait for each other instead of deadlocking): the checks and the writes see the
    same rows."""
    if other is None:
        raise _refuse("No such stance.", "not_found", field)
    rows = Stance.objects.select_for_update().filter(pk__in=[stance.pk, other.pk]).order_by("pk")
    found = {row.pk: row for row in rows}
    if other.pk not in found:
        raise _refuse("No such stance.", "not_found", field)
    if stance.pk not in found:
        raise _refuse("No such stance.", "not_found", "id")
    return found[stance.pk], found[other.pk]


def _same_subject(stance: Stance, other: Stance, field: str) -> None:
    if other.pk == stance.pk:
        raise _refuse("A stance cannot settle a conflict with itself.", "self", field)
    if (other.actor_id, other.topic_id) != (stance.actor_id, stance.topic_id):
        raise _refuse("That stance is another actor's or on another topic.", "other_subject", field)
    if other.status != CurationStatus.VERIFIED:
        raise _refuse(
            f"“{other}” is {other.get_status_display().lower()}, not verified: only a verified "
            "stance can be superseded or confirmed.",
            "not_verified",
            field,
        )


@transaction.atomic
def stance_supersede(
    *, stance: Stance, earlier: Stance | None, by: Editor, note: str = ""
) -> Stance:
    """Verify `stance` as the successor of the verified stance `earlier`: the earlier one ends
    where this one starts, in the same transaction, so the two never overlap and the
    history shows one decision. `note` is the editor's reason, kept on `stance`."""
    stance, earlier = _locked(stance, earlier, "supersedes")
    _same_subject(stance, earlier, "supersedes")
    if earlier.valid_from >= stance.valid_from:
        raise _refuse(
            f"“{earlier}” starts at {moment(earlier.valid_from)}, not before this stance "
            f"({moment(stance.valid_from)}): a stance can only supersede an earlier one. "
            "Change the span, or mark this one as the same stance.",
            "not_earlier",
            "supersedes",
        )
    if earlier.valid_until is not None and earlier.valid_until <= stance.valid_from:
        raise _refuse(
            f"“{earlier}” already ends at {moment(earlier.valid_until)}, before this stance "
            "starts: there is nothing to supersede.",
            "no_overlap",
            "supersedes",
        )
    earlier.valid_until = stance.valid_from
    stance_save(stance=earlier, by=by)
    _add_note(stance, note)
    return stance_decide(stance=stance, status=CurationStatus.VERIFIED, by=by)


@transaction.atomic
def stance_same_as(
    *, stance: Stance, existing: Stance | None, by: Editor, note: str = ""
) -> Stance:
    """Keep `stance` as further evidence of the verified stance `existing`, rather than as a
    second verified stance: it is never in force on its own (`actors.querysets.valid_at`),
    and `existing` lists it among its corroborations. `note` is the editor's reason."""
    stance, existing = _locked(stance, existing, "same_as")
    _same_subject(stance, existing, "same_as")
    if stance.corroborations.exists():
        raise _refuse(
            "Other stances are marked the same as this one; mark them the same as "
            f"“{existing}” first.",
            "has_corroborations",
            "same_as",
        )
    _add_note(stance, note)
    stance.status = CurationStatus.CORROBORATES
    stance.same_as = existing
    return stance_save(stance=stance, by=by)
