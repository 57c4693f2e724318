"""Clients generated from the committed openapi.yaml, the way their users generate them: a Python
client (openapi-python-client) checked by mypy, a TypeScript one (openapi-typescript and
openapi-fetch) checked by tsc in strict mode, both reading the seed from a live server."""

import csv
import io
import json
import os
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from pytest_django.live_server_helper import LiveServer
from rest_framework.test import APIClient

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "openapi.yaml"
CLIENTS = ROOT / "tests" / "clients"
NODE_BIN = CLIENTS / "node_modules" / ".bin"
EVENT = "coalition-of-the-willing-summit-2025-09-04"

pytestmark = pytest.mark.django_db(transaction=True)

# What the README tells a user of openapi-python-client to write: NDJSON is not a media type the
# generator knows, so it is read as the text it is.
PYTHON_CLIENT_CONFIG = """\
post_hooks: []
content_type_overrides:
  application/x-ndjson: text/plain
"""

TSCONFIG = {
    "compilerOptions": {
        "strict": True,
        "target": "es2022",
        "module": "nodenext",
        "moduleResolution": "nodenext",
        "lib": ["es2022", "dom"],
        "types": [],
        "outDir": "out",
        "noEmitOnError": True,
    },
    "files": ["read_seed.ts", "readme_example.ts"],
}


def _readme_example(language: str) -> str:
    """The README's client recipe in `language`: type-checked with the program, so that what
    a reader copies compiles against the generated client."""
    readme = (ROOT / "README.md").read_text()
    recipes = readme[readme.index("## Client recipes") :]
    found = re.search(rf"^```{language}\n(.*?)^```", recipes, re.MULTILINE | re.DOTALL)
    assert found, language
    return found.group(1)


def _run(args: list[str | Path], **kwargs: Any) -> "subprocess.CompletedProcess[str]":
    result = subprocess.run(
        [str(arg) for arg in args], capture_output=True, text=True, timeout=300, **kwargs
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture
def server(live_server: LiveServer) -> str:
    """The live server's URL, over the seed (a transactional test empties the tables after
    itself, so each one loads the seed again)."""
    call_command("load_seed", verbosity=0)
    return str(live_server.url)


def _oracle() -> dict[str, Any]:
    """The same reads through the test client: what the generated clients must agree with."""
    api = APIClient()
    entries = api.get("/api/v1/entries/", {"event": EVENT, "limit": "8"}).json()["results"]
    event = api.get(f"/api/v1/events/{EVENT}/").json()
    stances = api.get(
        "/api/v1/stances/", {"topic": "troops-to-ukraine", "position": "support"}
    ).json()["results"]
    exported = b"".join(api.get("/api/v1/entries/", {"event": EVENT, "format": "csv"}))
    return {
        "published": [entry["published_at"] for entry in entries],
        "selected": [[entry["id"], entry["headline"]] for entry in entries[:4]],
        "title": event["title"],
        "entries": len(event["entries"]),
        "publisher": event["publisher"]["slug"],
        "chains": [
            citation["chain"]
            for entry in event["entries"]
            for citation in entry["citations"]
            if len(citation["chain"]) > 1
        ],
        "supporters": sorted({stance["actor"]["slug"] for stance in stances}),
        "csv": list(csv.reader(io.StringIO(exported.decode(), newline=""))),
    }


def _generate_python_client(into: Path) -> str:
    """Generate the client into `into`; return the generator's report."""
    config = into / "config.yaml"
    config.write_text(PYTHON_CLIENT_CONFIG)
    result = _run(
        [
            Path(sys.executable).parent / "openapi-python-client",
            "generate",
            "--path",
            SCHEMA,
            "--output-path",
            into / "chronicle_client",
            "--meta",
            "none",
            "--config",
            config,
        ]
    )
    return result.stdout + result.stderr


def test_a_generated_python_client_type_checks_and_reads_the_seed(
    server: str, tmp_path: Path
) -> None:
    report = _generate_python_client(tmp_path)
    # Every operation is generated with every response; only the page upload's text/plain and
    # text/html bodies are beyond the generator (it takes the same body as octet-stream).
    assert "will not be generated" not in report, report
    assert "Cannot parse response" not in report, report
    program = CLIENTS / "python" / "read_seed.py"
    example = tmp_path / "readme_example.py"
    example.write_text(_readme_example("python"))
    (tmp_path / "mypy.ini").write_text("[mypy]\nstrict = True\n")
    _run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            tmp_path / "mypy.ini",
            "--cache-dir",
            tmp_path / ".mypy_cache",
            program,
            example,
        ],
        env={**os.environ, "MYPYPATH": str(tmp_path)},
    )
    output = _run(
        [sys.executable, program, server], env={**os.environ, "PYTHONPATH": str(tmp_path)}
    )
    read = json.loads(output.stdout)
    oracle = _oracle()

    # The client parsed the datetimes: the same instants, written by Python.
    assert read["published"] == [
        datetime.fromisoformat(value).isoformat() for value in oracle["published"]
    ]
    assert read["published"][0] == "2025-09-04T19:10:00+00:00"
    assert (read["title"], read["entries"], read["publisher"]) == (
        oracle["title"],
        oracle["entries"],
        oracle["publisher"],
    )
    assert read["entries"] == 10
    assert read["chains"] == oracle["chains"]
    assert any(len(chain) == 3 for chain in read["chains"])
    assert read["supporters"] == oracle["supporters"]
    assert "france" in read["supporters"]
    assert read["decided_by"] == [None] * len(read["decided_by"])
    # `brief=true` and `fields=` parsed as their own members of the union.
    assert read["brief_events"] == [EVENT] * 4
    assert read["selected"] == oracle["selected"]
    # The CSV export came back as text, with the header and rows of the export itself.
    header, *rows = oracle["csv"]
    assert read["csv_columns"] == header
    assert len(read["csv_ids"]) == len(rows) == 10
    assert read["ndjson_ids"] == read["csv_ids"]


def test_a_generated_typescript_client_type_checks_and_reads_the_seed(
    server: str, tmp_path: Path
) -> None:
    (tmp_path / "node_modules").symlink_to(CLIENTS / "node_modules")
    (tmp_path / "package.json").write_text('{"type": "module"}')
    (tmp_path / "tsconfig.json").write_text(json.dumps(TSCONFIG))
    (tmp_path / "read_seed.ts").write_text((CLIENTS / "openapi" / "read_seed.ts").read_text())
    example = _readme_example("ts").replace('from "./chronicle";', 'from "./schema.js";')
    (tmp_path / "readme_example.ts").write_text(example + "export {};\n")
    _run([NODE_BIN / "openapi-typescript", SCHEMA, "-o", tmp_path / "schema.d.ts"])
    _run([NODE_BIN / "tsc", "-p", tmp_path / "tsconfig.json"])
    read = json.loads(_run(["node", tmp_path / "out" / "read_seed.js", server]).stdout)
    oracle = _oracle()

    assert read["published"] == oracle["published"][:4]
    assert (read["title"], read["entries"], read["publisher"]) == (
        oracle["title"],
        oracle["entries"],
        oracle["publisher"],
    )
    assert read["chains"] == oracle["chains"]
    assert read["supporters"] == oracle["supporters"]
    assert read["brief_events"] == [EVENT] * 4
    assert read["selected"] == oracle["selected"]
    assert read["problem"] == {"status": 404, "title": "Not Found"}
    header, *rows = oracle["csv"]
    assert read["csv_columns"] == header
    assert read["csv_rows"] == len(rows) == 10
