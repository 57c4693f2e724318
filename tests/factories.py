"""Rows for edge cases; the seed serves everything else."""

from datetime import UTC, datetime

from factory.declarations import Sequence, SubFactory
from factory.django import DjangoModelFactory

from actors.models import Actor, Stance, Topic
from events.choices import EventStatus, SourceKind
from events.models import Entry, Event, Source


class SourceFactory(DjangoModelFactory[Source]):
    class Meta:
        model = Source

    name = Sequence(lambda n: f"Outlet {n}")
    slug = Sequence(lambda n: f"outlet-{n}")
    kind = SourceKind.NEWSPAPER


class EventFactory(DjangoModelFactory[Event]):
    class Meta:
        model = Event

    slug = Sequence(lambda n: f"event-{n}")
    title = Sequence(lambda n: f"Event {n}")
    starts_at = datetime(2025, 1, 1, 9, 0, tzinfo=UTC)
    status = EventStatus.LIVE


class EntryFactory(DjangoModelFactory[Entry]):
    class Meta:
        model = Entry

    event = SubFactory(EventFactory)
    published_at = datetime(2025, 1, 1, 10, 0, tzinfo=UTC)
    order = Sequence(lambda n: n + 1)
    body = "Something happened."


class ActorFactory(DjangoModelFactory[Actor]):
    class Meta:
        model = Actor

    name = Sequence(lambda n: f"Actor {n}")
    slug = Sequence(lambda n: f"actor-{n}")
    kind = "country"


class TopicFactory(DjangoModelFactory[Topic]):
    class Meta:
        model = Topic

    slug = Sequence(lambda n: f"topic-{n}")
    title = Sequence(lambda n: f"Topic {n}")


class StanceFactory(DjangoModelFactory[Stance]):
    class Meta:
        model = Stance

    actor = SubFactory(ActorFactory)
    topic = SubFactory(TopicFactory)
    position = "support"
    kind = "statement"
    summary = "Said so."
    evidence = SubFactory(EntryFactory)
    source = SubFactory(SourceFactory)
    valid_from = datetime(2025, 1, 1, 10, 0, tzinfo=UTC)
    status = "verified"
