"""Conditional requests: Last-Modified from the record's data version, and If-Match on writes.

GET responses get a strong ETag (a hash of the body) and 304s from Django's
ConditionalGetMiddleware, and say how caches may keep them (`http_caching`). Last-Modified is
the time of the last committed write to the record (database triggers keep it), sent only once
that second is over, so that a second write in the same second can never hide behind an
If-Modified-Since.
"""

import hashlib
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from api_project.cache import data_version
from api_project.versions import locked, row_version

from .errors import PreconditionFailed
from .renderers import ORJSONRenderer


def last_modified_header(request: HttpRequest) -> str | None:
    changed_at = data_version(request).changed_at
    second = changed_at.replace(microsecond=0)
    if timezone.now() < second + timedelta(seconds=1):
        return None
    return http_date(second.timestamp())


# What a read's body depends on besides its URL: the media type and the viewer's role.
VARY = ("Accept", "Authorization", "Cookie")


def http_caching(request: HttpRequest, response: HttpResponseBase) -> None:
    """A successful GET is revalidated on every use (ETag, Last-Modified, 304s); shared caches
    may keep anonymous answers only, since an editor's show stances a reader's do not."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, max_age=0, must_revalidate=True)
    else:
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    patch_vary_headers(response, VARY)
    if header := last_modified_header(request):
        response["Last-Modified"] = header


def representation_etag(data: Any) -> str:
    """The ETag a GET of this representation (as JSON) carries."""
    digest = hashlib.md5(ORJSONRenderer().render(data), usedforsecurity=False).hexdigest()
    return f'"{digest}"'


def _matches(header: str, etag: str) -> bool:
    candidates = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return "*" in candidates or etag in candidates


if TYPE_CHECKING:
    from rest_framework.generics import GenericAPIView

    _ViewBase = GenericAPIView[Any]
else:
    _ViewBase = object


class HTTPCachingMixin(_ViewBase):
    """Caching headers on every read of the view (`http_caching`): the records, the audit trail
    and the API root alike, so no role-dependent body is kept by a shared cache."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if request.method in ("GET", "HEAD"):
            # Read before the answer is computed (the response cache reads it here too), so
            # that Last-Modified never names a write the answer may not hold.
            data_version(request._request)

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        http_caching(request._request, response)
        return response


class ConditionalMixin(HTTPCachingMixin):
    """Caching headers on reads; If-Match checked under a row lock on writes, so two editors never
    silently overwrite each other and no write slips in between the check and the save."""

    def locked_object(self) -> Model:
        """The object, locked for this transaction, after checking the request's If-Match: the
        ETag a GET of the object carries, or the record's version (`api_project.versions`, the
        token GraphQL and the admin use)."""
        if locked(self.get_object()) is None:  # deleted while this request waited for it
            raise PreconditionFailed() if "If-Match" in self.request.headers else NotFound()
        instance: Model = self.get_object()
        if header := self.request.headers.get("If-Match"):
            version = f'"{row_version(instance)}"'
            if not _matches(header, version) and not _matches(header, self.current_etag()):
                raise PreconditionFailed()
        return instance

    def current_etag(self) -> str:
        """The ETag a plain GET of the object answers now: its detail representation, which
        for some resources (an event, with its entries) is not the one a write answers."""
        action = self.action  # type: ignore[has-type]  # set by the viewset's dispatch
        self.action = "retrieve"
        try:
            data = self.get_serializer(self.get_object()).data
        finally:
            self.action = action
        return representation_etag(data)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with transaction.atomic():
            instance = self.locked_object()
            serializer = self.get_serializer(
                instance, data=request.data, partial=kwargs.get("partial", False)
            )
            serializer.is_valid(raise_exception=True)
            self.perform_update(serializer)  # type: ignore[attr-defined]
        return Response(serializer.data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with transaction.atomic():
            instance = self.locked_object()
            self.perform_destroy(instance)  # type: ignore[attr-defined]
        return Response(status=204)
