"""Citations and entries: chains stay inside their entry, and bad rows never reach the table."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from events.models import Citation, Entry, Event
from tests.factories import ActorFactory, EntryFactory, EventFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_a_citation_names_a_source_or_a_speaker() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.create(entry=EntryFactory.create(), role="quoted")


def test_a_chain_cannot_leave_its_entry() -> None:
    first, second = EntryFactory.create(), EntryFactory.create()
    outer = Citation.objects.create(entry=first, source=SourceFactory.create(), role="reported_by")
    with pytest.raises(IntegrityError):
        _create_and_commit(entry=second, speaker=ActorFactory.create(), role="quoted", via=outer)


def _create_and_commit(**fields: object) -> None:
    """The composite key is checked at commit, like Django's own (deferred) foreign keys."""
    with transaction.atomic():
        Citation.objects.create(**fields)
        transaction.get_connection().check_constraints()


def test_a_chain_leaving_its_entry_fails_validation() -> None:
    first, second = EntryFactory.create(), EntryFactory.create()
    outer = Citation.objects.create(entry=first, source=SourceFactory.create(), role="reported_by")
    inner = Citation(entry=second, speaker=ActorFactory.create(), role="quoted", via=outer)
    with pytest.raises(ValidationError, match="inside one entry"):
        inner.full_clean()


def test_a_chain_cannot_loop() -> None:
    entry = EntryFactory.create()
    outer = Citation.objects.create(entry=entry, source=SourceFactory.create(), role="reported_by")
    inner = Citation.objects.create(
        entry=entry, source=SourceFactory.create(), role="via", via=outer
    )
    outer.via = inner
    with pytest.raises(ValidationError, match="loop"):
        outer.full_clean()


def test_a_citation_cannot_come_via_itself() -> None:
    citation = Citation.objects.create(
        entry=EntryFactory.create(), source=SourceFactory.create(), role="via"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.filter(pk=citation.pk).update(via=citation)


def test_an_event_cannot_end_before_it_starts() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory.create(ends_at=datetime(2024, 12, 31, tzinfo=UTC))


def test_two_entries_cannot_share_a_place_in_the_feed() -> None:
    event = EventFactory.create()
    EntryFactory.create(event=event, order=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        EntryFactory.create(event=event, order=1)


def test_an_entry_status_outside_the_enum_is_rejected() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        EntryFactory.create(status="draft")


def test_an_event_with_entries_cannot_be_deleted_silently() -> None:
    entry = EntryFactory.create()
    with pytest.raises(Exception, match="protected"):
        Event.objects.filter(pk=entry.event_id).delete()
    assert Entry.objects.filter(pk=entry.pk).exists()


def test_entry_bodies_are_searchable_with_postgres_full_text_search() -> None:
    entry = EntryFactory.create(body="Ministers discussed sanctions on oil exports.")
    found = Entry.objects.filter(search_vector="sanction")
    assert entry in found
