"""Two verified stances of one actor on one topic never overlap (the exclusion constraint
`actors_stance_no_overlap`). When a write would make them, the refusal names the stance it
clashes with and its span, and says how an editor settles it, in every interface: the admin
links to it, REST lists its id under `conflicts`, GraphQL's message carries its label."""

from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from .choices import CurationStatus
from .models import Stance

SETTLE = "Supersede it, mark this one as the same stance, or change the span."


def overlapping(stance: Stance) -> QuerySet[Stance]:
    """The verified stances of the same actor on the same topic whose span meets this one's
    (both half-open, an open end running on)."""
    spans = Q(valid_until__isnull=True) | Q(valid_until__gt=stance.valid_from)
    if stance.valid_until is not None:
        spans &= Q(valid_from__lt=stance.valid_until)
    found = Stance.objects.filter(
        spans,
        actor_id=stance.actor_id,
        topic_id=stance.topic_id,
        status=CurationStatus.VERIFIED,
    ).select_related("actor", "topic")
    return found.exclude(pk=stance.pk) if stance.pk else found


def moment(at: datetime) -> str:
    """A time as editors read it in a sentence: 4 Sep 2025 18:00 UTC."""
    at = at.astimezone(UTC)
    return f"{at.day} {at:%b %Y %H:%M} UTC"


def span_phrase(stance: Stance) -> str:
    if stance.valid_until is None:
        return f"from {moment(stance.valid_from)} (open-ended)"
    return f"from {moment(stance.valid_from)} until {moment(stance.valid_until)}"


def overlap_error(stance: Stance, clashes: list[Stance]) -> ValidationError:
    """The refusal, with the clashing stances' ids in its params (`conflicts`) for the APIs.
    The text is passed as params, not formatted in: a title may hold a "%"."""
    first = clashes[0]
    spans = "; ".join(f"{span_phrase(c)}: “{c}”" for c in clashes)
    which = "a verified stance" if len(clashes) == 1 else "verified stances"
    return ValidationError(
        "%(actor)s already has %(which)s on %(topic)s %(spans)s. %(settle)s",
        code="overlap",
        params={
            "actor": str(first.actor),
            "topic": str(first.topic),
            "which": which,
            "spans": spans,
            "settle": SETTLE,
            "conflicts": [{"code": "overlap", "id": c.pk, "label": str(c)} for c in clashes],
        },
    )


def named_overlaps(stance: Stance, error: ValidationError) -> ValidationError:
    """`error` with the constraint's anonymous overlap message replaced by one that names the
    clashing stances (when they can still be found: a concurrent writer may have moved them)."""
    if not hasattr(error, "error_dict"):
        return error
    clashes: list[Stance] | None = None
    replaced: dict[str, list[ValidationError]] = {}
    for field, errors in error.error_dict.items():
        replaced[field] = []
        for item in errors:
            if item.code == "overlap":
                clashes = list(overlapping(stance)) if clashes is None else clashes
                if clashes:
                    item = overlap_error(stance, clashes)
            replaced[field].append(item)
    return ValidationError(replaced)
