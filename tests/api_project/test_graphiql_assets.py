"""GraphiQL's committed files are the pinned packages' files, byte for byte, and production
serves them.

`npm ci` installs api_project/graphiql/ from its lock file, `copy-assets.mjs` copies what the
page loads into a scratch folder, and that must equal api_project/static/graphiql/vendor/
exactly. The same files must also match the Subresource Integrity hashes strawberry's own page
gives for its CDN copies, so they are what strawberry's GraphiQL was built and tested with.
"""

import base64
import hashlib
import os
import re
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
import strawberry

from .servers import ROOT, database_url_for_subprocess, get, gunicorn

GRAPHIQL = ROOT / "api_project" / "graphiql"
VENDOR = ROOT / "api_project" / "static" / "graphiql" / "vendor"
STRAWBERRY_PAGE = Path(strawberry.__file__).parent / "static" / "graphiql.html"
CDN_ASSET = re.compile(
    r'(?:src|href)="https://unpkg\.com/(?P<package>@?[^@"]+)@(?P<version>[^/"]+)/(?P<path>[^"]+)"'
    r'\s+integrity="(?P<integrity>[^"]+)"'
)


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def installed() -> Path:
    """The packages as the lock file pins them, freshly installed."""
    subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=GRAPHIQL,
        check=True,
        timeout=600,
    )
    return GRAPHIQL / "node_modules"


def test_the_committed_files_are_the_installed_packages_files(
    installed: Path, tmp_path: Path
) -> None:
    subprocess.run(["node", "copy-assets.mjs", str(tmp_path)], cwd=GRAPHIQL, check=True)
    copied, committed = _tree(tmp_path), _tree(VENDOR)
    assert sorted(committed) == sorted(copied)
    differing = [name for name in copied if copied[name] != committed[name]]
    assert differing == [], "run `make graphiql-assets` and commit the result"
    pins = orjson.loads((GRAPHIQL / "package.json").read_bytes())["dependencies"]
    for name, content in committed.items():
        package = next(p for p in pins if name.startswith(f"{p}/"))
        assert (installed / name).read_bytes() == content, f"{name} is not {package}'s file"


def test_every_package_is_installed_at_its_pinned_version(installed: Path) -> None:
    pins = orjson.loads((GRAPHIQL / "package.json").read_bytes())["dependencies"]
    for package, version in pins.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{package} is not pinned exactly"
        manifest = orjson.loads((installed / package / "package.json").read_bytes())
        assert manifest["version"] == version, package


def test_the_files_are_the_ones_strawberrys_page_pins_by_integrity() -> None:
    assets = list(CDN_ASSET.finditer(STRAWBERRY_PAGE.read_text()))
    assert len(assets) == 7  # React, ReactDOM, js-cookie, GraphiQL (JS, CSS), explorer (JS, CSS)
    pins = orjson.loads((GRAPHIQL / "package.json").read_bytes())["dependencies"]
    for asset in assets:
        assert pins[asset["package"]] == asset["version"], asset["package"]
        committed = (VENDOR / asset["package"] / asset["path"]).read_bytes()
        digest = base64.b64encode(hashlib.sha384(committed).digest()).decode()
        assert asset["integrity"] == f"sha384-{digest}", asset["path"]


@pytest.fixture
def production(db: None, tmp_path: Path) -> Iterator[str]:
    """gunicorn with production's settings and the static files collected (hashed names)."""
    env = {
        **os.environ,
        "DEBUG": "0",
        "CHRONICLE_VAR_DIR": str(tmp_path),
        "SECRET_KEY": "test-secret-key-for-a-production-like-server-0123456789",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    with gunicorn(
        {
            "CHRONICLE_VAR_DIR": str(tmp_path),
            "SECRET_KEY": env["SECRET_KEY"],
            "DATABASE_URL": database_url_for_subprocess(),
            "WHITENOISE_USE_FINDERS": "0",
        }
    ) as base:
        yield base


def test_production_serves_graphiql_and_every_file_it_loads(production: str) -> None:
    request = urllib.request.Request(f"{production}/graphql/", headers={"Accept": "text/html"})
    with urllib.request.urlopen(request, timeout=20) as response:
        assert response.status == 200
        headers, body = response.headers, response.read()
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    html = body.decode()
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    assert len(assets) == 10
    for asset in assets:
        assert re.search(r"\.[0-9a-f]{12}\.(js|css|svg)$", asset), asset  # cache-busting names
        status, headers, content = get(f"{production}{asset}")
        assert status == 200, asset
        assert content, asset
        assert "immutable" in headers.get("Cache-Control", ""), asset
