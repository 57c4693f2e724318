"""Writes to the record. Every interface (REST, GraphQL, admin, commands) saves through here,
so the model's validation and constraints always run."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction

from .models import Citation, Entry, Source

if TYPE_CHECKING:
    from actors.models import Actor

M = TypeVar("M", bound=models.Model)


@transaction.atomic
def record_save(*, instance: M) -> M:
    """Validate (fields, `clean()`, every constraint) and save; a failure writes nothing."""
    instance.full_clean()
    instance.save()
    return instance


@transaction.atomic
def record_delete(*, instance: models.Model) -> None:
    """Delete; rows others cite are protected and the database refuses (409 over the API)."""
    instance.delete()


def by_slug(model: type[M], slug: str | None, field: str) -> M | None:
    """The record a write names by slug; an unknown one is an error at the write's `field`."""
    if slug is None:
        return None
    found = model._default_manager.filter(slug=slug).first()
    if found is None:
        raise ValidationError({field: f"No {model._meta.verbose_name} with slug {slug!r}."})
    return found


@dataclass(frozen=True)
class CitationSpec:
    """A citation to write; `via` names the `key` of an earlier spec in the same list."""

    role: str
    source: Source | None = None
    speaker: "Actor | None" = None
    quote: str = ""
    key: str | None = None
    via: str | None = None


@dataclass(frozen=True)
class MentionSpec:
    actor: "Actor"
    role: str


def citation_specs(rows: Iterable[Mapping[str, Any]] | None) -> list[CitationSpec] | None:
    """The citations a client sent (REST's body, GraphQL's `CitationInput`), sources and
    speakers named by slug, as specs for `entry_save`; None (not sent) stays None."""
    from actors.models import Actor

    if rows is None:
        return None
    return [
        CitationSpec(
            role=row["role"],
            source=by_slug(Source, row.get("source"), f"citations.{i}.source"),
            speaker=by_slug(Actor, row.get("speaker"), f"citations.{i}.speaker"),
            quote=row.get("quote") or "",
            key=row.get("key"),
            via=row.get("via"),
        )
        for i, row in enumerate(rows)
    ]


def mention_specs(rows: Iterable[Mapping[str, Any]] | None) -> list[MentionSpec] | None:
    """The mentions a client sent, actors named by slug, as specs for `entry_save`."""
    from actors.models import Actor

    if rows is None:
        return None
    specs = []
    for i, row in enumerate(rows):
        actor = by_slug(Actor, row.get("actor"), f"mentions.{i}.actor")
        if actor is None:
            raise ValidationError({f"mentions.{i}.actor": "Name the actor mentioned."})
        specs.append(MentionSpec(actor=actor, role=row["role"]))
    return specs


@transaction.atomic
def entry_save(
    *,
    entry: Entry,
    citations: Sequence[CitationSpec] | None = None,
    mentions: Sequence[MentionSpec] | None = None,
) -> Entry:
    """Save an entry and, when given, replace its citations and mentions with these. Errors
    name their place: `citations.1.via`, `mentions.0.actor`."""
    record_save(instance=entry)
    if citations is not None:
        entry.citations.all().delete()
        saved: dict[str, Citation] = {}
        for index, spec in enumerate(citations):
            if spec.via is not None and spec.via not in saved:
                raise ValidationError(
                    {f"citations.{index}.via": "Name the key of an earlier citation in the list."}
                )
            if spec.key and spec.key in saved:
                raise ValidationError(
                    {f"citations.{index}.key": "Another citation of this entry has this key."}
                )
            citation = Citation(
                entry=entry,
                role=spec.role,
                source=spec.source,
                speaker=spec.speaker,
                quote=spec.quote,
                via=saved[spec.via] if spec.via else None,
            )
            _save_part(citation, f"citations.{index}")
            if spec.key:
                saved[spec.key] = citation
    if mentions is not None:
        entry.mentions.all().delete()
        for index, mention in enumerate(mentions):
            from actors.models import Mention

            _save_part(
                Mention(entry=entry, actor=mention.actor, role=mention.role), f"mentions.{index}"
            )
    return entry


def _save_part(part: models.Model, path: str) -> None:
    try:
        record_save(instance=part)
    except ValidationError as error:
        messages = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        raise ValidationError(
            {
                f"{path}.{field}" if field != "__all__" and field else path: value
                for field, value in messages.items()
            }
        ) from None
