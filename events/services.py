"""Writes to the record. Every interface (REST, GraphQL, admin, commands) saves through here,
so the model's validation and constraints always run."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max

from .models import Citation, Entry, Event, Source

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
    """A citation to write; `via` names the `key` of another spec in the same list."""

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


def next_order(event_id: int) -> int:
    """The place after the last entry of the event's feed. The event's row is locked until the
    transaction ends, so two entries created at once queue here and get different places."""
    Event.objects.select_for_update().filter(pk=event_id).exists()
    last = Entry.objects.filter(event_id=event_id).aggregate(last=Max("order"))["last"]
    return (last or 0) + 1


class ChainError(ValueError):
    """A `via` that cannot be followed; `key` is the link whose `via` is wrong."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key
        self.message = message


def chain_order(links: Mapping[str, str | None]) -> list[str]:
    """The keys of one entry's citations (key → the key its `via` names, or None) in an order
    that saves every link after the one it came through. The rule every interface shares: a
    link comes through another link of the same list, not through itself, and not in a loop.
    Raises `ChainError` naming the first link that breaks it."""
    ordered: list[str] = []
    placed: set[str] = set()
    for start in links:
        path: list[str] = []
        key: str | None = start
        while key is not None and key not in placed:
            if key in path:
                raise ChainError(key, "These citations would make the chain a loop.")
            via = links[key]
            if via == key:
                raise ChainError(key, "A citation cannot reach the entry through itself.")
            if via is not None and via not in links:
                raise ChainError(key, "Name another citation of this entry.")
            path.append(key)
            key = via
        for link in reversed(path):
            ordered.append(link)
            placed.add(link)
    return ordered


@transaction.atomic
def entry_save(
    *,
    entry: Entry,
    citations: Sequence[CitationSpec] | None = None,
    mentions: Sequence[MentionSpec] | None = None,
) -> Entry:
    """Save an entry and, when given, replace its citations and mentions with these. Errors
    name their place: `citations.1.via`, `mentions.0.actor`. An entry given no `order` takes
    the next place in its event's feed (`next_order`): the one rule of the admin, REST and
    GraphQL."""
    if entry.order is None and entry.event_id is not None:
        entry.order = next_order(entry.event_id)
    record_save(instance=entry)
    if citations is not None:
        entry.citations.all().delete()
        _citations_save(entry, citations)
    if mentions is not None:
        entry.mentions.all().delete()
        for index, mention in enumerate(mentions):
            from actors.models import Mention

            _save_part(
                Mention(entry=entry, actor=mention.actor, role=mention.role), f"mentions.{index}"
            )
    return entry


def _citations_save(entry: Entry, citations: Sequence[CitationSpec]) -> None:
    """The specs saved each after the one it came through (`chain_order`), so a `via` may name
    a citation later in the list."""
    index_of: dict[str, int] = {}
    for index, spec in enumerate(citations):
        if spec.key and spec.key in index_of:
            raise ValidationError(
                {f"citations.{index}.key": "Another citation of this entry has this key."}
            )
        if spec.key:
            index_of[spec.key] = index
    links: dict[str, str | None] = {}
    for index, spec in enumerate(citations):
        via = None if not spec.via else str(index_of.get(spec.via, f"unknown {spec.via}"))
        links[str(index)] = via
    try:
        order = chain_order(links)
    except ChainError as error:
        raise ValidationError({f"citations.{error.key}.via": error.message}) from None
    saved: dict[int, Citation] = {}
    for key in order:
        index = int(key)
        spec = citations[index]
        via = links[key]
        citation = Citation(
            entry=entry,
            role=spec.role,
            source=spec.source,
            speaker=spec.speaker,
            quote=spec.quote,
            via=None if via is None else saved[int(via)],
        )
        _save_part(citation, f"citations.{index}")
        saved[index] = citation


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
