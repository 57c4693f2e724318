"""The same page ingested by two `manage.py ingest` processes at once: one creates the event, its
entries and its new sources, the other finds them and changes nothing. No duplicate, no crash.

The race is forced, not hoped for: the test holds a lock on the event table that both
processes need to write, waits until both are blocked on the database, then lets them go.
"""

import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db.models import Count
from django.db.models.functions import Lower

from events.models import Entry, Event, Source
from tests.api_project.servers import ROOT, database_url_for_subprocess

pytestmark = pytest.mark.django_db(transaction=True)
SEED = ROOT / "fixtures" / "pages" / "coalition-of-the-willing-summit-2025-09-04.txt"
FIXTURE_EVENT = "coalition-of-the-willing-summit-2025-09-04"


def _ingest(page: Path, url: str) -> "subprocess.Popen[str]":
    return subprocess.Popen(
        [sys.executable, "manage.py", "ingest", str(page)],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _blocked(cursor: psycopg.Cursor[tuple[int]]) -> int:
    """Backends of this database (not this one) waiting for a lock."""
    cursor.execute("SELECT pg_stat_clear_snapshot()")  # a transaction sees one snapshot else
    cursor.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
    )
    row = cursor.fetchone()
    return int(row[0]) if row else 0


def test_two_processes_ingesting_one_page_make_one_record() -> None:
    call_command("load_seed", verbosity=0)
    events_before = set(Event.objects.values_list("slug", flat=True))
    url = database_url_for_subprocess()
    with psycopg.connect(url) as gate:
        with gate.cursor() as cursor:
            cursor.execute("LOCK TABLE events_event IN EXCLUSIVE MODE")  # reads pass, writes wait
            processes = [_ingest(SEED, url) for _ in range(2)]
            deadline = time.monotonic() + 120
            while _blocked(cursor) < 2:
                finished = [p for p in processes if p.poll() is not None]
                if finished or time.monotonic() > deadline:
                    cursor.execute(
                        "SELECT pid, state, wait_event_type, wait_event, left(query, 120) "
                        "FROM pg_stat_activity WHERE datname = current_database()"
                    )
                    activity = cursor.fetchall()
                    for process in processes:
                        process.kill()
                    outputs = [p.communicate() for p in processes]
                    pytest.fail(
                        f"the processes did not both reach the database: {outputs} {activity}"
                    )
                time.sleep(0.05)
        gate.commit()  # both are blocked: let them race
    outputs = [process.communicate(timeout=120) for process in processes]
    for process, (_, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err
    reports = sorted(out for out, _ in outputs)
    assert "10 created" in reports[0] + reports[1]
    assert sum("0 created, 0 corrected, 10 unchanged" in out for out in reports) == 1

    [new] = Event.objects.exclude(slug__in=events_before)
    assert new.entries.count() == 10
    assert (
        not Entry.objects.filter(event=new)
        .values("published_at", "order")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    names = Counter(Source.objects.annotate(key=Lower("name")).values_list("key", flat=True))
    assert [name for name, n in names.items() if n > 1] == []
    assert Event.objects.filter(slug=FIXTURE_EVENT).get().entries.count() == 10
