"""`make bench`: Chronicle against the floor and PostGraphile 4, on generated data.

    python bench/run.py [--scale 1] [--quick]

Creates (or refills) the `chronicle_bench` database on the server the project uses, loads the
generated record, starts the production server (gunicorn, as the README deploys it), the floor
(bench/floor.py under gunicorn) and PostGraphile 4 (from the npm registry, when Node is there),
times the same work on each, one client and sixteen, and writes bench/results/latest.{md,json}.
Every request loop is bounded in count and time, and talks to 127.0.0.1 only.
"""

import argparse
import http.client
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psutil
import psycopg
from load import FULL, QUICK, run_load
from load import markdown as load_markdown

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
NODE_DIR = ROOT / "bench" / ".node"
BENCH_DB = "chronicle_bench"
sys.path.insert(0, str(ROOT))


def server_url(database: str) -> str:
    """The URL of `database` on the server Chronicle's settings pick (embedded or DATABASE_URL)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "api_project.settings")
    import django
    from django.conf import settings

    django.setup()
    db = settings.DATABASES["default"]
    host = quote(db["HOST"] or "127.0.0.1", safe="")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    return f"postgresql://{db['USER']}{password}@{host}:{db['PORT'] or 5432}/{database}"


def prepare(scale: float) -> tuple[str, dict[str, float]]:
    admin = server_url("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone():
            conn.execute(f"CREATE DATABASE {BENCH_DB}")
        # Chronicle's planner settings for every client of the database, the floor's and
        # PostGraphile's connections included, so that all three run the same plans.
        from api_project.database import PLANNER_SETTINGS

        for setting in PLANNER_SETTINGS.split("-c")[1:]:
            name, value = setting.strip().split("=")
            conn.execute(f"ALTER DATABASE {BENCH_DB} SET {name} = {value}")
    url = server_url(BENCH_DB)
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    sys.path.insert(0, str(ROOT / "bench"))
    from generate import generate

    started = time.perf_counter()
    counts = generate(url, scale)
    return url, {**counts, "load_seconds": round(time.perf_counter() - started, 1)}


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(port: int, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    import socket

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{process.args!r} did not listen on {port}")


@contextmanager
def started(args: list[str], env: dict[str, str], port: int, cwd: Path = ROOT) -> Any:
    process = subprocess.Popen(
        args,
        cwd=cwd,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(port, process)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def chronicle(url: str, port: int) -> Any:
    env = {
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        # Throttles stay on, over a one-second window: the bench is one address sending
        # thousands of requests, and a minute's history of them (kept per address by DRF) cost
        # more to read and write than a page.
        "API_ANON_RATE": "1000000/second",
        # DRF's user throttle also counts anonymous clients, by address.
        "API_USER_RATE": "1000000/second",
        "LOG_LEVEL": "WARNING",
        "WHITENOISE_USE_FINDERS": "1",
    }
    return started(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "api_project.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env,
        port,
    )


def floor(url: str, port: int) -> Any:
    return started(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "floor:app",
            "--workers",
            "2",
            "--chdir",
            "bench",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        {"FLOOR_DATABASE_URL": url},
        port,
    )


POSTGRAPHILE = "postgraphile@4.14.1"


def postgraphile(url: str, port: int) -> tuple[Any | None, str]:
    """PostGraphile 4 from the npm registry, or why it is skipped."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        return None, "skipped: no Node.js"
    binary = NODE_DIR / "node_modules" / ".bin" / "postgraphile"
    if not binary.exists():
        NODE_DIR.mkdir(parents=True, exist_ok=True)
        (NODE_DIR / "package.json").write_text('{"name": "chronicle-bench-peers", "private": true}')
        installed = subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", POSTGRAPHILE],
            cwd=NODE_DIR,
            capture_output=True,
            timeout=600,
            check=False,
        )
        if installed.returncode != 0:
            return None, f"skipped: npm install failed ({installed.stderr[-200:]!r})"
    command = [
        str(binary),
        "-c",
        url,
        "--schema",
        "public",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--disable-graphiql",
        "--disable-query-log",
    ]
    return started(command, {}, port), POSTGRAPHILE


