"""gunicorn workers killed (SIGKILL) in the middle of writes: no acknowledged write is lost,
and no write is left half-done, whether or not its client heard back."""

import os
import signal
import time
from functools import partial

import pytest
from django.contrib.auth.models import User

from tests.factories import ActorFactory, EventFactory, SourceFactory
from tests.tokens import token_for

from .servers import UNTHROTTLED, database_url_for_subprocess, get, server
from .traffic import Outcome, traffic, wait_until
from .writes import CITATIONS, MENTIONS, create_entry_graphql, stored_entries

pytestmark = pytest.mark.django_db(transaction=True)

KILLS = 4


def test_a_worker_killed_mid_request_loses_no_acknowledged_write(editor: User) -> None:
    token, event = token_for(editor), EventFactory.create().slug
    sources = (SourceFactory.create().slug, SourceFactory.create().slug)
    actor = ActorFactory.create().slug
    env = {"DATABASE_URL": database_url_for_subprocess(), **UNTHROTTLED}
    with server(env, workers=2) as started:

        def step(n: int) -> Outcome:
            return create_entry_graphql(started.url, token, event, 1000 + n, sources, actor)

        killed = []
        with traffic(step, clients=4) as outcomes:
            for _ in range(KILLS):
                # Let the workers get busy again (the master boots a replacement) first.
                assert wait_until(partial(_at_least, outcomes, len(outcomes) + 8), 60)
                victim = started.workers()[0]
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)
                time.sleep(0.3)
        assert get(f"{started.url}/health/")[0] == 200
        assert len(set(started.workers()) & set(killed)) == 0

    attempted = [int(o.key) for o in outcomes if o.key]
    acknowledged = {int(o.key) for o in outcomes if o.key and o.acknowledged}
    cut = [o for o in outcomes if o.status == 0]
    stored = stored_entries(attempted)
    assert cut, "no kill landed during a request"
    assert not [o for o in outcomes if o.timed_out]
    assert {o.status for o in outcomes} <= {0, 200}
    assert acknowledged
    assert acknowledged <= set(stored)
    assert set(stored.values()) == {(CITATIONS, MENTIONS)}  # every entry whole, none half
    print(
        f"\nworkers killed: {KILLS}; {len(attempted)} creates, {len(acknowledged)} acknowledged "
        f"and all stored; {len(cut)} cut off by a kill, of which "
        f"{len({int(o.key) for o in cut if o.key} & set(stored))} committed whole and the rest "
        "absent; no entry without all its citations and mentions"
    )


def _at_least(outcomes: list[Outcome], count: int) -> bool:
    return len(outcomes) >= count
