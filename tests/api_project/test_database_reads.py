"""What the read path does below the ORM: connection settings, timestamps parsed by psycopg's C
loader, relations' SQL compiled once. Each must give exactly what the ORM gives."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.db import connection
from pghistory.models import MiddlewareEvents
from psycopg.pq import Format

from actors.models import Actor
from api_project.database import PLANNER_SETTINGS, database_settings
from api_project.loaders import CTimestamptzLoader, UTCTimestamptzLoader
from api_project.statements import Ids, Prepared, Statement
from events.models import Citation, Entry
from tests.factories import EntryFactory

pytestmark = pytest.mark.django_db

TIMESTAMPTZ = 1184


def test_a_database_urls_own_options_are_kept_beside_the_planner_settings() -> None:
    url = "postgresql://reader@db.example.org:5432/chronicle?options=-c%20statement_timeout%3D5000"
    options = database_settings(url, Path("unused"), 4)["OPTIONS"]["options"]
    assert options.startswith("-c statement_timeout=5000")
    assert options.endswith(PLANNER_SETTINGS)


def test_connections_plan_with_the_planner_settings() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert float(cursor.fetchone()[0]) == pytest.approx(1.1)
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_timestamps_come_through_the_c_loader_exact_and_in_utc() -> None:
    connection.ensure_connection()
    loader = connection.connection.adapters.get_loader(TIMESTAMPTZ, Format.TEXT)
    assert CTimestamptzLoader is not None
    assert loader is UTCTimestamptzLoader
    moments = [
        datetime(2025, 9, 4, 13, 30, tzinfo=UTC),
        datetime(2025, 9, 4, 13, 30, 0, 1, tzinfo=UTC),
        datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    ]
    for moment in moments:
        entry = EntryFactory.create(published_at=moment)
        read = Entry.objects.values_list("published_at", flat=True).get(pk=entry.pk)
        assert read == moment
        assert read.tzinfo is UTC
        assert read.isoformat() == moment.isoformat()


def test_a_prepared_statement_gives_the_orms_rows() -> None:
    ids = list(Entry.objects.values_list("pk", flat=True))
    assert len(ids) >= 5

    def build(entry_ids: list[int]) -> object:
        return (
            Citation.objects.filter(entry_id__in_array=entry_ids)
            .order_by("entry_id", "id")
            .values("id", "entry_id", "role", "source__name", "speaker__slug")
        )

    prepared = Prepared(build)  # type: ignore[arg-type]
    for chosen in (ids, ids[:2], []):
        assert prepared.rows(chosen) == list(build(chosen))  # type: ignore[call-overload]
    assert prepared.statement is not None  # the SQL was compiled once and reused


def test_statements_leave_converted_values_and_ambiguous_parameters_to_the_orm() -> None:
    # JSON is decoded by the ORM after reading: no statement of its own.
    changes = MiddlewareEvents.objects.filter(pgh_obj_id__in_array=Ids()).values("pgh_data")
    assert Statement.of(changes) is None
    two_slots = Entry.objects.filter(pk__in_array=Ids(), event_id__in_array=Ids()).values("pk")
    assert Statement.of(two_slots) is None
    # Arrays come back from psycopg as the ORM gives them.
    aliases = Prepared(lambda ids: Actor.objects.filter(pk__in_array=ids).values("pk", "aliases"))
    ids = list(Actor.objects.exclude(aliases=[]).values_list("pk", flat=True)[:5])
    assert ids
    assert aliases.rows(ids) == list(Actor.objects.filter(pk__in=ids).values("pk", "aliases"))
    assert aliases.statement is not None
