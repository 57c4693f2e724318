"""Issuing, checking and revoking API tokens: the one place their rules live.

REST (core/authentication.py) and GraphQL (api_project/graphql/view.py) both authenticate
through `authenticate`, so a token refused by one is refused by the other, with the same reason.
"""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from django.conf import settings
from django.contrib.auth.models import User
from django.db import DatabaseError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from .models import AccessToken

PREFIX_LENGTH = 8
# 256 random bits, URL-safe base64: 43 characters. DRF's former keys were 40 hex characters.
SECRET_BYTES = 32
# What a token can look like; anything else is refused before the database is asked.
_SHAPE = re.compile(rf"[A-Za-z0-9_-]{{{PREFIX_LENGTH},100}}")
# `last_used_at` is written at most this often per token: an authenticated read costs no write.
LAST_USED_PRECISION = timedelta(minutes=1)


class TokenRefused(Exception):
    """A token that names no one: unknown, revoked, expired, or its user deactivated."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Issued:
    token: AccessToken
    secret: str


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue(
    user: User,
    *,
    name: str = "",
    ttl: timedelta | Literal["TOKEN_TTL"] | None = "TOKEN_TTL",
) -> Issued:
    """A new token for `user`, expiring after TOKEN_TTL unless `ttl` says otherwise (a
    duration, or None for never). The secret is in the answer and nowhere else."""
    now = timezone.now()
    lifetime: timedelta | None = settings.TOKEN_TTL if isinstance(ttl, str) else ttl
    token = AccessToken(
        user=user,
        name=name,
        created_at=now,
        expires_at=None if lifetime is None else now + lifetime,
    )
    secret = new_secret(token)
    token.save(force_insert=True)
    return Issued(token=token, secret=secret)


def new_secret(token: AccessToken) -> str:
    """Give an unsaved token its secret (its prefix and digest) and return the secret, which
    the caller shows once: it is not kept."""
    secret = secrets.token_urlsafe(SECRET_BYTES)
    token.prefix = secret[:PREFIX_LENGTH]
    token.digest = digest_of(secret)
    return secret


def authenticate(secret: str) -> AccessToken:
    """The active token `secret` is, with its user; TokenRefused saying why not."""
    if not _SHAPE.fullmatch(secret):
        raise TokenRefused("Invalid token.")
    digest = digest_of(secret)
    found = None
    candidates = AccessToken.objects.select_related("user").filter(prefix=secret[:PREFIX_LENGTH])
    for candidate in candidates:
        # Constant-time, whatever the prefix lookup found.
        if hmac.compare_digest(candidate.digest, digest):
            found = candidate
    if found is None:
        raise TokenRefused("Invalid token.")
    now = timezone.now()
    state = found.state(now)
    if state == "revoked":
        raise TokenRefused("Token revoked.")
    if state == "expired":
        raise TokenRefused("Token expired.")
    if not found.user.is_active:
        raise TokenRefused("User inactive or deleted.")
    _note_use(found, now)
    return found


def _note_use(token: AccessToken, now: datetime) -> None:
    """Record the use, at most once a minute. A database that refuses writes (read-only, disk
    full) still serves reads: the note is skipped, in a savepoint so no transaction breaks."""
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_PRECISION:
        return
    try:
        with transaction.atomic():
            AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    except DatabaseError:
        return
    token.last_used_at = now


def revoke(tokens: "QuerySet[AccessToken]") -> int:
    """Revoke every token of `tokens` not revoked yet; how many were."""
    return tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
