"""The audit trail told for people: who changed what, field by field, in words.

The triggers (django-pghistory) record rows: column names, ids, a whole body before and after a
one-word fix. This module turns them into changes an editor reads — field labels, related
objects by name, choices by label, long texts as a word diff — and groups the rows one action
wrote (a save with its inlines, a seed load, an import) into one line. The admin's history pages
and the REST changes endpoint both describe changes here, so they always say the same thing.

Writes outside a request say where they came from with `pghistory.context(origin=...)`
(ORIGINS); a line without a user names that origin, or "system".
"""

import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any

import pghistory.models
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import QuerySet
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst
from pghistory.models import MiddlewareEvents

# The `origin` a write outside a request puts in its pghistory context.
SEED_LOAD = "seed load"
IMPORT = "import"
INGEST = "ingest"
ORIGINS = (SEED_LOAD, IMPORT, INGEST)
SYSTEM = "system"

# Bookkeeping an editor never set: shown nowhere in a change.
TECHNICAL_FIELDS = frozenset({"id", "created_at", "updated_at", "search_vector"})
# Words of unchanged text kept on each side of a change in a word diff.
CONTEXT_WORDS = 5
# A group with more inserts than this (or from a seed load or an import) is summarised, not
# listed row by row.
LISTED_INSERTS = 3

ACTIONS = {"insert": "created", "update": "changed", "delete": "deleted"}


class DiffOp(models.TextChoices):
    """What a run of a word diff is."""

    EQUAL = "equal", "unchanged context"
    INSERT = "insert", "inserted words"
    DELETE = "delete", "deleted words"
    GAP = "gap", "unchanged text left out"


@dataclass(frozen=True)
class Segment:
    """A run of a word diff: unchanged context, inserted or deleted words, or an elision."""

    op: DiffOp
    text: str


@dataclass
class FieldChange:
    field: str
    label: str
    before: str | None
    after: str | None
    # For long texts: the changed words with a little context, instead of both copies.
    segments: list[Segment] | None = None


@dataclass
class Change:
    """One recorded row: an insert, update or delete of one object."""

    event: MiddlewareEvents
    model: type[models.Model] | None
    object_label: str
    who: str
    fields: list[FieldChange]
    # Where the admin shows the object, when it does (set by the admin).
    link: str | None = None

    @property
    def action(self) -> str:
        return ACTIONS.get(self.event.pgh_label, self.event.pgh_label)

    @property
    def model_name(self) -> str:
        return str(self.model._meta.verbose_name) if self.model else self.event.pgh_obj_model


@dataclass
class ChangeGroup:
    """The rows one action wrote: one request, one seed load, one import."""

    at: datetime
    who: str
    origin: str | None
    changes: list[Change] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """ "Created by seed load: 1 entry, 3 citations; changed 1 entry"."""
        counts: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
        for change in self.changes:
            model = change.model
            names = (
                (str(model._meta.verbose_name), str(model._meta.verbose_name_plural))
                if model
                else (change.model_name, change.model_name)
            )
            counts[change.action][names] += 1
        by = f" by {self.origin}" if self.origin else ""
        phrases = []
        for action in ACTIONS.values():
            if action in counts:
                listed = ", ".join(
                    f"{n} {singular if n == 1 else plural}"
                    for (singular, plural), n in counts[action].items()
                )
                phrases.append(f"{action}{by}: {listed}")
        return capfirst("; ".join(phrases))

    @property
    def listed(self) -> list[Change]:
        """The changes told one by one: all of them, unless the group is a bulk load, whose
        inserts the summary counts."""
        inserts = sum(1 for change in self.changes if change.event.pgh_label == "insert")
        if self.origin in (SEED_LOAD, IMPORT) or inserts > LISTED_INSERTS:
            return [change for change in self.changes if change.event.pgh_label != "insert"]
        return self.changes


@cache
def recorded_models() -> list[str]:
    """The models whose changes the trail records (`events.Entry`…): every model tracked by
    pghistory, read from the event models it made."""
    return sorted(
        tracked._meta.label
        for model in apps.get_models()
        if issubclass(model, pghistory.models.Event)
        and (tracked := getattr(model, "pgh_tracked_model", None)) is not None
    )


def tracked_object(event_slug: str) -> tuple[type[models.Model], str] | None:
    """The model and key of the object a recorded row (`events.EntryEvent:17`) is about."""
    label, _, pk = event_slug.partition(":")
    try:
        event_model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    tracked = getattr(event_model, "pgh_tracked_model", None)
    if tracked is None or not pk.isdigit():
        return None
    row = event_model._default_manager.filter(pgh_id=int(pk)).values_list("pgh_obj_id").first()
    return None if row is None else (tracked, str(row[0]))