@dataclass
class Request:
    method: str
    path: str
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


def graphql(query: str, path: str = "/graphql/") -> Request:
    return Request(
        "POST", path, json.dumps({"query": query}).encode(), {"Content-Type": "application/json"}
    )


def send(conn: http.client.HTTPConnection, req: Request) -> tuple[int, bytes, dict[str, str]]:
    conn.request(req.method, req.path, body=req.body, headers=req.headers)
    response = conn.getresponse()
    body = response.read()
    return response.status, body, dict(response.getheaders())


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def uncached(req: Request) -> Request:
    """Cold: `Cache-Control: no-cache` makes Chronicle compute the response afresh (the
    floor and PostGraphile have no response cache and ignore it)."""
    return Request(req.method, req.path, req.body, {**req.headers, "Cache-Control": "no-cache"})


def timed(conn: http.client.HTTPConnection, req: Request, count: int) -> list[float]:
    times = []
    for _ in range(count):
        started_at = time.perf_counter()
        send(conn, req)
        times.append((time.perf_counter() - started_at) * 1000)
    return times


def one_client(port: int, req: Request, count: int) -> dict[str, Any]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    status, body, headers = send(conn, req)  # warm the worker, the connection, the cache
    if status >= 400 or b'"errors"' in body[:200]:
        return {"error": f"HTTP {status}: {body[:200]!r}"}
    cold = timed(conn, uncached(req), count)
    result = {
        "p50_ms": round(statistics.median(cold), 2),
        "p99_ms": round(percentile(cold, 0.99), 2),
        "bytes": len(body),
        "warm_p50_ms": None,
        "not_modified_p50_ms": None,
    }
    if headers.get("X-Cache"):  # the response cache is Chronicle's alone
        result["warm_p50_ms"] = round(statistics.median(timed(conn, req, count)), 2)
    if etag := headers.get("ETag"):
        conditional = Request(
            req.method, req.path, req.body, {**req.headers, "If-None-Match": etag}
        )
        result["not_modified_p50_ms"] = round(statistics.median(timed(conn, conditional, count)), 2)
    return result


def same_results(*servers: tuple[int, Request]) -> bool:
    """Whether each server answers with the same `results`: the floor must do the same work."""
    found = []
    for port, req in servers:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        found.append(json.loads(send(conn, req)[1])["results"])
    return all(results == found[0] for results in found)


