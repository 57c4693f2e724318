"""The load test's clients (locust): nine reads in ten, one write, as readers and editors mix.

Run by bench/load.py, which sets LOAD_* in the environment: the editor's token, the record's
sizes (bench/generate.py names rows `event-N`, `actor-N`, `outlet-N`, `topic-N`), a fresh
`order` base and slug prefix for this run's writes, and the file to write the outcome to. Every
request's latency and status is kept exactly (not locust's rounded buckets), and every write the
server acknowledged is listed with what it wrote, so that load.py can count them in the database.
"""

import base64
import itertools
import json
import os
import random
from typing import Any

from locust import FastHttpUser, events, task
from locust.env import Environment

TOKEN = os.environ.get("LOAD_TOKEN", "")
EVENTS = int(os.environ.get("LOAD_EVENTS", "2"))
ENTRIES = int(os.environ.get("LOAD_ENTRIES", "50"))
ACTORS = int(os.environ.get("LOAD_ACTORS", "20"))
SOURCES = int(os.environ.get("LOAD_SOURCES", "10"))
TOPICS = int(os.environ.get("LOAD_TOPICS", "5"))
ORDER_BASE = int(os.environ.get("LOAD_ORDER_BASE", "1000000"))
PREFIX = os.environ.get("LOAD_PREFIX", "load")
OUTCOME = os.environ.get("LOAD_OUTCOME", "")

ORDERS = itertools.count(ORDER_BASE)
SLUGS = itertools.count(1)
LATENCIES: list[float] = []
STATUSES: dict[str, int] = {}
# kind → {key: what the last acknowledged write left}; updates overwrite their create's value.
ACKNOWLEDGED: dict[str, dict[str, Any]] = {"entry": {}, "source": {}, "stance": {}}
UNACKNOWLEDGED = [0]

ENTRY_FIELDS = "... on Entry { id credit }"
CREATE_ENTRY = f"""mutation($data: EntryInput!) {{ createEntry(data: $data) {{
  __typename {ENTRY_FIELDS} ... on OperationInfo {{ messages {{ field message }} }} }} }}"""
UPDATE_ENTRY = f"""mutation($data: EntryUpdateInput!) {{ updateEntry(data: $data) {{
  __typename {ENTRY_FIELDS} ... on OperationInfo {{ messages {{ field message }} }} }} }}"""
CREATE_SOURCE = """mutation($data: SourceInput!) { createSource(data: $data) {
  __typename ... on Source { slug } ... on OperationInfo { messages { field message } } } }"""
CREATE_STANCE = """mutation($data: StanceInput!) { createStance(data: $data) {
  __typename ... on Stance { id summary } ... on OperationInfo { messages { field message } } } }"""
UPDATE_STANCE = """mutation($data: StanceUpdateInput!) { updateStance(data: $data) {
  __typename ... on Stance { id summary } ... on OperationInfo { messages { field message } } } }"""
EVENT_PAGE = """query($slug: String!) { event(slug: $slug) { title
  entries(first: 20, ordering: [{publishedAt: DESC}]) { edges { node { publishedAt headline
  body citations { role source { slug } } mentions { actor { slug } } } } } } }"""
ENTRIES_PAGE = """{ entries(first: 20) { edges { node { publishedAt headline
  citations { source { slug } } } } } }"""
MATRIX = """query($topic: String!) { stanceMatrix(topic: $topic, asOf: "2025-06-01T00:00:00Z") {
  positions { position stances { actor { name } summary } } } }"""
SEARCH = '{ search(q: "sanctions ceasefire") { entries { publishedAt headline } } }'


def pk(global_id: str) -> str:
    """The primary key a Relay id carries (`Entry:42`, base64)."""
    return base64.b64decode(global_id).decode().split(":", 1)[1]


@events.request.add_listener
def _record(response_time: float, response: Any, exception: Any, **_: Any) -> None:
    LATENCIES.append(response_time)
    status = getattr(response, "status_code", 0) if exception is None else 0
    key = str(status or "connection error")
    STATUSES[key] = STATUSES.get(key, 0) + 1


@events.quitting.add_listener
def _write_outcome(environment: Environment, **_: Any) -> None:
    if not OUTCOME:
        return
    with open(OUTCOME, "w") as out:
        json.dump(
            {
                "latencies_ms": LATENCIES,
                "statuses": STATUSES,
                "acknowledged": ACKNOWLEDGED,
                "unacknowledged_writes": UNACKNOWLEDGED[0],
            },
            out,
        )


