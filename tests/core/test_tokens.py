"""API tokens: kept as digests, expiring after TOKEN_TTL, revocable, and refused the same way by
REST (problem+json 401) and GraphQL (the transport's 401 UNAUTHENTICATED)."""

import importlib
import io
import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api_project.environment import duration
from core import tokens
from core.models import AccessToken
from tests.api_project.servers import ROOT

pytestmark = pytest.mark.django_db
TOPICS = "{ topics(first: 1) { totalCount } }"


def _rest(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def _graphql(client: APIClient) -> dict[str, object]:
    response = client.post(
        "/graphql/", json.dumps({"query": TOPICS}), content_type="application/json"
    )
    return {"status": response.status_code, **response.json()}


def _refused(secret: str, detail: str) -> None:
    """Refused by REST and by GraphQL, with the same reason."""
    rest = _rest(secret).get("/api/v1/topics/")
    assert rest.status_code == 401
    assert rest["WWW-Authenticate"] == "Token"
    assert rest["Content-Type"] == "application/problem+json"
    assert rest.json()["detail"] == detail
    graphql = _rest(secret).post(
        "/graphql/", json.dumps({"query": TOPICS}), content_type="application/json"
    )
    assert graphql.status_code == 401
    assert graphql["WWW-Authenticate"] == "Token"
    assert graphql.json() == {
        "errors": [{"message": detail, "extensions": {"code": "UNAUTHENTICATED"}}]
    }


def test_only_a_digest_of_the_secret_is_stored(editor: User) -> None:
    issued = tokens.issue(editor, name="script")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM core_accesstoken WHERE id = %s", [issued.token.pk])
        row = cursor.fetchone()
    assert row is not None
    assert not any(issued.secret in str(value) for value in row)
    assert issued.token.digest == tokens.digest_of(issued.secret)
    assert issued.token.prefix == issued.secret[:8]
    assert len(issued.secret) >= 43  # 256 random bits


def test_a_token_works_for_rest_and_graphql_and_notes_its_use(editor: User) -> None:
    issued = tokens.issue(editor)
    assert issued.token.last_used_at is None
    write = _rest(issued.secret).post(
        "/api/v1/topics/", {"slug": "by-token", "title": "By token"}, format="json"
    )
    assert write.status_code == 201
    first_use = AccessToken.objects.get(pk=issued.token.pk).last_used_at
    assert first_use is not None
    assert _graphql(_rest(issued.secret))["status"] == 200
    # Noted to the minute: the second use, moments later, writes nothing.
    assert AccessToken.objects.get(pk=issued.token.pk).last_used_at == first_use


def test_tokens_expire_after_token_ttl(editor: User) -> None:
    with override_settings(TOKEN_TTL=timedelta(days=30)):
        issued = tokens.issue(editor)
    assert issued.token.expires_at == issued.token.created_at + timedelta(days=30)
    AccessToken.objects.filter(pk=issued.token.pk).update(expires_at=timezone.now())
    _refused(issued.secret, "Token expired.")


def test_a_token_ttl_of_none_never_expires(editor: User) -> None:
    with override_settings(TOKEN_TTL=None):
        assert tokens.issue(editor).token.expires_at is None


def test_a_revoked_token_is_refused(editor: User) -> None:
    issued = tokens.issue(editor)
    assert _rest(issued.secret).get("/api/v1/topics/").status_code == 200
    assert tokens.revoke(AccessToken.objects.filter(pk=issued.token.pk)) == 1
    _refused(issued.secret, "Token revoked.")
    assert tokens.revoke(AccessToken.objects.filter(pk=issued.token.pk)) == 0  # once


def test_an_unknown_token_and_a_deactivated_user_are_refused(editor: User) -> None:
    issued = tokens.issue(editor)
    _refused(issued.secret[:-1] + ("A" if issued.secret[-1] != "A" else "B"), "Invalid token.")
    _refused(issued.secret[:8], "Invalid token.")  # the prefix alone is no token
    editor.is_active = False
    editor.save()
    _refused(issued.secret, "User inactive or deleted.")


@pytest.mark.parametrize(
    ("header", "detail"),
    [
        ("Token", "Invalid token header. No credentials provided."),
        ("token   ", "Invalid token header. No credentials provided."),
        ("Token a b", "Invalid token header. Token string should not contain spaces."),
        ("Token caf\u00e9-caf\u00e9-caf\u00e9", "Invalid token."),
        ("Token ../../etc/passwd", "Invalid token."),
        ("Token " + "x" * 5000, "Invalid token."),
    ],
)
def test_a_malformed_token_header_is_a_401_not_anonymous(header: str, detail: str) -> None:
    for path in ("/api/v1/topics/", "/graphql/?query={__typename}"):
        response = Client().get(path, HTTP_AUTHORIZATION=header, HTTP_ACCEPT="application/json")
        assert response.status_code == 401, (path, response.content)
        assert response["WWW-Authenticate"] == "Token"
        body = response.json()
        assert (body.get("detail") or body["errors"][0]["message"]) == detail


def test_other_schemes_are_not_tokens_and_read_as_anonymous() -> None:
    """Basic credentials a proxy in front may add are not Chronicle's to judge."""
    response = Client().get("/api/v1/topics/", HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3600", timedelta(hours=1)),
        ("90d", timedelta(days=90)),
        ("12H", timedelta(hours=12)),
        ("30m", timedelta(minutes=30)),
        ("45s", timedelta(seconds=45)),
        ("0", None),
        ("none", None),
    ],
)
def test_durations(text: str, expected: timedelta | None) -> None:
    assert duration(text) == expected


