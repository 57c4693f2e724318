"""Which document a GraphQL request runs: its text, a registered document's id, or a hash.

Three ways of naming a document, as the clients people use send them:

- the text itself, in `query`;
- an id from a list registered ahead (`documentId`, graphql-codegen's and the GraphQL over
  HTTP persisted-documents proposal's name, or `doc_id`, Relay's);
- Apollo's automatic persisted queries: `extensions.persistedQuery = {version: 1,
  sha256Hash}`. A hash the server does not know is answered `PersistedQueryNotFound`, the
  client sends it again with the text, and the server checks the text against the hash before
  keeping it. Those are kept per worker in a bounded cache (the `persisted_queries` cache):
  a worker that forgot one just asks for the text again.

With GRAPHQL_TRUSTED_DOCUMENTS on, only registered documents run: a text, or a hash nobody
registered, is refused. The registered documents are in the database (core.models), shared by
every worker.
"""

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import caches

from api_project.graphql.documents import parsed

from .models import PersistedDocument

NOT_FOUND = "PersistedQueryNotFound"
NOT_FOUND_CODE = "PERSISTED_QUERY_NOT_FOUND"
_SHA256 = re.compile(r"[0-9a-f]{64}")
_HASHES = {32: "md5", 40: "sha1", 64: "sha256"}
# Where a request names a registered document: graphql-codegen's (and the GraphQL over HTTP
# persisted-documents proposal's) name first, then Relay's.
ID_PARAMS = ("documentId", "doc_id")


@dataclass(frozen=True, slots=True)
class PersistedError(Exception):
    """The request named a document that cannot run. `status` None: a GraphQL request error
    (200 for application/json, 400 for application/graphql-response+json), as Apollo's
    protocol expects; otherwise that HTTP status whatever the client accepts."""

    message: str
    code: str
    status: int | None = None


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def expected_id(document_id: str, text: str) -> str | None:
    """The id `text` would have under the hash `document_id` looks like (md5, sha1, sha256, an
    optional `sha256:` prefix); None when the id is not a hash this server knows."""
    algorithm, _, digest = document_id.rpartition(":")
    if algorithm and algorithm not in _HASHES.values():
        return None
    name = algorithm or _HASHES.get(len(digest))
    if name is None or not re.fullmatch(r"[0-9a-fA-F]+", digest):
        return None
    computed = hashlib.new(name, text.encode()).hexdigest()
    return f"{algorithm}:{computed}" if algorithm else computed


# Registered texts found so far, by id and by SHA-256. Only hits are kept: a document
# registered while the worker runs is found at its first request. A registered id never changes
# its text (register_documents refuses that), so a hit never goes stale.
_by_id: dict[str, str] = {}
_by_sha256: dict[str, str] = {}


def registered(document_id: str) -> str | None:
    """The text registered under this id, or under this `sha256:<hash>`."""
    if (text := _by_id.get(document_id)) is None:
        algorithm, _, digest = document_id.rpartition(":")
        rows = PersistedDocument.objects.values_list("text", flat=True)
        if algorithm == "sha256":
            text = rows.filter(sha256=digest.lower()).first() or rows.filter(pk=document_id).first()
        else:
            text = rows.filter(pk=document_id).first()
        if text is not None:
            _by_id[document_id] = text
    return text


def registered_by_sha256(sha256: str) -> str | None:
    if (text := _by_sha256.get(sha256)) is None:
        rows = PersistedDocument.objects.values_list("text", flat=True)
        text = rows.filter(sha256=sha256).first()
        if text is not None:
            _by_sha256[sha256] = text
    return text


def _automatic(params: Mapping[str, Any], persisted: Any) -> str:
    """Apollo's protocol: the hash alone, or the hash with the text to keep."""
    if not isinstance(persisted, Mapping) or persisted.get("version") != 1:
        raise PersistedError(
            "Unsupported persisted query: send extensions.persistedQuery as "
            "{version: 1, sha256Hash}.",
            "PERSISTED_QUERY_VERSION_NOT_SUPPORTED",
            400,
        )
    sha256 = persisted.get("sha256Hash")
    if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
        raise PersistedError(
            "persistedQuery.sha256Hash must be 64 lowercase hexadecimal digits.", "BAD_REQUEST", 400
        )
    query = params.get("query")
    trusted = settings.GRAPHQL_TRUSTED_DOCUMENTS
    if query is None:
        text = registered_by_sha256(sha256)
        if text is None and not trusted:
            text = caches["persisted_queries"].get(sha256)
        if text is None:
            # In trusted mode the text is refused anyway: no point asking for it.
            raise PersistedError(NOT_FOUND, NOT_FOUND_CODE, 400 if trusted else None)
        return text
    if not isinstance(query, str) or sha256_of(query) != sha256:
        raise PersistedError("provided sha does not match query", "BAD_REQUEST", 400)
    if trusted:
        if (text := registered_by_sha256(sha256)) is None:
            raise _untrusted()
        return text
    if parsed(query) is not None:  # a text that cannot run is not worth a place
        caches["persisted_queries"].set(sha256, query)
    return query


def _untrusted() -> PersistedError:
    return PersistedError(
        "This server runs only registered documents (trusted documents): send the id of a "
        "document registered with `manage.py register_documents` (documentId, doc_id, or "
        "extensions.persistedQuery.sha256Hash), not its text.",
        "PERSISTED_QUERY_ONLY",
        400,
    )


def document(params: Mapping[str, Any]) -> str | None:
    """The text this request runs, or None when it names none (a missing query)."""
    document_id = next((params[n] for n in ID_PARAMS if params.get(n) is not None), None)
    if document_id is not None:
        if not isinstance(document_id, str) or not document_id:
            raise PersistedError("documentId must be a non-empty string.", "BAD_REQUEST", 400)
        if (text := registered(document_id)) is None:
            raise PersistedError(
                f"No document is registered with the id {document_id!r}.",
                "PERSISTED_DOCUMENT_NOT_FOUND",
                400,
            )
        return text
    extensions = params.get("extensions")
    if isinstance(extensions, Mapping) and "persistedQuery" in extensions:
        return _automatic(params, extensions["persistedQuery"])
    query = params.get("query")
    if query is not None and settings.GRAPHQL_TRUSTED_DOCUMENTS:
        raise _untrusted()
    return query if isinstance(query, str) else None


def forget() -> None:
    """Drop what this worker remembered of the registered documents (tests)."""
    _by_id.clear()
    _by_sha256.clear()
