"""Clients sending requests to a real server from threads while a test breaks something."""

import http.client
import itertools
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from .servers import send

# Far above any bound the server promises (the pool waits 3 s for a connection): a request
# still unanswered after this long is a hang.
CLIENT_TIMEOUT = 20.0


@dataclass
class Outcome:
    kind: str  # "read" or "write"
    key: str | None  # what a write creates, to look it up afterwards
    started: float  # time.monotonic()
    seconds: float
    status: int  # 0: the connection was cut before an answer
    headers: dict[str, str]
    body: bytes
    timed_out: bool = False

    @property
    def acknowledged(self) -> bool:
        return 200 <= self.status < 300


def timed(
    kind: str,
    key: str | None,
    method: str,
    url: str,
    body: object = None,
    headers: dict[str, str] | None = None,
) -> Outcome:
    """One request and what came of it, a cut connection or a timeout included."""
    started = time.monotonic()
    try:
        status, answer_headers, answer = send(method, url, body, headers, CLIENT_TIMEOUT)
    except TimeoutError:
        return Outcome(kind, key, started, time.monotonic() - started, 0, {}, b"", True)
    except (OSError, http.client.HTTPException):
        return Outcome(kind, key, started, time.monotonic() - started, 0, {}, b"")
    return Outcome(kind, key, started, time.monotonic() - started, status, answer_headers, answer)


@contextmanager
def traffic(step: Callable[[int], Outcome], clients: int) -> Iterator[list[Outcome]]:
    """`clients` threads calling `step(n)` (n counts every call) until the block ends."""
    outcomes: list[Outcome] = []
    stop = threading.Event()
    numbers = itertools.count()

    def client() -> None:
        while not stop.is_set():
            outcomes.append(step(next(numbers)))

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    try:
        yield outcomes
    finally:
        stop.set()
        for thread in threads:
            thread.join(CLIENT_TIMEOUT + 10)


def wait_until(condition: Callable[[], bool], seconds: float) -> bool:
    """Poll `condition` for at most `seconds`; whether it came true."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()
