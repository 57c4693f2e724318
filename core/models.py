"""What the framework keeps in the database: GraphQL documents registered ahead of time
(trusted documents) and API tokens.

Documents are kept in the database, not in each worker's memory: every worker must run exactly
the same set, and a deployment registers a client's documents once (`manage.py
register_documents`). Tokens: see AccessToken and core/tokens.py.
"""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from api_project.constraints import range_check


class PersistedDocument(models.Model):
    """One document a client may run by id. `id` is the key the client sends (Relay's
    `doc_id`, graphql-codegen's `documentId`: a hash of the text, md5, sha1 or sha256);
    `sha256` is always the text's SHA-256, so Apollo's persisted-query hash finds it too."""

    id = models.CharField(primary_key=True, max_length=200)
    sha256 = models.CharField(max_length=64, db_index=True)
    text = models.TextField()
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "persisted GraphQL document"

    def __str__(self) -> str:
        return self.id


class AccessToken(models.Model):
    """An API token (`Authorization: Token …`). The secret itself is never stored: only its
    SHA-256 digest, so a copy of the database (a backup, a dump) holds nothing a client could
    send. The secret is shown once, when the token is issued (core/tokens.py).

    A plain digest suffices because every secret is random (256 bits; 160 for tokens carried
    over from DRF's table), so there is nothing to guess; a key shared with SECRET_KEY would
    have made rotating that key end every token. `prefix`, the secret's first characters, names
    the token in the admin and in commands and finds its row; it is never enough to use it."""

    prefix = models.CharField(max_length=8, db_index=True, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens"
    )
    name = models.CharField(max_length=100, blank=True, help_text="What the token is for.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="Refused from this instant on; empty: never expires."
    )
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="To the minute."
    )

    class Meta:
        verbose_name = "API token"
        ordering = ["-created_at"]
        constraints = [
            range_check(
                "created_at",
                "expires_at",
                "core_accesstoken_expires_after_creation",
                "A token must expire after it is issued.",
                empty=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name or self.user})"

    def state(self, now: datetime | None = None) -> str:
        """active, expired or revoked: what a request with this token meets."""
        now = now or timezone.now()
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"
