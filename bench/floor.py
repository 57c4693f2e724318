"""The floor: the latest 100 entries with their sources and actors, straight from psycopg into
orjson, no framework. What Chronicle's endpoints are measured against."""

import os
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import orjson
from psycopg_pool import ConnectionPool

pool = ConnectionPool(os.environ["FLOOR_DATABASE_URL"], min_size=1, max_size=4, open=True)

ENTRIES = (
    'SELECT e.id, e.published_at, e."order", e.headline, e.body, e.status, ev.slug '
    "FROM events_entry e JOIN events_event ev ON ev.id = e.event_id "
    "ORDER BY e.published_at DESC, e.id DESC LIMIT 100"
)
CITATIONS = (
    "SELECT c.entry_id, c.id, c.role, c.quote, c.via_id, s.slug, s.name "
    "FROM events_citation c LEFT JOIN events_source s ON s.id = c.source_id "
    "WHERE c.entry_id = ANY(%s)"
)
MENTIONS = (
    "SELECT m.entry_id, m.role, a.slug, a.name FROM actors_mention m "
    "JOIN actors_actor a ON a.id = m.actor_id WHERE m.entry_id = ANY(%s)"
)


def entries() -> bytes:
    with pool.connection() as conn:
        rows = conn.execute(ENTRIES).fetchall()
        ids = [row[0] for row in rows]
        citations: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for entry, cid, role, quote, via, slug, name in conn.execute(CITATIONS, [ids]):
            citations[entry].append(
                {
                    "id": cid,
                    "role": role,
                    "quote": quote,
                    "via": via,
                    "source": {"slug": slug, "name": name} if slug else None,
                }
            )
        mentions: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for entry, role, slug, name in conn.execute(MENTIONS, [ids]):
            mentions[entry].append({"role": role, "actor": {"slug": slug, "name": name}})
    return orjson.dumps(
        {
            "results": [
                {
                    "id": r[0],
                    "published_at": r[1],
                    "order": r[2],
                    "headline": r[3],
                    "body": r[4],
                    "status": r[5],
                    "event": r[6],
                    "citations": citations[r[0]],
                    "mentions": mentions[r[0]],
                }
                for r in rows
            ]
        }
    )


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    body = entries()
    start_response(
        "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]