class Client(FastHttpUser):
    """One client: sends its next request as soon as the last is answered."""

    def on_start(self) -> None:
        self.editor = {"Authorization": f"Token {TOKEN}"}
        self.mine: dict[str, list[str]] = {"entry": [], "stance": []}

    # Reads: REST lists, details and exports; GraphQL queries. Weights add up to 90.

    @task(14)
    def entries_list(self) -> None:
        event = random.randint(1, EVENTS)
        self.client.get(f"/api/v1/entries/?event=event-{event}&limit=20", name="REST entries")

    @task(14)
    def entry_detail(self) -> None:
        self.client.get(f"/api/v1/entries/{random.randint(1, ENTRIES)}/", name="REST entry")

    @task(6)
    def event_detail(self) -> None:
        self.client.get(f"/api/v1/events/event-{random.randint(1, EVENTS)}/", name="REST event")

    @task(6)
    def stances_by_topic(self) -> None:
        topic = random.randint(1, TOPICS)
        self.client.get(f"/api/v1/stances/?topic=topic-{topic}&limit=50", name="REST stances")

    @task(5)
    def actor_detail(self) -> None:
        self.client.get(f"/api/v1/actors/actor-{random.randint(1, ACTORS)}/", name="REST actor")

    @task(4)
    def sources_list(self) -> None:
        self.client.get("/api/v1/sources/?limit=50", name="REST sources")

    @task(5)
    def entries_export(self) -> None:
        event = random.randint(1, EVENTS)
        self.client.get(f"/api/v1/entries/export.csv/?event=event-{event}", name="REST export.csv")

    @task(4)
    def stances_export(self) -> None:
        topic = random.randint(1, TOPICS)
        self.client.get(
            f"/api/v1/stances/export.ndjson/?topic=topic-{topic}", name="REST export.ndjson"
        )

    @task(14)
    def graphql_event_page(self) -> None:
        self._graphql(EVENT_PAGE, {"slug": f"event-{random.randint(1, EVENTS)}"}, "GQL event")

    @task(8)
    def graphql_entries(self) -> None:
        self._graphql(ENTRIES_PAGE, {}, "GQL entries")

    @task(7)
    def graphql_matrix(self) -> None:
        self._graphql(MATRIX, {"topic": f"topic-{random.randint(1, TOPICS)}"}, "GQL matrix")

    @task(3)
    def graphql_search(self) -> None:
        self._graphql(SEARCH, {}, "GQL search")

    # Writes, as an editor: creates and updates of entries, stances and sources. Weights: 10.

    @task(2)
    def rest_create_entry(self) -> None:
        body = self._entry()
        with self.client.post(
            "/api/v1/entries/",
            json=body,
            headers=self.editor,
            name="REST create entry",
            catch_response=True,
        ) as response:
            if response.status_code == 201:
                key = str(response.json()["id"])
                ACKNOWLEDGED["entry"][key] = {"credit": "", "citations": 0}
                self.mine["entry"].append(key)
            else:
                self._refused(response)

    @task(1)
    def rest_update_entry(self) -> None:
        if not self.mine["entry"]:
            return self.rest_create_entry()
        key = random.choice(self.mine["entry"])
        credit = f"{PREFIX} {next(SLUGS)}"
        with self.client.patch(
            f"/api/v1/entries/{key}/",
            json={"credit": credit},
            headers=self.editor,
            name="REST update entry",
            catch_response=True,
        ) as response:
            if response.status_code == 200:
                ACKNOWLEDGED["entry"][key]["credit"] = credit
            else:
                self._refused(response)
        return None

    @task(1)
    def rest_create_source(self) -> None:
        slug = f"{PREFIX}-rest-{next(SLUGS)}"
        with self.client.post(
            "/api/v1/sources/",
            json={"slug": slug, "name": slug, "kind": "newspaper"},
            headers=self.editor,
            name="REST create source",
            catch_response=True,
        ) as response:
            if response.status_code == 201:
                ACKNOWLEDGED["source"][slug] = {}
            else:
                self._refused(response)

    @task(1)
    def rest_create_stance(self) -> None:
        summary = f"{PREFIX} stance {next(SLUGS)}"
        with self.client.post(
            "/api/v1/stances/",
            json=self._stance(summary),
            headers=self.editor,
            name="REST create stance",
            catch_response=True,
        ) as response:
            if response.status_code == 201:
                key = str(response.json()["id"])
                ACKNOWLEDGED["stance"][key] = {"summary": summary}
                self.mine["stance"].append(key)
            else:
                self._refused(response)

    @task(2)
    def graphql_create_entry(self) -> None:
        data = self._entry()
        data["publishedAt"] = data.pop("published_at")
        source, speaker = random.randint(1, SOURCES), random.randint(1, ACTORS)
        data["citations"] = [
            {"key": "r", "source": f"outlet-{source}", "role": "REPORTED_BY"},
            {
                "source": f"outlet-{1 + source % SOURCES}",
                "speaker": f"actor-{speaker}",
                "role": "QUOTED",
                "quote": "under load",
                "via": "r",
            },
        ]
        data["mentions"] = [{"actor": f"actor-{speaker}", "role": "SPEAKER"}]
        node = self._mutation(CREATE_ENTRY, data, "createEntry", "Entry", "GQL create entry")
        if node is not None:
            key = pk(node["id"])
            ACKNOWLEDGED["entry"][key] = {"credit": node["credit"], "citations": 2}
            self.mine["entry"].append(key)

    @task(1)
    def graphql_update_entry(self) -> None:
        if not self.mine["entry"]:
            return self.graphql_create_entry()
        key = random.choice(self.mine["entry"])
        credit = f"{PREFIX} {next(SLUGS)}"
        data = {"id": base64.b64encode(f"Entry:{key}".encode()).decode(), "credit": credit}
        if self._mutation(UPDATE_ENTRY, data, "updateEntry", "Entry", "GQL update entry"):
            ACKNOWLEDGED["entry"][key]["credit"] = credit
        return None

    @task(1)
    def graphql_create_source(self) -> None:
        slug = f"{PREFIX}-gql-{next(SLUGS)}"
        data = {"slug": slug, "name": slug, "kind": "BROADCASTER"}
        if self._mutation(CREATE_SOURCE, data, "createSource", "Source", "GQL create source"):
            ACKNOWLEDGED["source"][slug] = {}

    @task(1)
    def graphql_update_stance(self) -> None:
        if not self.mine["stance"]:
            return self.rest_create_stance()
        key = random.choice(self.mine["stance"])
        summary = f"{PREFIX} revised {next(SLUGS)}"
        data = {"id": base64.b64encode(f"Stance:{key}".encode()).decode(), "summary": summary}
        if self._mutation(UPDATE_STANCE, data, "updateStance", "Stance", "GQL update stance"):
            ACKNOWLEDGED["stance"][key]["summary"] = summary
        return None

    # Helpers.

    def _entry(self) -> dict[str, Any]:
        return {
            "event": f"event-{random.randint(1, EVENTS)}",
            "published_at": "2025-09-04T20:00:00Z",
            "order": next(ORDERS),
            "body": f"{PREFIX}: written under load.",
        }

    def _stance(self, summary: str) -> dict[str, Any]:
        return {
            "actor": f"actor-{random.randint(1, ACTORS)}",
            "topic": f"topic-{random.randint(1, TOPICS)}",
            "source": f"outlet-{random.randint(1, SOURCES)}",
            "position": "undecided",
            "kind": "statement",
            "summary": summary,
            "valid_from": "2025-09-04T20:00:00Z",
            "evidence_event": f"event-{random.randint(1, EVENTS)}",
        }

    def _graphql(self, query: str, variables: dict[str, Any], name: str) -> None:
        with self.client.post(
            "/graphql/",
            json={"query": query, "variables": variables},
            name=name,
            catch_response=True,
        ) as response:
            if response.status_code != 200 or b'"errors"' in (response.content or b""):
                response.failure(f"{response.status_code}: {(response.content or b'')[:200]!r}")

    def _mutation(
        self, query: str, data: dict[str, Any], field: str, typename: str, name: str
    ) -> dict[str, Any] | None:
        """The object a mutation wrote, or None (counted, marked failed) if it was refused."""
        with self.client.post(
            "/graphql/",
            json={"query": query, "variables": {"data": data}},
            headers=self.editor,
            name=name,
            catch_response=True,
        ) as response:
            try:
                node = response.json()["data"][field]
            except (ValueError, KeyError, TypeError):
                node = None
            if response.status_code == 200 and node and node["__typename"] == typename:
                return dict(node)
            self._refused(response)
            return None

    @staticmethod
    def _refused(response: Any) -> None:
        UNACKNOWLEDGED[0] += 1
        response.failure(f"{response.status_code}: {(response.content or b'')[:200]!r}")
