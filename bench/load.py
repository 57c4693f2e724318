"""The load test: 32 clients for 60 s, nine requests in ten reads, and not one write lost.

    python bench/load.py [--quick] [--scale 1]

Run by `make bench` (after the timed scenarios, on the same server) and on its own by
`make load` / `make load-quick`. Locust (bench/locustfile.py) drives Chronicle's production
server (gunicorn, as the README deploys it) with REST lists, details and exports and GraphQL
queries, and, as an editor, creates and updates entries, stances and sources over REST and
GraphQL. Afterwards every write the server acknowledged is looked up in the database: each
created row must be there, with the values of its last acknowledged update and, for an entry
created with citations, all of them. The run fails on any 5xx, any connection error or any
acknowledged write not found.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT / "bench"))

FULL = {"users": 32, "seconds": 60}
QUICK = {"users": 8, "seconds": 10}

EDITOR = """
from datetime import timedelta
from django.contrib.auth.models import User
from api_project.roles import editors_group_ensure
from core import tokens
user, _ = User.objects.get_or_create(username="load-editor")
user.groups.add(editors_group_ensure())
print(tokens.issue(user, name="load test", ttl=timedelta(hours=1)).secret)
"""


def editor_token(url: str) -> str:
    """A token of an editor (the editors role, as an administrator would grant it)."""
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", EDITOR],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def record_sizes(url: str) -> dict[str, str]:
    """What the clients may name (bench/generate.py's slugs run from 1 to the count)."""
    with psycopg.connect(url) as conn:

        def one(sql: str) -> int:
            row = conn.execute(sql).fetchone()
            return int(row[0]) if row and row[0] is not None else 0

        return {
            "LOAD_EVENTS": str(one("SELECT count(*) FROM events_event WHERE slug LIKE 'event-%'")),
            "LOAD_ENTRIES": str(one("SELECT max(id) FROM events_entry")),
            "LOAD_ACTORS": str(one("SELECT count(*) FROM actors_actor WHERE slug LIKE 'actor-%'")),
            "LOAD_SOURCES": str(
                one("SELECT count(*) FROM events_source WHERE slug LIKE 'outlet-%'")
            ),
            "LOAD_TOPICS": str(one("SELECT count(*) FROM actors_topic WHERE slug LIKE 'topic-%'")),
            # Past every entry's place in its feed, so that new entries never collide.
            "LOAD_ORDER_BASE": str(one('SELECT coalesce(max("order"), 0) + 1 FROM events_entry')),
        }


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def run_load(url: str, base_url: str, users: int, seconds: int) -> dict[str, Any]:
    """Drive the server at `base_url` (reading and writing `url`'s database); the figures."""
    sizes = record_sizes(url)
    prefix = f"load-{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory() as tmp:
        outcome_file = Path(tmp) / "outcome.json"
        env = {
            **os.environ,
            **sizes,
            "LOAD_TOKEN": editor_token(url),
            "LOAD_PREFIX": prefix,
            "LOAD_OUTCOME": str(outcome_file),
        }
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--users",
                str(users),
                "--spawn-rate",
                str(users),
                "--run-time",
                f"{seconds}s",
                "--stop-timeout",
                "30",
                "--host",
                base_url,
                "--only-summary",
                "--loglevel",
                "ERROR",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=seconds + 120,
            check=False,  # locust exits 1 on any refused request; the figures below judge
        )
        elapsed = time.perf_counter() - started
        outcome = json.loads(outcome_file.read_text())
    latencies = outcome["latencies_ms"]
    statuses = outcome["statuses"]
    server_errors = sum(n for status, n in statuses.items() if status.startswith("5"))
    connection_errors = statuses.get("connection error", 0)
    found = count_in_database(url, outcome["acknowledged"])
    acknowledged = sum(len(rows) for rows in outcome["acknowledged"].values())
    report = {
        "users": users,
        "seconds": seconds,
        "requests": len(latencies),
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "max_ms": round(max(latencies, default=0), 1),
        "statuses": dict(sorted(statuses.items())),
        "server_errors": server_errors,
        "connection_errors": connection_errors,
        "writes_acknowledged": acknowledged,
        "writes_refused": outcome["unacknowledged_writes"],
        **found,
    }
    report["ok"] = (
        bool(latencies)
        and server_errors == 0
        and connection_errors == 0
        and acknowledged > 0
        and found["writes_found"] == acknowledged
    )
    return report


def count_in_database(url: str, acknowledged: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Each acknowledged write, looked up: present, as its last acknowledged write left it."""
    entries, sources, stances = (acknowledged[k] for k in ("entry", "source", "stance"))
    missing: list[str] = []
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            """SELECT e.id::text, e.credit, count(c.id) FROM events_entry e
               LEFT JOIN events_citation c ON c.entry_id = e.id
               WHERE e.id = ANY(%s::bigint[]) GROUP BY e.id""",
            [list(entries)],
        ).fetchall()
        stored = {key: (credit, citations) for key, credit, citations in rows}
        for key, wrote in entries.items():
            if stored.get(key) != (wrote["credit"], wrote["citations"]):
                missing.append(f"entry {key}: wrote {wrote}, found {stored.get(key)}")
        rows = conn.execute(
            "SELECT slug FROM events_source WHERE slug = ANY(%s)", [list(sources)]
        ).fetchall()
        missing += [f"source {slug}" for slug in set(sources) - {slug for (slug,) in rows}]
        rows = conn.execute(
            "SELECT id::text, summary FROM actors_stance WHERE id = ANY(%s::bigint[])",
            [list(stances)],
        ).fetchall()
        summaries: dict[str, str] = dict(rows)
        for key, wrote in stances.items():
            if summaries.get(key) != wrote["summary"]:
                missing.append(f"stance {key}: wrote {wrote}, found {summaries.get(key)}")
    total = len(entries) + len(sources) + len(stances)
    return {
        "writes_found": total - len(missing),
        "rows_checked": {"entries": len(entries), "sources": len(sources), "stances": len(stances)},
        "lost": missing[:20],
    }


def markdown(report: dict[str, Any]) -> str:
    return (
        f"Load: {report['users']} clients for {report['seconds']} s, 90 % reads / 10 % writes: "
        f"{report['requests']} requests, {report['rps']} req/s, p50 {report['p50_ms']} ms, "
        f"p95 {report['p95_ms']} ms, p99 {report['p99_ms']} ms, max {report['max_ms']} ms; "
        f"statuses {report['statuses']}; 5xx {report['server_errors']}, connection errors "
        f"{report['connection_errors']}; writes acknowledged {report['writes_acknowledged']}, "
        f"found in the database {report['writes_found']} ({report['rows_checked']}), refused "
        f"{report['writes_refused']}. {'Nothing lost.' if report['ok'] else 'FAILED.'}"
    )


def main() -> None:
    from run import chronicle, command_line, free_port, prepare

    scale, quick = command_line(__doc__.split("\n")[0], "8 clients for 10 s (CI).")
    url, _ = prepare(scale)
    port = free_port()
    shape = QUICK if quick else FULL
    with chronicle(url, port):
        report = run_load(url, f"http://127.0.0.1:{port}", shape["users"], shape["seconds"])
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "load.json").write_text(json.dumps(report, indent=2))
    print(markdown(report))
    if not report["ok"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
