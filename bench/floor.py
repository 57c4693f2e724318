"""The floor: the latest 100 entries exactly as `GET /api/v1/entries/?limit=100` represents
them (event, citations with their sources, speakers and chains, mentions with their actors),
straight from psycopg into orjson, no framework. What Chronicle's endpoint is measured
against; bench/run.py checks that both give the same entries."""

import os
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

import orjson
from psycopg_pool import ConnectionPool

pool = ConnectionPool(
    os.environ["FLOOR_DATABASE_URL"],
    min_size=1,
    max_size=4,
    kwargs={"options": "-c TimeZone=UTC"},
    open=True,
)

ENTRIES = (
    'SELECT e.id, e.published_at, e."order", e.headline, e.body, e.credit, e.status, '
    "e.created_at, e.updated_at, ev.slug, ev.title, ev.starts_at, ev.status "
    "FROM events_entry e JOIN events_event ev ON ev.id = e.event_id "
    "ORDER BY e.published_at DESC, e.id DESC LIMIT 100"
)
CITATIONS = (
    "SELECT c.entry_id, c.id, c.role, c.quote, c.via_id, s.slug, s.name, s.kind, "
    "a.slug, a.name, a.kind, a.country "
    "FROM events_citation c LEFT JOIN events_source s ON s.id = c.source_id "
    "LEFT JOIN actors_actor a ON a.id = c.speaker_id "
    "WHERE c.entry_id = ANY(%s) ORDER BY c.entry_id, c.id"
)
MENTIONS = (
    "SELECT m.entry_id, m.role, a.slug, a.name, a.kind, a.country FROM actors_mention m "
    "JOIN actors_actor a ON a.id = m.actor_id WHERE m.entry_id = ANY(%s) "
    "ORDER BY m.entry_id, m.id"
)


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def chains(citations: list[dict[str, Any]]) -> None:
    by_id = {citation["id"]: citation for citation in citations}
    for citation in citations:
        labels: list[str] = []
        link: dict[str, Any] | None = citation
        while link is not None:
            labels[:0] = [p["name"] for p in (link["source"], link["speaker"]) if p is not None]
            link = by_id.get(link["via"])
        citation["chain"] = labels


def entries() -> bytes:
    with pool.connection() as conn:
        rows = conn.execute(ENTRIES).fetchall()
        ids = [row[0] for row in rows]
        citations: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for entry, cid, role, quote, via, s_slug, s_name, s_kind, *speaker in conn.execute(
            CITATIONS, [ids]
        ):
            citations[entry].append(
                {
                    "id": cid,
                    "role": role,
                    "source": {"slug": s_slug, "name": s_name, "kind": s_kind} if s_slug else None,
                    "speaker": dict(zip(("slug", "name", "kind", "country"), speaker, strict=True))
                    if speaker[0]
                    else None,
                    "quote": quote,
                    "via": via,
                }
            )
        for found in citations.values():
            chains(found)
        mentions: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for entry, role, slug, name, kind, country in conn.execute(MENTIONS, [ids]):
            actor = {"slug": slug, "name": name, "kind": kind, "country": country}
            mentions[entry].append({"actor": actor, "role": role})
    return orjson.dumps(
        {
            "results": [
                {
                    "id": r[0],
                    "event": {
                        "slug": r[9],
                        "title": r[10],
                        "starts_at": iso(r[11]),
                        "status": r[12],
                    },
                    "published_at": iso(r[1]),
                    "order": r[2],
                    "headline": r[3],
                    "body": r[4],
                    "credit": r[5],
                    "status": r[6],
                    "citations": citations[r[0]],
                    "mentions": mentions[r[0]],
                    "created_at": iso(r[7]),
                    "updated_at": iso(r[8]),
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