def sixteen_clients(port: int, req: Request, seconds: float) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        local: list[float] = []
        while time.monotonic() < deadline:
            started_at = time.perf_counter()
            try:
                status, _, _ = send(conn, req)
            except (OSError, http.client.HTTPException):
                status = 599
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            local.append((time.perf_counter() - started_at) * 1000)
            if status >= 400:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(local)

    threads = [threading.Thread(target=client) for _ in range(16)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    elapsed = time.perf_counter() - began
    return {
        "rps": round(len(latencies) / elapsed, 1),
        "p99_ms": round(percentile(latencies, 0.99), 2),
        "errors": errors[0],
    }


class RSSWatch:
    """Peak resident memory of a process tree, sampled while it works."""

    def __init__(self, pid: int) -> None:
        self.process, self.peak, self.running = psutil.Process(pid), 0, True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def rss(self) -> int:
        try:
            tree = [self.process, *self.process.children(recursive=True)]
            return sum(p.memory_info().rss for p in tree if p.is_running())
        except psutil.Error:
            return 0

    def _sample(self) -> None:
        while self.running:
            self.peak = max(self.peak, self.rss())
            time.sleep(0.05)

    def stop(self) -> int:
        self.running = False
        return self.peak


EVENT_PAGE = """{ event(slug: "event-1") { title
  entries(first: 100, ordering: [{publishedAt: DESC}]) { edges { node { publishedAt headline
  body citations { role quote source { name slug } }
  mentions { role actor { name slug } } } } } } }"""
PG_EVENT_PAGE = """{ eventsEventBySlug(slug: "event-1") { title
  eventsEntriesByEventId(first: 100, orderBy: PUBLISHED_AT_DESC) { nodes { publishedAt headline body
  eventsCitationsByEntryId { nodes { role quote eventsSourceBySourceId { name slug } } }
  actorsMentionsByEntryId { nodes { role actorsActorByActorId { name slug } } } } } } }"""
PG_ENTRIES = """{ allEventsEntries(first: 100, orderBy: [PUBLISHED_AT_DESC, ID_DESC]) { nodes {
  id publishedAt order headline body status eventsEventByEventId { slug }
  eventsCitationsByEntryId { nodes { id role quote viaId eventsSourceBySourceId { slug name } } }
  actorsMentionsByEntryId { nodes { role actorsActorByActorId { slug name } } } } } }"""
AS_OF = "2025-06-01T00:00:00Z"

# name: (Chronicle request, floor request or None, PostGraphile request or None)
SCENARIOS: dict[str, tuple[Request, Request | None, Request | None]] = {
    "REST entries list (100, nested)": (
        Request("GET", "/api/v1/entries/?limit=100"),
        Request("GET", "/"),
        graphql(PG_ENTRIES, "/graphql"),
    ),
    "REST entry detail": (Request("GET", "/api/v1/entries/1/"), None, None),
    "REST stances by topic, as_of": (
        Request("GET", f"/api/v1/stances/?topic=topic-1&as_of={AS_OF}&limit=100"),
        None,
        None,
    ),
    "REST topic matrix": (
        Request("GET", f"/api/v1/topics/topic-1/matrix/?as_of={AS_OF}"),
        None,
        None,
    ),
    "REST full-text search": (
        Request("GET", "/api/v1/entries/?q=sanctions%20ceasefire&limit=20"),
        None,
        None,
    ),
    "GraphQL event page (100 entries)": (
        graphql(EVENT_PAGE),
        None,
        graphql(PG_EVENT_PAGE, "/graphql"),
    ),
    "GraphQL stanceMatrix": (
        graphql(
            f'{{ stanceMatrix(topic: "topic-1", asOf: "{AS_OF}") {{ positions {{ position '
            "stances { actor { name } summary } } } }"
        ),
        None,
        None,
    ),
    "GraphQL search": (
        graphql(
            '{ search(q: "sanctions ceasefire") { entries { publishedAt body } actors { name } '
            "sources { name } } }"
        ),
        None,
        None,
    ),
}


def query_counts(url: str) -> dict[str, int]:
    specs = {
        name: (req.method, req.path, req.body.decode() if req.body else None)
        for name, (req, _, _) in SCENARIOS.items()
    }
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "queries.py"), json.dumps(specs)],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def export(port: int, server: subprocess.Popen[bytes], url: str) -> dict[str, Any]:
    watch = RSSWatch(server.pid)
    before = watch.rss()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    started_at = time.perf_counter()
    conn.request("GET", "/api/v1/entries/?format=csv")
    response = conn.getresponse()
    size = 0
    while chunk := response.read(1 << 20):
        size += len(chunk)
    seconds = time.perf_counter() - started_at
    peak = watch.stop()
    copy_seconds = timed_copy(url, ENTRY_COLUMNS)
    same_seconds = timed_copy(url, EXPORT_COLUMNS)
    return {
        "seconds": round(seconds, 2),
        "bytes": size,
        "rss_growth_mb": round((peak - before) / 2**20, 1),
        "copy_seconds": round(copy_seconds, 2),
        "ratio_to_copy": round(seconds / copy_seconds, 2),
        "copy_same_columns_seconds": round(same_seconds, 2),
        "ratio_to_copy_same_columns": round(seconds / same_seconds, 2),
    }