def object_history(
    obj: models.Model, events: QuerySet[MiddlewareEvents] | None = None
) -> QuerySet[MiddlewareEvents]:
    """The changes (of `events`, by default all) to `obj` and to the rows pointing at it (an
    entry's citations, mentions and stances; an actor's stances and memberships), newest
    first."""
    chosen: Any = MiddlewareEvents.objects.all() if events is None else events
    related: QuerySet[MiddlewareEvents] = chosen.references(obj)
    return related.order_by("-pgh_created_at", "-pgh_slug")


# Whitespace, words (with their apostrophes and hyphens), or one punctuation mark.
_TOKENS = re.compile(r"\s+|[\w'\u2019-]+|[^\w\s]")


def word_diff(before: str, after: str, context: int = CONTEXT_WORDS) -> list[Segment]:
    """The words removed and inserted, with `context` words either side; unchanged stretches
    longer than that are elided, so a typo fix in a long body is a short line."""
    old, new = _TOKENS.findall(before or ""), _TOKENS.findall(after or "")
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    opcodes = matcher.get_opcodes()
    segments: list[Segment] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            segments.extend(_context(old[i1:i2], context, index == 0, index == len(opcodes) - 1))
            continue
        if i2 > i1:
            segments.append(Segment(DiffOp.DELETE, "".join(old[i1:i2])))
        if j2 > j1:
            segments.append(Segment(DiffOp.INSERT, "".join(new[j1:j2])))
    return segments


def _context(tokens: list[str], words: int, first: bool, last: bool) -> list[Segment]:
    """An unchanged stretch cut to `words` words after the change before it and `words`
    before the change after it; the text of an unchanged field is kept whole."""
    if first and last:
        return [Segment(DiffOp.EQUAL, "".join(tokens))]
    positions = [i for i, token in enumerate(tokens) if not token.isspace()]
    head = 0 if first else words
    tail = 0 if last else words
    if len(positions) <= head + tail:
        return [Segment(DiffOp.EQUAL, "".join(tokens))] if tokens else []
    segments = []
    if head:
        segments.append(Segment(DiffOp.EQUAL, "".join(tokens[: positions[head - 1] + 1])))
    segments.append(Segment(DiffOp.GAP, "…"))
    if tail:
        segments.append(Segment(DiffOp.EQUAL, "".join(tokens[positions[-tail] :])))
    return segments


def _columns(model: type[models.Model] | None) -> dict[str, models.Field[Any, Any]]:
    """The model's fields an editor sees, by the column name the trail records."""
    if model is None:
        return {}
    return {
        f.column: f
        for f in model._meta.concrete_fields
        if f.name not in TECHNICAL_FIELDS and not f.name.startswith("pgh_")
    }


def _tracked(event: MiddlewareEvents) -> type[models.Model] | None:
    try:
        return apps.get_model(event.pgh_obj_model)
    except LookupError:
        return None


def _origin(event: MiddlewareEvents) -> str | None:
    origin = (event.pgh_context or {}).get("origin")
    return origin if isinstance(origin, str) else None


def _user_id(event: MiddlewareEvents) -> str | None:
    user = (event.pgh_context or {}).get("user")
    return None if user is None else str(user)


class _Labels:
    """Names of the objects a page of changes mentions, read with one query per model."""

    def __init__(self, events: Sequence[MiddlewareEvents]) -> None:
        wanted: dict[type[models.Model], set[str]] = defaultdict(set)
        for event in events:
            model = _tracked(event)
            if model is None:
                continue
            if event.pgh_obj_id is not None:
                wanted[model].add(str(event.pgh_obj_id))
            data, diff = event.pgh_data or {}, event.pgh_diff or {}
            for column, f in _columns(model).items():
                if f.is_relation and f.related_model is not None:
                    related: Any = f.related_model
                    for value in [data.get(column), *diff.get(column, [])]:
                        if value is not None:
                            wanted[related].add(str(value))
        self.names: dict[tuple[type[models.Model], str], str] = {}
        for model, pks in wanted.items():
            for pk, obj in _loaded(model, pks).items():
                self.names[(model, pk)] = str(obj)
        # Users already joined to the rows (select_related("user")) are not read again.
        self.users: dict[str, str] = {
            str(user.pk): user.get_username()
            for event in events
            if MiddlewareEvents.user.is_cached(event) and (user := event.user) is not None
        }
        user_ids = {user for event in events if (user := _user_id(event)) is not None}
        if missing := user_ids - set(self.users):
            self.users |= {
                str(pk): user.get_username()
                for pk, user in get_user_model()._default_manager.in_bulk(missing).items()
            }

    def of(self, model: type[models.Model], pk: Any) -> str:
        name = self.names.get((model, str(pk)))
        return name if name is not None else f"{model._meta.verbose_name} #{pk} (deleted)"

    def who(self, event: MiddlewareEvents) -> str:
        user_id = _user_id(event)
        if user_id is not None:
            return self.users.get(str(user_id), f"user #{user_id}")
        return _origin(event) or SYSTEM


