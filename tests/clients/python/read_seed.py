"""Reads the seed through a client that openapi-python-client generated from openapi.yaml, as a
researcher's script would. The test type-checks it (mypy, strict) against the generated package
and runs it against a live server; it prints what it read as JSON.

Usage: read_seed.py BASE_URL
"""

import csv
import io
import json
import sys
from urllib.parse import parse_qs, urlsplit

from chronicle_client import Client
from chronicle_client.api.v1 import (
    v1_entries_export_csv,
    v1_entries_export_ndjson,
    v1_entries_list,
    v1_events_retrieve,
    v1_stances_list,
)
from chronicle_client.models import (
    EntryBrief,
    EntryHit,
    EntryHitSelection,
    EventDetail,
    PaginatedEntryHitList,
    PaginatedStanceList,
    PositionEnum,
    Stance,
    V1StancesListPosition,
)
from chronicle_client.types import Unset

EVENT = "coalition-of-the-willing-summit-2025-09-04"


def read(base_url: str) -> dict[str, object]:
    client = Client(base_url=base_url, raise_on_unexpected_status=True)

    page = v1_entries_list.sync(client=client, event=EVENT, limit=4)
    assert isinstance(page, PaginatedEntryHitList), page
    # A read without `fields` or `brief` is the full form, the union's first member.
    entries = [entry for entry in page.results if isinstance(entry, EntryHit)]
    assert len(entries) == len(page.results), page.results
    published = [entry.published_at.isoformat() for entry in entries]
    # Cursor pages: the next page follows on from the first, none repeated.
    assert page.next_ is not None
    cursor = parse_qs(urlsplit(page.next_).query)["cursor"][0]
    following = v1_entries_list.sync(client=client, event=EVENT, limit=4, cursor=cursor)
    assert isinstance(following, PaginatedEntryHitList), following
    published += [e.published_at.isoformat() for e in following.results if isinstance(e, EntryHit)]

    # `brief=true`: the brief form, its event a slug.
    briefs = v1_entries_list.sync(client=client, event=EVENT, limit=4, brief=True)
    assert isinstance(briefs, PaginatedEntryHitList), briefs
    brief_events = [e.event for e in briefs.results if isinstance(e, EntryBrief)]
    # `fields=`: a selection, every field optional; what was not asked for is unset.
    picked = v1_entries_list.sync(client=client, event=EVENT, limit=4, fields="id,headline")
    assert isinstance(picked, PaginatedEntryHitList), picked
    selected = [e for e in picked.results if isinstance(e, EntryHitSelection)]
    assert all(isinstance(e.published_at, Unset) for e in selected), selected

    event = v1_events_retrieve.sync(EVENT, client=client)
    assert isinstance(event, EventDetail), event
    chains = [
        citation.chain
        for entry in event.entries
        for citation in entry.citations
        if len(citation.chain) > 1
    ]

    stances = v1_stances_list.sync(
        client=client, topic="troops-to-ukraine", position=V1StancesListPosition.SUPPORT
    )
    assert isinstance(stances, PaginatedStanceList), stances
    supporters = [stance for stance in stances.results if isinstance(stance, Stance)]
    assert all(stance.position is PositionEnum.SUPPORT for stance in supporters)

    exported = v1_entries_export_csv.sync(client=client, event=EVENT)
    assert isinstance(exported, str), exported
    rows = list(csv.DictReader(io.StringIO(exported)))
    lines = v1_entries_export_ndjson.sync(client=client, event=EVENT)
    assert isinstance(lines, str), lines
    objects = [json.loads(line) for line in lines.splitlines()]

    return {
        "published": published,
        "title": event.title,
        "entries": len(event.entries),
        "publisher": event.publisher.slug if event.publisher else None,
        "chains": chains,
        "supporters": sorted({stance.actor.slug for stance in supporters}),
        "decided_by": [stance.decided_by for stance in supporters],
        "brief_events": brief_events,
        "selected": [[e.id, e.headline] for e in selected],
        "csv_columns": list(rows[0]) if rows else [],
        "csv_ids": [int(row["id"]) for row in rows],
        "ndjson_ids": [int(item["id"]) for item in objects],
    }


if __name__ == "__main__":
    print(json.dumps(read(sys.argv[1])))