@pytest.mark.parametrize("text", ["", "d", "-5d", "1.5d", "5w", "\u0661\u0662", "9" * 30 + "d"])
def test_a_malformed_duration_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="duration"):
        duration(text)


@pytest.mark.parametrize(
    ("value", "printed"),
    [(None, "90 days, 0:00:00"), ("12h", "12:00:00"), ("0", "None"), ("none", "None")],
)
def test_token_ttl_defaults_to_ninety_days_and_never_only_when_said(
    value: str | None, printed: str
) -> None:
    env = {key: item for key, item in os.environ.items() if key != "TOKEN_TTL"}
    if value is not None:
        env["TOKEN_TTL"] = value
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.TOKEN_TTL)"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "api_project.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip() == printed, result.stderr


def test_a_malformed_token_ttl_is_a_configuration_error() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**os.environ, "TOKEN_TTL": "forever"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "TOKEN_TTL" in result.stderr


# manage.py token


def test_the_command_issues_lists_and_revokes(editor: User) -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "token", "issue", editor.username, "--name", "ci", "--ttl", "1h", stdout=out, stderr=err
    )
    secret = out.getvalue().strip()
    assert "shown this once" in err.getvalue()
    token = tokens.authenticate(secret)
    assert token.name == "ci"
    assert token.expires_at is not None
    assert timedelta(minutes=59) < token.expires_at - token.created_at <= timedelta(hours=1)
    listing = io.StringIO()
    call_command("token", "list", stdout=listing)
    assert token.prefix in listing.getvalue()
    assert secret not in listing.getvalue()
    call_command("token", "revoke", token.prefix, stdout=io.StringIO())
    _refused(secret, "Token revoked.")


def test_the_command_revokes_a_users_every_token(editor: User) -> None:
    secrets = [tokens.issue(editor).secret for _ in range(3)]
    out = io.StringIO()
    call_command("token", "revoke", "--user", editor.username, stdout=out)
    assert "3 token(s) revoked" in out.getvalue()
    for secret in secrets:
        with pytest.raises(tokens.TokenRefused, match="revoked"):
            tokens.authenticate(secret)


def test_the_command_never_expires_only_when_asked(editor: User) -> None:
    out = io.StringIO()
    call_command(
        "token", "issue", editor.username, "--ttl", "none", stdout=out, stderr=io.StringIO()
    )
    assert tokens.authenticate(out.getvalue().strip()).expires_at is None


@pytest.mark.parametrize(
    "arguments",
    [
        ["issue", "nobody"],
        ["issue", "curator", "--ttl", "soon"],
        ["revoke"],
        ["revoke", "nosuchpx"],
        ["revoke", "abc", "--user", "curator"],
    ],
)
def test_the_command_refuses_what_it_cannot_do(editor: User, arguments: list[str]) -> None:
    count = AccessToken.objects.count()
    with pytest.raises(CommandError):
        call_command("token", *arguments, stdout=io.StringIO(), stderr=io.StringIO())
    assert AccessToken.objects.count() == count
    assert not AccessToken.objects.filter(revoked_at__isnull=False).exists()


# The admin


@pytest.fixture
def admin_client(client: Client) -> Client:
    client.force_login(User.objects.create_superuser("chief", password="unused-password-1"))
    return client


def test_the_admin_lists_tokens_without_their_secrets(admin_client: Client, editor: User) -> None:
    issued = tokens.issue(editor, name="nightly export")
    page = admin_client.get(reverse("admin:core_accesstoken_changelist")).content.decode()
    assert issued.token.prefix in page
    assert "nightly export" in page
    assert issued.secret not in page
    assert issued.token.digest not in page
    change = admin_client.get(reverse("admin:core_accesstoken_change", args=[issued.token.pk]))
    assert issued.secret not in change.content.decode()
    assert issued.token.digest not in change.content.decode()