ENTRY_COLUMNS = """SELECT id, published_at, "order", headline, body, credit, status, updated_at
FROM events_entry ORDER BY published_at, id"""
# Every column the export writes: the entry's own, its event, the sources it cites and the
# actors it mentions, as a researcher would write it for psql.
EXPORT_COLUMNS = """SELECT e.id, e.published_at, e."order", e.headline, e.body, e.credit,
  e.status, e.updated_at, ev.slug AS event,
  array_to_string(array_agg(DISTINCT s.slug) FILTER (WHERE s.slug IS NOT NULL), ';') AS sources,
  array_to_string(array_agg(DISTINCT a.slug) FILTER (WHERE a.slug IS NOT NULL), ';') AS actors
FROM events_entry e JOIN events_event ev ON ev.id = e.event_id
LEFT JOIN events_citation c ON c.entry_id = e.id LEFT JOIN events_source s ON s.id = c.source_id
LEFT JOIN actors_mention m ON m.entry_id = e.id LEFT JOIN actors_actor a ON a.id = m.actor_id
GROUP BY e.id, ev.slug ORDER BY e.published_at, e.id"""


def timed_copy(url: str, select: str) -> float:
    """`psql \\copy` of `select` to nowhere: COPY TO STDOUT, read to the end."""
    started = time.perf_counter()
    with (
        psycopg.connect(url) as pg,
        pg.cursor() as cur,
        cur.copy(f"COPY ({select}) TO STDOUT WITH CSV HEADER") as copy,
    ):
        for _ in copy:
            pass
    return time.perf_counter() - started


def run(scale: float, quick: bool) -> dict[str, Any]:
    url, counts = prepare(scale)
    single, window = (15, 2.0) if quick else (200, 6.0)
    ports = {"chronicle": free_port(), "floor": free_port(), "postgraphile": free_port()}
    report: dict[str, Any] = {
        "scale": scale,
        "quick": quick,
        "rows": counts,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"{round(psutil.virtual_memory().total / 2**30)} GiB, Python {platform.python_version()}",
        "queries": query_counts(url),
        "scenarios": {},
    }
    with ExitStack() as stack:
        server = stack.enter_context(chronicle(url, ports["chronicle"]))
        stack.enter_context(floor(url, ports["floor"]))
        pg, report["postgraphile"] = postgraphile(url, ports["postgraphile"])
        if pg is not None:
            stack.enter_context(pg)
        watch = RSSWatch(server.pid)
        for name, (ours, base, peer) in SCENARIOS.items():
            row: dict[str, Any] = {"chronicle": one_client(ports["chronicle"], ours, single)}
            row["chronicle"]["concurrent"] = sixteen_clients(
                ports["chronicle"], uncached(ours), window
            )
            if base is not None:
                row["floor_same_results"] = same_results(
                    (ports["chronicle"], ours), (ports["floor"], base)
                )
            for label, req in (("floor", base), ("postgraphile", peer)):
                if req is None or (label == "postgraphile" and pg is None):
                    continue
                row[label] = one_client(ports[label], req, single)
                row[label]["concurrent"] = sixteen_clients(ports[label], req, window)
                if "p50_ms" in row[label] and "p50_ms" in row["chronicle"]:
                    row[f"ratio_to_{label}"] = round(
                        row["chronicle"]["p50_ms"] / row[label]["p50_ms"], 2
                    )
                    if warm := row["chronicle"].get("warm_p50_ms"):
                        row[f"warm_ratio_to_{label}"] = round(warm / row[label]["p50_ms"], 2)
            report["scenarios"][name] = row
        report["peak_rss_mb"] = round(watch.stop() / 2**20, 1)
        report["csv_export"] = export(ports["chronicle"], server, url)
        # Last: its writes must not change what the scenarios above read.
        shape = QUICK if quick else FULL
        report["load"] = run_load(url, f"http://127.0.0.1:{ports['chronicle']}", **shape)
    return report


