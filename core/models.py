"""GraphQL documents registered ahead of time (trusted documents).

Kept in the database, not in each worker's memory: every worker must run exactly the same set,
and a deployment registers a client's documents once (`manage.py register_documents`).
"""

from django.db import models


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
