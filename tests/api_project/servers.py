"""Run the production server (gunicorn) in a subprocess, for tests that need a real one."""

import json
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
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import quote

import psutil
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def database_url_for_subprocess(name: str | None = None) -> str:
    """The URL of the database the tests are using (or of `name` on its server), for a server
    in another process."""
    params = connection.settings_dict
    host = quote(params["HOST"] or "127.0.0.1", safe="")
    return f"postgresql://{params['USER']}@{host}:{params['PORT'] or 5432}/{name or params['NAME']}"


def get(url: str, timeout: float = 20) -> tuple[int, dict[str, str], bytes]:
    return send("GET", url, timeout=timeout)


def send(
    method: str,
    url: str,
    body: object = None,
    headers: dict[str, str] | None = None,
    timeout: float = 20,
) -> tuple[int, dict[str, str], bytes]:
    """One request (`body` sent as JSON); the status, headers and body, whatever the status."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@contextmanager
def gunicorn(env: dict[str, str]) -> Iterator[str]:
    """Start gunicorn with `env` added to the environment; yield its base URL."""
    with server(env) as started:
        yield started.url


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: IO[bytes]

    def tracebacks(self) -> str:
        """The server's log from its first traceback on, for a test's failure message."""
        self.log.seek(0)
        text = self.log.read().decode(errors="replace")
        start = text.find("Traceback")
        return "" if start < 0 else text[start:]

    def workers(self) -> list[int]:
        """The pids of gunicorn's workers (the master's children)."""
        return [child.pid for child in psutil.Process(self.process.pid).children()]


# Throttles out of the way: a test's clients are one address sending many requests.
UNTHROTTLED = {"API_ANON_RATE": "1000000/second", "API_USER_RATE": "1000000/second"}


@contextmanager
def server(env: dict[str, str], workers: int = 1) -> Iterator[Server]:
    """gunicorn with `workers` sync workers, as production runs it, and `env` added."""
    port = free_port()
    full_env = {**os.environ, "DEBUG": "0", "SECURE_SSL_REDIRECT": "0", **env}
    # A file, not a pipe: an outage logs a line a request, and a full pipe would stall the server.
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
                str(workers),
            ],
            cwd=ROOT,
            env=full_env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        try:
            _wait_until_listening(port, process, log)
            yield Server(f"http://127.0.0.1:{port}", process, log)
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
