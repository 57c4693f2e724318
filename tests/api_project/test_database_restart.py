"""The database restarted under load: every request answered at once (a 503 with Retry-After
while it is down, never a hang), the service back by itself, and no acknowledged write lost.

The restart is played by a proxy between gunicorn and PostgreSQL (tests/api_project/proxy.py):
open connections are cut, new ones refused for longer than the pool's wait, then accepted.
"""

import json
import time

import pytest
from django.contrib.auth.models import User

from tests.factories import EventFactory
from tests.tokens import token_for

from .proxy import database_proxy
from .servers import UNTHROTTLED, server
from .traffic import Outcome, timed, traffic, wait_until
from .writes import create_entry_rest, stored_entries

pytestmark = pytest.mark.django_db(transaction=True)

ENTRIES_QUERY = {"query": "{ entries(first: 5) { edges { node { body } } } }"}
# Longer than the pool waits for a connection (3 s), so that requests meet the pool's timeout
# and not only broken connections.
DOWN_SECONDS = 5


def test_a_restart_under_load_is_answered_with_503_and_recovered_from(editor: User) -> None:
    token, event = token_for(editor), EventFactory.create().slug
    with (
        database_proxy() as proxy,
        server({"DATABASE_URL": proxy.url, **UNTHROTTLED}, workers=2) as started,
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
            cut_at = time.monotonic()
            proxy.cut()
            time.sleep(DOWN_SECONDS)
            restored_at = time.monotonic()
            proxy.restore()
            recovered = wait_until(lambda: _served_since(outcomes, restored_at, 20), 60)
        after = [o for o in outcomes if o.started > restored_at]

    assert recovered, [(o.status, o.body[:100]) for o in after[-10:]]
    assert not [o for o in outcomes if o.timed_out]
    assert not [o for o in outcomes if o.status == 0]
    assert {o.status for o in outcomes} <= {200, 201, 503}
    refused = [o for o in outcomes if o.status == 503]
    assert len(refused) >= 4
    for outcome in refused:
        assert outcome.headers["Retry-After"] == "5"
        assert cut_at <= outcome.started + outcome.seconds
    rest = [o for o in refused if o.headers["Content-Type"] == "application/problem+json"]
    assert {json.loads(o.body)["status"] for o in rest} == {503}
    acknowledged = [int(o.key) for o in outcomes if o.key and o.acknowledged]
    assert len(acknowledged) >= 2
    assert set(acknowledged) <= set(stored_entries(acknowledged))
    first_served = min(o.started + o.seconds for o in after if o.status in (200, 201))
    print(
        f"\nrestart: {len(outcomes)} requests, {len(refused)} answered 503 in at most "
        f"{max(o.seconds for o in refused):.2f} s, served again {first_served - restored_at:.2f} s "
        f"after the database came back, {len(acknowledged)} acknowledged writes all stored"
    )


def _served_since(outcomes: list[Outcome], since: float, count: int) -> bool:
    """`count` requests sent after `since`, the last of them all served."""
    later = [o for o in list(outcomes) if o.started > since]
    return len(later) >= count and all(o.status in (200, 201) for o in later[-count:])
