"""The versioned response cache shared by REST and GraphQL reads.

A key carries the record's data version, which database triggers bump in the same transaction
as every write (and the instant of that bump, so a number reused after a rollback or a flush
never meets an older entry); the viewer's role, the one thing besides the request that changes
what a reader sees (whether unverified stances show); and the request itself. A committed write
therefore makes every older entry unreachable at once: nothing is invalidated by hand, and no
reader is ever served a representation older than the data they could query.

Each worker keeps its own entries (the `responses` cache, sized by RESPONSE_CACHE_ENTRIES; 0
turns caching off). A request sent with `Cache-Control: no-cache` is computed afresh and its
answer not kept: it then costs nothing of the cache's, not even the version's read.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import set_response_etag

from actors.querysets import sees_every_stance
from events.models import DataVersion

if TYPE_CHECKING:
    from django.http.response import HttpResponseBase

HIT_HEADER = "X-Cache"


@dataclass(frozen=True, slots=True)
class CachedResponse:
    content: bytes
    content_type: str
    etag: str


def data_version(request: HttpRequest) -> DataVersion:
    """Read once per request, so that the cache key and Last-Modified agree."""
    version: DataVersion | None = getattr(request, "_data_version", None)
    if version is None:
        version = DataVersion.current()
        request._data_version = version  # type: ignore[attr-defined]
    return version


def viewer_role(request: HttpRequest) -> str:
    return "every-stance" if sees_every_stance(request.user) else "public"


def bypassed(request: HttpRequest) -> bool:
    return not settings.RESPONSE_CACHE_ENTRIES or "no-cache" in request.headers.get(
        "Cache-Control", ""
    )


def cache_key(request: HttpRequest, *parts: str | bytes) -> str:
    version = data_version(request)
    digest = hashlib.blake2b(digest_size=20)
    for part in (viewer_role(request), *parts):
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\0")
    return f"{version.version}:{version.changed_at.timestamp()}:{digest.hexdigest()}"


def cached_response(request: HttpRequest, key: str) -> HttpResponse | None:
    entry: CachedResponse | None = caches["responses"].get(key)
    if entry is None:
        return None
    response = HttpResponse(entry.content, content_type=entry.content_type)
    response["ETag"] = entry.etag
    response[HIT_HEADER] = "hit"
    return response


def now_for(request: HttpRequest) -> datetime:
    """The current instant for a read that defaults to "now" (a matrix without `as_of`). Such
    an answer changes with the clock as well as with the data (a stance comes into force), so
    it is never kept."""
    request._reads_the_clock = True  # type: ignore[attr-defined]
    return timezone.now()


def remember(key: str, response: "HttpResponseBase", request: HttpRequest) -> None:
    """Keep a successful, complete response; anything else is computed again next time."""
    if response.status_code != 200 or not isinstance(response, HttpResponse):
        return
    if getattr(request, "_reads_the_clock", False):
        return
    if not response.has_header("ETag"):
        set_response_etag(response)
    entry = CachedResponse(response.content, response["Content-Type"], response["ETag"])
    caches["responses"].set(key, entry)
    response[HIT_HEADER] = "miss"
