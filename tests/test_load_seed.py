"""`load_seed` is idempotent and never overwrites what editors curated."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from events.models import Entry
from events.seed import SEED_PATH

pytestmark = pytest.mark.django_db


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for app in ("events", "actors")
        for model in apps.get_app_config(app).get_models()
    }


def test_loading_the_seed_twice_leaves_the_row_counts_unchanged() -> None:
    before = _row_counts()
    out = StringIO()
    call_command("load_seed", stdout=out)
    assert _row_counts() == before
    assert "entries: 0 created, 0 updated, 10 unchanged" in out.getvalue()
    assert before["events.Entry"] == 10


def test_a_reload_keeps_an_editors_correction_and_reports_it() -> None:
    entry = Entry.objects.get(order=1)
    entry.body += " [Corrected by an editor.]"
    entry.save()
    out = StringIO()
    call_command("load_seed", stdout=out)
    entry.refresh_from_db()
    assert entry.body.endswith("[Corrected by an editor.]")
    assert "left as curated" in out.getvalue()


def test_update_brings_a_row_back_to_the_seed() -> None:
    entry = Entry.objects.get(order=1)
    original = entry.body
    Entry.objects.filter(pk=entry.pk).update(body="Vandalised.")
    call_command("load_seed", "--update", stdout=StringIO())
    entry.refresh_from_db()
    assert entry.body == original


def test_a_bad_seed_file_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    document = json.loads(SEED_PATH.read_text(encoding="utf-8"))
    document["topics"].append({"slug": "new-topic", "title": "A new topic", "description": ""})
    document["stances"][0]["position"] = "sideways"
    document["stances"][0]["valid_from"] = "2025-09-04T12:00:00Z"
    bad = tmp_path / "seed.json"
    bad.write_text(json.dumps(document), encoding="utf-8")
    before = _row_counts()
    with pytest.raises(Exception, match="position"):
        call_command("load_seed", str(bad), stdout=StringIO())
    assert _row_counts() == before
