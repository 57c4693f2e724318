"""The matrix and the timeline as tidy tables, for `?format=csv` and `?format=ndjson`.

Their JSON nests (positions hold actors, items hold a mention or a stance); a spreadsheet wants
one row per observation. The matrix is one row per actor and stance, with its position; the
timeline one row per item, a mention's or a stance's columns left empty on the other kind.
Values are the record's own (slugs for related rows, ids for entries and stances).
"""

from datetime import datetime
from typing import Any

from api_project.rest.export import Table

from ..models import Actor, Stance, Topic
from ..selectors import PositionGroup, TimelineItem

MATRIX_COLUMNS = [
    "topic",
    "as_of",
    "position",
    "actor",
    "actor_name",
    "actor_kind",
    "actor_country",
    "stance",
    "kind",
    "summary",
    "quote",
    "stated_at",
    "valid_from",
    "valid_until",
    "status",
    "source",
    "evidence",
    "evidence_event",
]

TIMELINE_COLUMNS = [
    "actor",
    "at",
    "kind",
    "entry",
    "event",
    "published_at",
    "headline",
    "body",
    "mention_role",
    "stance",
    "topic",
    "position",
    "stance_kind",
    "summary",
    "quote",
    "valid_from",
    "valid_until",
    "status",
    "source",
]


def _stance_columns(stance: Stance) -> dict[str, Any]:
    return {
        "stance": stance.pk,
        "summary": stance.summary,
        "quote": stance.quote,
        "valid_from": stance.valid_from,
        "valid_until": stance.valid_until,
        "status": stance.status,
        "source": stance.source.slug,
    }


def matrix_table(topic: Topic, as_of: datetime, groups: list[PositionGroup]) -> Table:
    return Table(
        MATRIX_COLUMNS,
        (
            {
                "topic": topic.slug,
                "as_of": as_of,
                "position": group.position.value,
                "actor": stance.actor.slug,
                "actor_name": stance.actor.name,
                "actor_kind": stance.actor.kind,
                "actor_country": stance.actor.country,
                "kind": stance.kind,
                "stated_at": stance.stated_at,
                "evidence": stance.evidence_id,
                "evidence_event": stance.evidence_event.slug if stance.evidence_event else None,
                **_stance_columns(stance),
            }
            for group in groups
            for stance in group.stances
        ),
    )


def timeline_table(actor: Actor, items: list[TimelineItem]) -> Table:
    rows = []
    for item in items:
        entry = item.entry
        row: dict[str, Any] = {
            "actor": actor.slug,
            "at": item.at,
            "kind": item.kind,
            "entry": entry.pk if entry else None,
            "event": entry.event.slug if entry else None,
            "published_at": entry.published_at if entry else None,
            "headline": entry.headline if entry else None,
            "body": entry.body if entry else None,
        }
        if item.kind == "mention":
            row["mention_role"] = item.item.role
        else:
            stance: Stance = item.item
            row |= _stance_columns(stance) | {
                "topic": stance.topic.slug,
                "position": stance.position,
                "stance_kind": stance.kind,
            }
            if entry is None and stance.evidence_event is not None:
                row["event"] = stance.evidence_event.slug
        rows.append(row)
    return Table(TIMELINE_COLUMNS, rows)
