"""SQL queries per request for each scenario, counted in-process against the bench database
(run by bench/run.py with DATABASE_URL pointing at it). Prints JSON."""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "api_project.settings")
os.environ.update(
    SECURE_SSL_REDIRECT="0", ALLOWED_HOSTS="testserver", API_ANON_RATE="1000000/minute"
)

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def send(client: Client, method: str, path: str, body: str | None) -> None:
    """One uncached request, the way the cold figures are measured."""
    if method == "GET":
        response = client.get(path, HTTP_CACHE_CONTROL="no-cache")
        if response.streaming:
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
    else:
        client.post(path, body, content_type="application/json", HTTP_CACHE_CONTROL="no-cache")


def count(method: str, path: str, body: str | None) -> int:
    """Queries of a request after a first one, as in the timed runs: by then a GraphQL
    document has been validated and takes the compiled executor where it can."""
    client = Client()
    send(client, method, path, body)
    with CaptureQueriesContext(connection) as captured:
        send(client, method, path, body)
    return len(captured)


scenarios = json.loads(sys.argv[1])
print(json.dumps({name: count(*spec) for name, spec in scenarios.items()}))
