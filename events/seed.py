"""Load a seed record (fixtures/seed.json) into the database, idempotently.

Rows are matched by natural keys (slugs, an entry's place in its event's feed, a stance's
actor, topic, evidence and start). Missing rows are created; rows that already exist are left as
they are, since an editor may have curated them, and reported when they differ from the file,
unless `update` asks for the file's values. Citations and mentions are only ever added. The
whole load is one transaction: a bad row leaves the database as it was, and one pghistory
context, so the audit trail tells it as one seed load.
"""

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import pghistory
from django.db import models, transaction
from django.utils.dateparse import parse_date, parse_datetime

from actors.models import Actor, Membership, Mention, Stance, Topic
from api_project.history import SEED_LOAD

from .models import Citation, Entry, Event, Source

M = TypeVar("M", bound=models.Model)

SEED_PATH = Path(__file__).resolve().parent.parent / "fixtures" / "seed.json"


@dataclass
class SeedReport:
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    differing: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        names = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        rows = [
            f"{name}: {self.created[name]} created, {self.updated[name]} updated, "
            f"{self.unchanged[name]} unchanged"
            for name in names
        ]
        rows += [f"left as curated (differs from the seed): {label}" for label in self.differing]
        return rows


class _Loader:
    def __init__(self, update: bool) -> None:
        self.update = update
        self.report = SeedReport()

    def upsert(self, model: type[M], lookup: dict[str, Any], values: dict[str, Any]) -> M:
        name = str(model._meta.verbose_name_plural)
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            obj.full_clean()
            obj.save()
            self.report.created[name] += 1
            return obj
        changed = {key: value for key, value in values.items() if getattr(obj, key) != value}
        if not changed:
            self.report.unchanged[name] += 1
        elif not self.update:
            self.report.unchanged[name] += 1
            self.report.differing.append(f"{model.__name__} {obj} ({', '.join(sorted(changed))})")
        else:
            for key, value in changed.items():
                setattr(obj, key, value)
            obj.full_clean()
            obj.save()
            self.report.updated[name] += 1
        return obj


def _when(value: str | None) -> datetime | None:
    if value is None:
        return None
    parsed = parse_datetime(value)
    if parsed is None or parsed.tzinfo is None:
        raise ValueError(f"Not a timezone-aware ISO 8601 datetime: {value!r}")
    return parsed


def _day(value: str | None) -> date | None:
    return None if value is None else parse_date(value)


def seed_load(*, path: Path = SEED_PATH, update: bool = False) -> SeedReport:
    """Load the seed document at `path`; running it twice changes nothing."""
    document = json.loads(path.read_text(encoding="utf-8"))
    loader = _Loader(update)
    with pghistory.context(origin=SEED_LOAD), transaction.atomic():
        actors = _load_actors(loader, document["actors"], document["memberships"])
        sources = _load_sources(loader, document["sources"], actors)
        topics = {
            row["slug"]: loader.upsert(Topic, {"slug": row["slug"]}, _without(row, "slug"))
            for row in document["topics"]
        }
        for row in document["events"]:
            _load_event(loader, row, sources, actors)
        _load_stances(loader, document["stances"], actors, topics, sources)
    return loader.report


def _without(row: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {key: value for key, value in row.items() if key not in keys}


def _load_actors(
    loader: _Loader, rows: list[dict[str, Any]], memberships: list[dict[str, Any]]
) -> dict[str, Actor]:
    actors = {
        row["slug"]: loader.upsert(Actor, {"slug": row["slug"]}, _without(row, "slug"))
        for row in rows
    }
    for row in memberships:
        loader.upsert(
            Membership,
            {
                "member": actors[row["member"]],
                "group": actors[row["group"]],
                "role": row["role"],
                "started_on": _day(row["started_on"]),
            },
            {"ended_on": _day(row["ended_on"])},
        )
    return actors


def _load_sources(
    loader: _Loader, rows: list[dict[str, Any]], actors: dict[str, Actor]
) -> dict[str, Source]:
    sources = {}
    for row in rows:
        values = _without(row, "slug", "operator")
        values["operator"] = actors[row["operator"]] if row["operator"] else None
        sources[row["slug"]] = loader.upsert(Source, {"slug": row["slug"]}, values)
    return sources


def _load_event(
    loader: _Loader, row: dict[str, Any], sources: dict[str, Source], actors: dict[str, Actor]
) -> Event:
    values = _without(row, "slug", "entries", "publisher", "starts_at", "ends_at")
    values |= {
        "publisher": sources[row["publisher"]] if row["publisher"] else None,
        "starts_at": _when(row["starts_at"]),
        "ends_at": _when(row["ends_at"]),
    }
    event = loader.upsert(Event, {"slug": row["slug"]}, values)
    for entry_row in row["entries"]:
        values = _without(entry_row, "order", "citations", "mentions", "published_at")
        values["published_at"] = _when(entry_row["published_at"])
        entry = loader.upsert(Entry, {"event": event, "order": entry_row["order"]}, values)
        _load_citations(loader, entry, entry_row["citations"], sources, actors)
        for mention in entry_row["mentions"]:
            loader.upsert(
                Mention,
                {"entry": entry, "actor": actors[mention["actor"]]},
                {"role": mention["role"]},
            )
    return event


def _load_citations(
    loader: _Loader,
    entry: Entry,
    rows: list[dict[str, Any]],
    sources: dict[str, Source],
    actors: dict[str, Actor],
) -> None:
    """Citations in file order, so a link's `via` (a key within the entry) exists before it."""
    by_key: dict[str, Citation] = {}
    for row in rows:
        lookup = {
            "entry": entry,
            "source": sources[row["source"]] if row["source"] else None,
            "speaker": actors[row["speaker"]] if row["speaker"] else None,
            "role": row["role"],
            "quote": row["quote"],
            "via": by_key[row["via"]] if row["via"] else None,
        }
        by_key[row["key"]] = loader.upsert(Citation, lookup, {})


def _load_stances(
    loader: _Loader,
    rows: list[dict[str, Any]],
    actors: dict[str, Actor],
    topics: dict[str, Topic],
    sources: dict[str, Source],
) -> None:
    for row in rows:
        evidence = row.get("evidence")
        lookup = {
            "actor": actors[row["actor"]],
            "topic": topics[row["topic"]],
            "evidence": (
                Entry.objects.get(event__slug=evidence["event"], order=evidence["order"])
                if evidence
                else None
            ),
            "evidence_event": (
                Event.objects.get(slug=row["evidence_event"]) if not evidence else None
            ),
            "valid_from": _when(row["valid_from"]),
        }
        values = _without(
            row, "actor", "topic", "evidence", "evidence_event", "valid_from", "source"
        )
        values |= {
            "source": sources[row["source"]],
            "stated_at": _when(row["stated_at"]),
            "valid_until": _when(row["valid_until"]),
        }
        loader.upsert(Stance, lookup, values)
