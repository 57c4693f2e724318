"""Racing clients over real HTTP: each thread waits at one barrier, then sends its request, so
the requests reach the server together."""

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def send(
    url: str,
    method: str,
    token: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], Any]:
    """One request; the status, the headers and the JSON body (None when empty)."""
    request = urllib.request.Request(
        url,
        data=None if body is None else json.dumps(body).encode(),
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Token {token}",
            **(headers or {}),
        },
        method=method,
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status, answer, content = response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        status, answer, content = error.code, dict(error.headers), error.read()
    return int(status), answer, json.loads(content) if content else None


def graphql(url: str, token: str, query: str, variables: dict[str, Any]) -> Any:
    body = {"query": query, "variables": variables}
    status, _, answer = send(f"{url}/graphql/", "POST", token, body)
    assert status == 200, answer
    return answer


def race(calls: list[Callable[[], T]]) -> list[T]:
    """Run the calls at once, one thread each; their results in the calls' order."""
    barrier = threading.Barrier(len(calls))
    results: dict[int, T] = {}
    failures: list[BaseException] = []

    def run(index: int, call: Callable[[], T]) -> None:
        barrier.wait(timeout=60)
        try:
            results[index] = call()
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if failures:
        raise failures[0]
    return [results[index] for index in range(len(calls))]
