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


def count(method: str, path: str, body: str | None) -> int:
    client = Client()
    with CaptureQueriesContext(connection) as captured:
        if method == "GET":
            response = client.get(path)
            if response.streaming:
                b"".join(response.streaming_content)  # type: ignore[attr-defined]
        else:
            client.post(path, body, content_type="application/json")
    return len(captured)


scenarios = json.loads(sys.argv[1])
print(json.dumps({name: count(*spec) for name, spec in scenarios.items()}))
