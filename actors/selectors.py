"""Reads that span models: the stance matrix and an actor's timeline."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet

from .choices import Position
from .models import Actor, Mention, Stance, Topic
from .querysets import valid_at, visible_to

Viewer = AbstractBaseUser | AnonymousUser


def corroborations() -> Prefetch[str, QuerySet[Stance], str]:
    """A stance's corroborations with what their representation names, in one query a page."""
    return Prefetch(
        "corroborations",
        Stance.objects.select_related("evidence__event", "evidence_event", "source").order_by("id"),
    )


@dataclass(frozen=True)
class PositionGroup:
    position: Position
    stances: list[Stance]


def stance_matrix(*, topic: Topic, as_of: datetime, viewer: Viewer) -> list[PositionGroup]:
    """The actors grouped by their position on `topic` at `as_of`: one group per position, in
    the enum's order, each sorted by actor name. Only stances the viewer may see count."""
    stances = (
        Stance.objects.filter(valid_at(as_of), visible_to(viewer), topic=topic)
        .select_related(
            "actor", "topic", "source", "evidence__event", "evidence_event", "decided_by"
        )
        .prefetch_related(corroborations())
        .order_by("actor__name", "id")
    )
    groups: dict[str, list[Stance]] = {position: [] for position in Position.values}
    for stance in stances:
        groups[stance.position].append(stance)
    return [PositionGroup(Position(position), rows) for position, rows in groups.items()]


@dataclass(frozen=True)
class TimelineItem:
    at: datetime
    kind: str  # "mention" or "stance"
    item: Any

    @property
    def entry(self) -> Any:
        """The entry the item rests on: a mention's entry, a stance's evidence (None when the
        event's summary is the evidence)."""
        return self.item.entry if self.kind == "mention" else self.item.evidence


def actor_timeline(*, actor: Actor, viewer: Viewer) -> list[TimelineItem]:
    """An actor's mentions and the stances the viewer may see, oldest first."""
    mentions: QuerySet[Mention] = actor.mentions.select_related("entry__event")
    stances = (
        actor.stances.filter(visible_to(viewer))
        .select_related(
            "actor", "topic", "source", "evidence__event", "evidence_event", "decided_by"
        )
        .prefetch_related(corroborations())
    )
    items = [TimelineItem(m.entry.published_at, "mention", m) for m in mentions]
    items += [TimelineItem(s.valid_from, "stance", s) for s in stances]
    return sorted(items, key=lambda item: (item.at, item.kind, item.item.pk))
