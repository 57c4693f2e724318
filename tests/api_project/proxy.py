"""A TCP proxy the test owns between a server and PostgreSQL, to restart "the database".

The machine's PostgreSQL serves others and cannot be restarted by a test. To the application a
restart is this: every open connection is cut, new ones are refused for a while, then accepted
again; `cut()` and `restore()` do exactly that at the proxy, and nothing else changes.
"""

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from urllib.parse import quote

from django.db import connection

from .servers import free_port


class TcpProxy:
    def __init__(self, host: str, port: int, user: str, database: str) -> None:
        self.target = (host, port)
        self.port = free_port()
        # The DATABASE_URL of `database` through the proxy.
        self.url = f"postgresql://{quote(user)}@127.0.0.1:{self.port}/{quote(database)}"
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._listener: socket.socket | None = None

    def restore(self) -> None:
        """Accept connections (again) on the same port."""
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        listener.settimeout(0.1)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        """Refuse new connections and break every open one, as a restart does."""
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        with self._lock:
            for sock in self._open:
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._open.clear()

    def _upstream(self) -> socket.socket:
        host, port = self.target
        if host.startswith("/"):  # the embedded server listens on a Unix socket
            sock = socket.socket(socket.AF_UNIX)
            sock.connect(f"{host}/.s.PGSQL.{port}")
            return sock
        return socket.create_connection((host, port))

    def _accept(self, listener: socket.socket) -> None:
        while self._listener is listener:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            upstream = self._upstream()
            with self._lock:
                self._open |= {client, upstream}
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        with suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        for sock in (source, sink):
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


@contextmanager
def database_proxy() -> Iterator[TcpProxy]:
    """A proxy to the test database's server, accepting connections."""
    params = connection.settings_dict
    proxy = TcpProxy(
        params["HOST"] or "127.0.0.1", int(params["PORT"] or 5432), params["USER"], params["NAME"]
    )
    proxy.restore()
    try:
        yield proxy
    finally:
        proxy.cut()
