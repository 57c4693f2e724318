"""A deterministic record for benchmarks, loaded with COPY.

Scale 1 is about 1,000 events, 100,000 entries (about 600 characters each), 5,000 actors,
300 sources, 20,000 stances, two citations (a chain) and three mentions an entry. The same
scale always gives the same rows. Triggers (audit trail, data version) are off during the load,
as for a restore; the data version is bumped once at the end.
"""

import random
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg

WORDS = [
    "minister",
    "summit",
    "talks",
    "troops",
    "sanctions",
    "guarantees",
    "coalition",
    "ceasefire",
    "border",
    "defence",
    "officials",
    "reported",
    "statement",
    "agreement",
    "leaders",
    "capital",
    "support",
    "oppose",
    "negotiations",
    "aid",
    "security",
    "pressure",
    "envoy",
    "parliament",
    "vote",
    "pledge",
    "alliance",
    "energy",
    "oil",
    "gas",
    "tariffs",
    "reconstruction",
    "observers",
    "mission",
    "deploy",
    "reassurance",
    "deterrence",
    "corridor",
    "grain",
    "port",
]
START = datetime(2024, 1, 1, tzinfo=UTC)


def _text(rng: random.Random, words: int) -> str:
    sentence = [rng.choice(WORDS) for _ in range(words)]
    return " ".join(sentence).capitalize() + "."


def _body(rng: random.Random) -> str:
    return "\n\n".join(_text(rng, rng.randint(25, 40)) for _ in range(rng.randint(2, 4)))


