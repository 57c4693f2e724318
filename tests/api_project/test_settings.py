"""Production settings pass Django's deployment checks; development defaults stay local."""

import os
import subprocess
import sys

from .servers import ROOT


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy() -> None:
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="x" * 20 + "production-secret-key-of-sufficient-length-and-variety-1234",
        ALLOWED_HOSTS="chronicle.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_an_invalid_boolean_is_a_configuration_error() -> None:
    result = _manage("check", DEBUG="perhaps")
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_default_hosts_are_local_only() -> None:
    env = {key: value for key, value in os.environ.items() if key != "ALLOWED_HOSTS"}
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.ALLOWED_HOSTS)"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "api_project.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip() == "['localhost', '127.0.0.1', '[::1]']"