def test_the_admin_issues_a_token_and_shows_its_secret_once(
    admin_client: Client, editor: User
) -> None:
    expires = (timezone.now() + timedelta(days=7)).replace(microsecond=0)
    response = admin_client.post(
        reverse("admin:core_accesstoken_add"),
        {
            "user": editor.pk,
            "name": "from the admin",
            "expires_at_0": expires.strftime("%Y-%m-%d"),
            "expires_at_1": expires.strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = AccessToken.objects.get(name="from the admin")
    page = response.content.decode()
    start = page.index('<code id="token-secret">') + len('<code id="token-secret">')
    secret = page[start : page.index("</code>", start)]
    assert tokens.authenticate(secret).pk == token.pk
    assert token.expires_at == expires
    again = admin_client.get(reverse("admin:core_accesstoken_change", args=[token.pk]))
    assert secret not in again.content.decode()


def test_the_admin_refuses_an_expiry_in_the_past(admin_client: Client, editor: User) -> None:
    response = admin_client.post(
        reverse("admin:core_accesstoken_add"),
        {"user": editor.pk, "name": "late", "expires_at_0": "2020-01-01", "expires_at_1": "00:00"},
    )
    assert response.status_code == 200
    assert "must expire in the future" in response.content.decode()
    assert not AccessToken.objects.filter(name="late").exists()


def test_the_admin_revokes_by_action(admin_client: Client, editor: User) -> None:
    kept, revoked = tokens.issue(editor), tokens.issue(editor)
    response = admin_client.post(
        reverse("admin:core_accesstoken_changelist"),
        {"action": "revoke", "_selected_action": [revoked.token.pk]},
        follow=True,
    )
    assert "1 token(s) revoked." in response.content.decode()
    _refused(revoked.secret, "Token revoked.")
    assert _rest(kept.secret).get("/api/v1/topics/").status_code == 200
    listing = admin_client.get(reverse("admin:core_accesstoken_changelist"), {"state": "revoked"})
    assert list(listing.context["cl"].result_list) == [revoked.token]


def test_editors_cannot_reach_the_tokens(client: Client, editor: User) -> None:
    client.force_login(editor)
    assert client.get(reverse("admin:core_accesstoken_changelist")).status_code == 403


# make run's editor


def test_local_editor_prints_a_token_that_works_and_keeps_it(tmp_path: Path) -> None:
    def run() -> str:
        out = io.StringIO()
        with override_settings(VAR_DIR=tmp_path):
            call_command("local_editor", stdout=out)
        line = next(line for line in out.getvalue().splitlines() if "Token " in line)
        return line.rsplit(" ", 1)[1]

    secret = run()
    assert (tmp_path / "editor_token").stat().st_mode & 0o077 == 0
    created = _rest(secret).post("/api/v1/topics/", {"slug": "t", "title": "T"}, format="json")
    assert created.status_code == 201
    assert run() == secret  # make run again: the same token
    tokens.revoke(AccessToken.objects.all())
    renewed = run()
    assert renewed != secret
    assert _rest(renewed).get("/api/v1/topics/").status_code == 200


# Tokens issued by DRF before


def test_drfs_plain_keys_are_carried_over_as_digests_and_deleted(editor: User) -> None:
    key = "0123456789abcdef0123456789abcdef01234567"
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
            "created timestamptz NOT NULL, user_id integer NOT NULL UNIQUE)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token VALUES (%s, now() - interval '1 year', %s)",
            [key, editor.pk],
        )
    migration = importlib.import_module("core.migrations.0003_carry_over_drf_tokens")
    migration.carry_over(apps, connection.schema_editor())
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM authtoken_token")
        assert cursor.fetchone() == (0,)
    token = tokens.authenticate(key)
    assert token.user == editor
    assert token.expires_at is not None
    assert token.expires_at > timezone.now()
    assert (
        _rest(key).post("/api/v1/topics/", {"slug": "k", "title": "K"}, format="json").status_code
        == 201
    )


def test_a_database_refusing_writes_still_serves_a_tokens_reads(editor: User) -> None:
    """Noting the use is a write; when the database refuses it (read-only, disk full) the
    read it came with is still answered."""
    issued = tokens.issue(editor)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'read-only' USING ERRCODE = '25006'; END $$"
        )
        cursor.execute(
            "CREATE TRIGGER refuse BEFORE UPDATE ON core_accesstoken "
            "FOR EACH ROW EXECUTE FUNCTION refuse()"
        )
    response = _rest(issued.secret).get("/api/v1/stances/?status=proposed")
    assert response.status_code == 200
    assert AccessToken.objects.get(pk=issued.token.pk).last_used_at is None
    graphql = _graphql(_rest(issued.secret))
    assert graphql["status"] == 200
    assert "errors" not in graphql
