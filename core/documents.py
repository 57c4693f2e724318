"""Registering a client's persisted documents, from the files its build writes.

Relay (`persistConfig` with a `file`) and graphql-codegen's client preset (`persistedDocuments`)
both write one JSON object, `{"<id>": "<document text>"}`; the id is a hash of the text (Relay:
md5 by default, or sha1/sha256; codegen: sha256 by default, or sha1). An id that looks like one
of those hashes must be that hash of its text, so a corrupted or edited file is refused.
"""

from dataclasses import dataclass
from pathlib import Path

from django.db import IntegrityError, transaction
from graphql import GraphQLError, parse

from api_project import safe_json

from .models import PersistedDocument
from .persisted import expected_id, sha256_of


class DocumentsError(ValueError):
    """A file that cannot be registered; nothing of the run is written."""


@dataclass(frozen=True, slots=True)
class Registration:
    added: int
    known: int


def read(path: Path) -> dict[str, str]:
    try:
        data = safe_json.loads(path.read_bytes())  # a NUL in an id or a text: PostgreSQL's refusal
    except (OSError, ValueError) as error:
        raise DocumentsError(f"{path}: not a readable JSON file ({error}).") from None
    if not isinstance(data, dict) or not all(
        isinstance(key, str) and isinstance(text, str) for key, text in data.items()
    ):
        raise DocumentsError(f'{path}: expected one JSON object {{"<id>": "<document>"}}.')
    for document_id, text in data.items():
        if not document_id or len(document_id) > PersistedDocument._meta.get_field("id").max_length:  # type: ignore[operator]
            raise DocumentsError(f"{path}: the id {document_id!r} is empty or too long.")
        computed = expected_id(document_id, text)
        if computed is not None and computed.lower() != document_id.lower():
            raise DocumentsError(
                f"{path}: the id {document_id} is not the hash of its document ({computed})."
            )
        try:
            parse(text)
        except GraphQLError as error:
            raise DocumentsError(
                f"{path}: the document {document_id} does not parse: {error}"
            ) from None
    return data


def register(paths: list[Path]) -> Registration:
    """All the files' documents, in one transaction; registering them again changes nothing,
    and an id already registered with another text is refused."""
    documents: dict[str, str] = {}
    for path in paths:
        for document_id, text in read(path).items():
            if documents.setdefault(document_id, text) != text:
                raise DocumentsError(f"{path}: the id {document_id} names two different documents.")
    added = known = 0
    with transaction.atomic():
        existing = dict(
            PersistedDocument.objects.select_for_update()
            .filter(pk__in=documents)
            .values_list("id", "text")
        )
        for document_id, text in documents.items():
            if document_id not in existing:
                continue
            if existing[document_id] != text:
                raise DocumentsError(
                    f"The id {document_id} is already registered with another document."
                )
            known += 1
        new = [
            PersistedDocument(id=document_id, sha256=sha256_of(text), text=text)
            for document_id, text in documents.items()
            if document_id not in existing
        ]
        try:
            with transaction.atomic():
                PersistedDocument.objects.bulk_create(new)
        except IntegrityError:
            # Rows another registration inserted meanwhile: no lock could cover them.
            raise DocumentsError(
                "Another registration of these documents ran at the same time; run this again "
                "(registering is idempotent)."
            ) from None
        added = len(new)
    return Registration(added=added, known=known)
