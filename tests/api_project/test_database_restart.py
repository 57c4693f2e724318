"""The database restarted under load: every request answered (a 503 with Retry-After while it
is down, never a hang), the service back by itself, and no acknowledged write lost.

Two restarts. A real one: `pg_ctl restart -m fast` of a server the test owns, holding a copy
of the test database (tests/api_project/private_postgres.py). And one longer than the pool's
wait for a connection, played by a proxy between gunicorn and PostgreSQL
(tests/api_project/proxy.py): open connections cut, new ones refused, then accepted again.
"""

import json
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import psycopg
import pytest
from django.contrib.auth.models import User

from tests.factories import EventFactory
from tests.tokens import token_for

from .private_postgres import private_copy
from .proxy import database_proxy
from .servers import UNTHROTTLED, server
from .traffic import Outcome, timed, traffic, wait_until
from .writes import create_entry_rest

pytestmark = pytest.mark.django_db(transaction=True)

ENTRIES_QUERY = {"query": "{ entries(first: 5) { edges { node { body } } } }"}
# Longer than the pool waits for a connection (3 s), so that requests meet the pool's timeout
# and not only broken connections.
DOWN_SECONDS = 5
# What an outage may be answered: served, or refused with 503.
ANSWERS = (200, 201, 503)

# (DATABASE_URL for gunicorn, restart) for a test's directory.
Restart = Callable[[Path], AbstractContextManager[tuple[str, Callable[[], None]]]]


@contextmanager
def restarted_server(directory: Path) -> Iterator[tuple[str, Callable[[], None]]]:
    with private_copy(directory) as copy:
        yield copy.url, copy.restart


@contextmanager
def cut_connections(directory: Path) -> Iterator[tuple[str, Callable[[], None]]]:
    with database_proxy() as proxy:

        def restart() -> None:
            proxy.cut()
            time.sleep(DOWN_SECONDS)
            proxy.restore()

        yield proxy.url, restart


RESTARTS: dict[str, Restart] = {
    "pg_ctl restart": restarted_server,
    f"{DOWN_SECONDS} s without connections": cut_connections,
}


@pytest.mark.parametrize("restart", list(RESTARTS))
def test_a_restart_under_load_is_answered_with_503_and_recovered_from(
    editor: User, restart: str, tmp_path: Path
) -> None:
    token, event = token_for(editor), EventFactory.create().slug
    with (
        RESTARTS[restart](tmp_path) as (url, do_restart),
        server({"DATABASE_URL": url, **UNTHROTTLED}, workers=2) as started,
    ):
        base = started.url

        def step(n: int) -> Outcome:
            if n % 10 == 0:
                return create_entry_rest(base, token, event, 1000 + n)
            if n % 2:
                return timed("read", None, "GET", f"{base}/api/v1/entries/?limit=5")
            return timed("read", None, "POST", f"{base}/graphql/", ENTRIES_QUERY)

        with traffic(step, clients=4) as outcomes:
            assert wait_until(lambda: len(outcomes) >= 20, 60)
            began = time.monotonic()
            do_restart()
            back = time.monotonic()
            recovered = wait_until(lambda: _served_since(outcomes, back, 20), 60)
        acknowledged = [int(o.key) for o in outcomes if o.key and o.acknowledged]
        stored = _stored(url, acknowledged)
        tracebacks = started.tracebacks()

    after = [o for o in outcomes if o.started > back]
    assert recovered, [(o.status, o.body[:100]) for o in after[-10:]]
    assert not [o for o in outcomes if o.timed_out]
    assert not [o for o in outcomes if o.status == 0]
    unexpected = [(o.kind, o.status, o.body[:300]) for o in outcomes if o.status not in ANSWERS]
    assert not unexpected, tracebacks[:6000]
    refused = [o for o in outcomes if o.status == 503]
    for outcome in refused:
        assert outcome.headers["Retry-After"] == "5"
        assert began <= outcome.started + outcome.seconds
    rest = [o for o in refused if o.headers["Content-Type"] == "application/problem+json"]
    assert {json.loads(o.body)["status"] for o in rest} <= {503}
    assert len(acknowledged) >= 2
    assert set(acknowledged) <= stored
    first_served = min(o.started + o.seconds for o in after if o.status in (200, 201))
    print(
        f"\n{restart}: {len(outcomes)} requests, {len(refused)} answered 503 in at most "
        f"{max((o.seconds for o in refused), default=0):.2f} s, served again "
        f"{first_served - back:.2f} s after the database came back "
        f"(restart took {back - began:.2f} s), {len(acknowledged)} acknowledged writes, "
        "all stored"
    )
    if restart != "pg_ctl restart":
        assert len(refused) >= 4  # longer than the pool's wait: refusals are certain


def _served_since(outcomes: list[Outcome], since: float, count: int) -> bool:
    """`count` requests sent after `since`, the last of them all served."""
    later = [o for o in list(outcomes) if o.started > since]
    return len(later) >= count and all(o.status in (200, 201) for o in later[-count:])


def _stored(url: str, orders: list[int]) -> set[int]:
    """Which of the entries (by `order`) the database at `url` holds."""
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            'SELECT "order" FROM events_entry WHERE "order" = ANY(%s)', [orders]
        ).fetchall()
    return {order for (order,) in rows}