def _ratios(row: dict[str, Any], peer: str) -> str:
    cold = row.get(f"ratio_to_{peer}", "")
    warm = row.get(f"warm_ratio_to_{peer}")
    return f"{cold} ({warm})" if warm is not None else str(cold)


def markdown(report: dict[str, Any]) -> str:
    lines = [
        f"# Chronicle benchmark (scale {report['scale']}{', quick' if report['quick'] else ''})",
        "",
        f"Machine: {report['machine']}. Peer: {report['postgraphile']}.",
        "",
        f"Rows: {', '.join(f'{k} {v}' for k, v in report['rows'].items())}.",
        "",
        "Cold: computed afresh (`Cache-Control: no-cache`). Warm: served by the response "
        "cache; 304: `If-None-Match` with the current ETag. 16 clients run cold.",
        "",
        "| scenario | SQL queries | Chronicle cold p50 / p99 ms | warm p50 | 304 p50 "
        "| 16 clients req/s (p99, errors) | floor p50 | x floor | PostGraphile p50 "
        "| x PostGraphile (warm) | PostGraphile req/s |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, row in report["scenarios"].items():
        ours = row["chronicle"]
        if "error" in ours:
            lines.append(f"| {name} | | {ours['error']} | | | | | | | | |")
            continue
        conc = ours["concurrent"]
        fl, pg = row.get("floor", {}), row.get("postgraphile", {})
        lines.append(
            f"| {name} | {report['queries'].get(name, '')} | {ours['p50_ms']} / {ours['p99_ms']} | "
            f"{ours['warm_p50_ms'] or ''} | {ours['not_modified_p50_ms'] or ''} | "
            f"{conc['rps']} ({conc['p99_ms']}, {conc['errors']}) | "
            f"{fl.get('p50_ms', '')} | {row.get('ratio_to_floor', '')} | "
            f"{pg.get('p50_ms', pg.get('error', ''))} | {_ratios(row, 'postgraphile')} | "
            f"{pg.get('concurrent', {}).get('rps', '')} |"
        )
    checked = [name for name, row in report["scenarios"].items() if "floor_same_results" in row]
    same = all(report["scenarios"][name]["floor_same_results"] for name in checked)
    lines += [
        "",
        f"The floor's results equal Chronicle's ({', '.join(checked)}): {'yes' if same else 'NO'}.",
    ]
    csv = report["csv_export"]
    lines += [
        "",
        f"CSV export of all entries: {csv['seconds']} s, {csv['bytes']} bytes, server RSS growth "
        f"{csv['rss_growth_mb']} MB; COPY of the same columns (with the joins for event, "
        f"sources and actors) {csv['copy_same_columns_seconds']} s "
        f"(x {csv['ratio_to_copy_same_columns']}); COPY of the entry table's own columns "
        f"{csv['copy_seconds']} s (x {csv['ratio_to_copy']}). "
        f"Server peak RSS {report['peak_rss_mb']} MB.",
        "",
    ]
    if "load" in report:
        lines += [load_markdown(report["load"]), ""]
    return "\n".join(lines)


def command_line(description: str, quick: str) -> tuple[float, bool]:
    """`--scale` and `--quick` (a smoke run, on a hundredth of the data unless scaled)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--quick", action="store_true", help=quick)
    args = parser.parse_args()
    return (0.01 if args.quick and args.scale == 1.0 else args.scale), args.quick


def main() -> None:
    scale, quick = command_line(__doc__.split("\n")[0], "A small smoke run (CI).")
    report = run(scale, quick)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2, default=str))
    (RESULTS / "latest.md").write_text(markdown(report))
    print(markdown(report))
    if not report["load"]["ok"]:
        sys.exit("The load test lost a write or answered 5xx (see bench/results/latest.md).")


if __name__ == "__main__":
    main()