def _loaded(model: type[models.Model], pks: set[str]) -> dict[str, models.Model]:
    """The objects of `model` with these keys, with what their names read: the objects they
    point at, and, along a foreign key to the model itself (a citation's `via`), the whole
    chain, one query a link deep rather than one a row."""
    own = [f for f in model._meta.concrete_fields if f.many_to_one and f.related_model is model]
    others = [f.name for f in model._meta.concrete_fields if f.many_to_one and f not in own]
    rows = model._base_manager.select_related(*others)
    found: dict[str, models.Model] = {}
    wanted = set(pks)
    while wanted:
        batch = {str(obj.pk): obj for obj in rows.filter(pk__in=wanted)}
        found |= batch
        wanted = {
            str(key)
            for obj in batch.values()
            for f in own
            if (key := getattr(obj, f.attname)) is not None
        } - set(found)
    for obj in found.values():
        for f in own:
            key = getattr(obj, f.attname)
            if key is not None and str(key) in found:
                setattr(obj, f.name, found[str(key)])
    return found


def display(f: models.Field[Any, Any], value: Any, labels: _Labels) -> str | None:
    """A recorded value as an editor reads it: the choice's label, the related object's name,
    dates in UTC; None when empty."""
    if value is None or value == "" or value == []:
        return None
    if f.is_relation and f.related_model is not None:
        related: Any = f.related_model
        return labels.of(related, value)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.BooleanField):
        return "yes" if value else "no"
    if isinstance(f, models.DateTimeField) and isinstance(value, str):
        moment = parse_datetime(value)
        if moment is not None:
            return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"
    if isinstance(f, models.DateField) and isinstance(value, str):
        day = parse_date(value)
        if day is not None:
            return f"{day:%Y-%m-%d}"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _fields(
    event: MiddlewareEvents, model: type[models.Model] | None, labels: _Labels
) -> list[FieldChange]:
    columns = _columns(model)
    changes = []
    if event.pgh_label == "update":
        for column, (before, after) in (event.pgh_diff or {}).items():
            f = columns.get(column)
            if f is None:
                continue
            long_text = isinstance(f, models.TextField) and not f.choices
            changes.append(
                FieldChange(
                    field=f.name,
                    label=capfirst(str(f.verbose_name)),
                    before=display(f, before, labels),
                    after=display(f, after, labels),
                    segments=word_diff(before or "", after or "") if long_text else None,
                )
            )
    elif event.pgh_label == "insert":
        for column, f in columns.items():
            value = display(f, (event.pgh_data or {}).get(column), labels)
            if value is not None:
                changes.append(FieldChange(f.name, capfirst(str(f.verbose_name)), None, value))
    return changes


def describe(events: Iterable[MiddlewareEvents]) -> list[Change]:
    """The changes of `events`, in their order, with a fixed number of queries for any
    number of rows."""
    events = list(events)
    labels = _Labels(events)
    described = []
    for event in events:
        model = _tracked(event)
        label = labels.of(model, event.pgh_obj_id) if model else str(event.pgh_obj_id)
        if model is not None and event.pgh_label == "delete":
            label = _deleted_label(model, event, labels)
        described.append(
            Change(event, model, label, labels.who(event), _fields(event, model, labels))
        )
    return described


def _deleted_label(model: type[models.Model], event: MiddlewareEvents, labels: _Labels) -> str:
    """A deleted object is gone from its table: named by a text field it had, if any."""
    data = event.pgh_data or {}
    for name in ("name", "title", "headline", "role", "summary"):
        value = data.get(name)
        if isinstance(value, str) and value:
            return value[:80]
    return labels.of(model, event.pgh_obj_id)


def group(changes: Iterable[Change]) -> list[ChangeGroup]:
    """Changes grouped by the action that wrote them: one pghistory context (a request, a
    seed load, an import) or, without one, one transaction (its rows share a timestamp)."""
    groups: dict[Any, ChangeGroup] = {}
    for change in changes:
        event = change.event
        key = event.pgh_context_id or event.pgh_created_at
        if key not in groups:
            groups[key] = ChangeGroup(
                at=event.pgh_created_at,
                who=change.who,
                origin=_origin(event),
            )
        groups[key].changes.append(change)
    return list(groups.values())