def _copy(
    cursor: psycopg.Cursor[Any], table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    count = 0
    quoted = ", ".join(f'"{column}"' for column in columns)
    with cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def generate(url: str, scale: float, seed: int = 20250904) -> dict[str, int]:
    rng = random.Random(seed)
    n_events, n_entries = max(2, int(1000 * scale)), max(50, int(100_000 * scale))
    n_actors, n_sources = max(20, int(5000 * scale)), max(10, int(300 * scale))
    n_topics, n_stances = max(5, int(200 * scale)), max(20, int(20_000 * scale))
    now = datetime.now(UTC)
    counts: dict[str, int] = {}
    with psycopg.connect(url, autocommit=False) as conn, conn.cursor() as cur:
        cur.execute("SET session_replication_role = replica")  # no triggers while loading
        cur.execute(
            "TRUNCATE events_citation, actors_mention, actors_stance, events_entry, events_event,"
            " events_source, actors_membership, actors_actor, actors_topic RESTART IDENTITY CASCADE"
        )
        kinds = ["person", "country", "organisation", "international_body"]
        counts["actors"] = _copy(
            cur,
            "actors_actor",
            [
                "id",
                "name",
                "slug",
                "kind",
                "aliases",
                "country",
                "title",
                "wikidata_id",
                "description",
                "created_at",
                "updated_at",
            ],
            (
                (
                    i,
                    f"Actor {i}",
                    f"actor-{i}",
                    kinds[i % 4],
                    [f"Alias {i}"],
                    "",
                    "",
                    "",
                    "",
                    now,
                    now,
                )
                for i in range(1, n_actors + 1)
            ),
        )
        source_kinds = ["news_agency", "newspaper", "broadcaster", "social_media"]
        counts["sources"] = _copy(
            cur,
            "events_source",
            [
                "id",
                "name",
                "slug",
                "kind",
                "url",
                "country",
                "needs_review",
                "created_at",
                "updated_at",
            ],
            (
                (
                    i,
                    f"Outlet {i}",
                    f"outlet-{i}",
                    source_kinds[i % 4],
                    f"https://outlet{i}.example",
                    "",
                    False,
                    now,
                    now,
                )
                for i in range(1, n_sources + 1)
            ),
        )
        counts["events"] = _copy(
            cur,
            "events_event",
            [
                "id",
                "slug",
                "title",
                "standfirst",
                "summary",
                "location",
                "starts_at",
                "status",
                "publisher_id",
                "url",
                "language",
                "created_at",
                "updated_at",
            ],
            (
                (
                    i,
                    f"event-{i}",
                    _text(rng, 8),
                    _text(rng, 14),
                    _body(rng),
                    "Paris",
                    START + timedelta(days=i),
                    "ended",
                    1 + i % n_sources,
                    "",
                    "en",
                    now,
                    now,
                )
                for i in range(1, n_events + 1)
            ),
        )
        per_event = n_entries // n_events
        counts["entries"] = _copy(
            cur,
            "events_entry",
            [
                "id",
                "event_id",
                "published_at",
                "order",
                "headline",
                "body",
                "credit",
                "status",
                "created_at",
                "updated_at",
            ],
            _entries(rng, n_entries, per_event, now),
        )
        counts["citations"] = _copy(
            cur,
            "events_citation",
            [
                "id",
                "entry_id",
                "source_id",
                "speaker_id",
                "role",
                "quote",
                "via_id",
                "created_at",
                "updated_at",
            ],
            _citations(rng, n_entries, n_sources, n_actors, now),
        )
        counts["mentions"] = _copy(
            cur,
            "actors_mention",
            ["entry_id", "actor_id", "role", "created_at", "updated_at"],
            _mentions(rng, n_entries, n_actors, now),
        )
        counts["topics"] = _copy(
            cur,
            "actors_topic",
            ["id", "slug", "title", "description", "created_at", "updated_at"],
            ((i, f"topic-{i}", _text(rng, 6), "", now, now) for i in range(1, n_topics + 1)),
        )
        counts["stances"] = _copy(
            cur,
            "actors_stance",
            [
                "actor_id",
                "topic_id",
                "position",
                "kind",
                "summary",
                "quote",
                "curator_note",
                "evidence_id",
                "source_id",
                "valid_from",
                "valid_until",
                "status",
                "created_at",
                "updated_at",
            ],
            _stances(rng, n_stances, n_actors, n_topics, n_entries, n_sources, now),
        )
        for table in (
            "actors_actor",
            "events_source",
            "events_event",
            "events_entry",
            "events_citation",
            "actors_topic",
        ):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        cur.execute("SET session_replication_role = origin")
        cur.execute("UPDATE events_dataversion SET version = version + 1, changed_at = now()")
        conn.commit()
        cur.execute("ANALYZE")
    return counts


def _entries(
    rng: random.Random, n: int, per_event: int, now: datetime
) -> Iterator[tuple[Any, ...]]:
    for i in range(1, n + 1):
        event = min((i - 1) // per_event + 1, max(1, n // per_event))
        order = (i - 1) % per_event + 1 if event < n // per_event else i - (event - 1) * per_event
        at = START + timedelta(days=event, minutes=order * 7)
        yield (i, event, at, order, "", _body(rng), "", "published", now, now)


def _citations(
    rng: random.Random, n_entries: int, n_sources: int, n_actors: int, now: datetime
) -> Iterator[tuple[Any, ...]]:
    cid = 0
    for entry in range(1, n_entries + 1):
        cid += 1
        yield (cid, entry, rng.randint(1, n_sources), None, "reported_by", "", None, now, now)
        cid += 1
        yield (
            cid,
            entry,
            rng.randint(1, n_sources),
            rng.randint(1, n_actors),
            "quoted",
            _text(rng, 6),
            cid - 1,
            now,
            now,
        )


def _mentions(
    rng: random.Random, n_entries: int, n_actors: int, now: datetime
) -> Iterator[tuple[Any, ...]]:
    roles = ["speaker", "subject", "mentioned"]
    for entry in range(1, n_entries + 1):
        for role, actor in zip(roles, rng.sample(range(1, n_actors + 1), 3), strict=True):
            yield (entry, actor, role, now, now)


def _stances(
    rng: random.Random,
    n: int,
    n_actors: int,
    n_topics: int,
    n_entries: int,
    n_sources: int,
    now: datetime,
) -> Iterator[tuple[Any, ...]]:
    positions = ["support", "oppose", "undecided", "conditional"]
    seen: set[tuple[int, int]] = set()
    while len(seen) < n:
        actor, topic = rng.randint(1, n_actors), rng.randint(1, n_topics)
        if (actor, topic) in seen:
            continue
        seen.add((actor, topic))  # one verified stance per actor and topic: never overlapping
        start = START + timedelta(days=rng.randint(0, 900))
        yield (
            actor,
            topic,
            rng.choice(positions),
            "statement",
            _text(rng, 12),
            "",
            "",
            rng.randint(1, n_entries),
            rng.randint(1, n_sources),
            start,
            None,
            "verified" if rng.random() < 0.9 else "proposed",
            now,
            now,
        )
