"""One Content-Security-Policy for every page Chronicle serves: only its own files run.

GraphiQL, Swagger UI, the admin and `/` load scripts, styles, images and fonts from this origin
alone (the fonts and icons GraphiQL's and Swagger's style sheets embed are `data:` URLs), talk
only to this origin, and may not be framed; no page has an inline script or style, so none
needs a nonce. JSON answers carry the same policy, which a browser applies if one is ever
opened as a document.

Two pages get more, each only what its templates need:
- DRF's browsable API (an HTML rendering of /api/v1/) and its login page (/api-auth/) style
  elements inline, so their pages also allow inline styles. Scripts stay as strict there.
- django-import-export's export form in the admin has an inline handler ("Select all") and two
  inline styles; exactly those are allowed, by hash, on that form alone.
"""

import base64
import hashlib

from csp.constants import NONE, SELF, UNSAFE_HASHES, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpRequest
from django.http.response import HttpResponseBase

# DRF's BrowsableAPIRenderer and its subclasses; the settings import this module, and importing
# DRF from the settings would freeze its configuration before REST_FRAMEWORK is read.
BROWSABLE_API_FORMAT = "api"

DIRECTIVES: dict[str, list[str]] = {
    "default-src": [NONE],
    "script-src": [SELF],
    "style-src": [SELF],
    "img-src": [SELF, "data:"],
    "font-src": [SELF, "data:"],
    "connect-src": [SELF],
    "form-action": [SELF],
    "base-uri": [NONE],
    "frame-ancestors": [NONE],
}


def _source_hash(source: str) -> str:
    digest = base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()
    return f"'sha256-{digest}'"


EXPORT_FORM_INLINE: dict[str, list[str]] = {
    "script-src": [UNSAFE_HASHES, _source_hash("onSelectToggleChange(event)")],
    "style-src": [UNSAFE_HASHES, _source_hash("padding: 0;"), _source_hash("font-weight: bold;")],
}


def _is_browsable_api_page(request: HttpRequest, response: HttpResponseBase) -> bool:
    renderer = getattr(response, "accepted_renderer", None)
    match = request.resolver_match
    return getattr(renderer, "format", None) == BROWSABLE_API_FORMAT or (
        match is not None and match.app_name == "rest_framework"
    )


def _is_admin_export_form(request: HttpRequest) -> bool:
    match = request.resolver_match
    return (
        match is not None
        and match.app_name == "admin"
        and (match.url_name or "").endswith("_export")
    )


class ChronicleCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the two pages' additions above."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if _is_browsable_api_page(request, response):
            parts.update = {**(parts.update or {}), "style-src": [UNSAFE_INLINE]}
        elif _is_admin_export_form(request):
            parts.update = {**(parts.update or {}), **EXPORT_FORM_INLINE}
        return parts
