"""REST reads through the versioned response cache (api_project/cache.py).

The lookup happens after DRF's `initial()`, so authentication, throttling, parameter checks and
content negotiation run on every request, hit or miss; only the JSON representation is kept
(the browsable API and streamed exports are always computed).
"""

from typing import TYPE_CHECKING, Any

from django.http.response import HttpResponseBase
from rest_framework.request import Request

from api_project.cache import bypassed, cache_key, cached_response, remember

if TYPE_CHECKING:
    from rest_framework.views import APIView

    _ViewBase = APIView
else:
    _ViewBase = object


class CachedReadsMixin(_ViewBase):
    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        method = (request.method or "").lower()
        if (
            method in ("get", "head")
            and getattr(request.accepted_renderer, "format", "") == "json"
            and not bypassed(request._request)
        ):
            # DRF picks the handler after initial(): wrapping it here covers list, retrieve and
            # every read action alike.
            handler = getattr(self, method)
            # The absolute URI: pagination links name the host and scheme that were asked.
            uri = request.build_absolute_uri()
            key = cache_key(request._request, uri, request.accepted_media_type)

            def cached_handler(request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
                if hit := cached_response(request._request, key):
                    return hit
                response: HttpResponseBase = handler(request, *args, **kwargs)
                if hasattr(response, "add_post_render_callback"):
                    response.add_post_render_callback(
                        lambda rendered: remember(key, rendered, request._request)
                    )
                return response

            setattr(self, method, cached_handler)
