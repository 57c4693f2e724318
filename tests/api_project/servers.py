"""Run the production server (gunicorn) in a subprocess, for tests that need a real one."""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO
from urllib.parse import quote

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def database_url_for_subprocess() -> str:
    """The URL of the database the tests are using, for a server in another process."""
    params = connection.settings_dict
    host = quote(params["HOST"] or "127.0.0.1", safe="")
    return f"postgresql://{params['USER']}@{host}:{params['PORT'] or 5432}/{params['NAME']}"


def get(url: str, timeout: float = 20) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@contextmanager
def gunicorn(env: dict[str, str]) -> Iterator[str]:
    """Start gunicorn with `env` added to the environment; yield its base URL."""
    port = free_port()
    full_env = {**os.environ, "DEBUG": "0", "SECURE_SSL_REDIRECT": "0", **env}
    # The server's log goes to a file: a pipe nobody reads fills up after a few hundred logged
    # 4xx, and the worker then blocks writing to it.
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "api_project.wsgi",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                "1",
            ],
            cwd=ROOT,
            env=full_env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        try:
            _wait_until_listening(port, process, log)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=10)


def _wait_until_listening(port: int, process: subprocess.Popen[bytes], log: IO[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"server exited: {log.read()!r}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("server did not start listening within 30 seconds")
