"""Cross-origin access to the APIs: any allowed origin may call them, only listed ones with cookies.

Browser apps on other origins reach `/api/…` and `/graphql/` (never the admin). Origins come
from CORS_ALLOWED_ORIGINS; in development (DEBUG) any `http://localhost:PORT` and
`http://127.0.0.1:PORT` is allowed too, so a frontend's dev server works out of the box.

django-cors-headers has one CORS_ALLOW_CREDENTIALS switch for every allowed origin. Chronicle
answers `Access-Control-Allow-Credentials: true` (the browser then sends the user's session
cookie) only to the origins an operator listed by name; every other allowed origin gets CORS
without credentials and authenticates with a token in `Authorization`, which carries no
ambient authority a page could borrow.
"""

from urllib.parse import urlsplit

from corsheaders.conf import conf
from corsheaders.defaults import default_headers
from corsheaders.middleware import ACCESS_CONTROL_ALLOW_CREDENTIALS, CorsMiddleware
from django.http import HttpRequest
from django.http.response import HttpResponseBase

# The paths cross-origin clients may call: REST (and its schema and docs), GraphQL, and the
# streams that will live under them.
URLS_REGEX: str = r"^/(api|graphql)/"

# Allowed in development only: a frontend dev server on any port of this machine.
DEVELOPMENT_ORIGIN_REGEXES: list[str] = [r"^http://(localhost|127\.0\.0\.1)(:[0-9]{1,5})?$"]

# Conditional requests and the cache bypass (`Cache-Control: no-cache`) need their headers.
ALLOW_HEADERS: list[str] = [
    *default_headers,
    "cache-control",
    "if-match",
    "if-modified-since",
    "if-none-match",
]

# What a script may read of a response besides the CORS-safelisted headers.
EXPOSE_HEADERS: list[str] = ["ETag", "Last-Modified", "Link", "X-Cache", "Retry-After"]


def _origin_key(origin: str) -> tuple[str, str]:
    url = urlsplit(origin)
    return url.scheme, url.netloc


def may_send_credentials(origin: str) -> bool:
    """Listed by name in CORS_ALLOWED_ORIGINS, compared as django-cors-headers compares."""
    try:
        key = _origin_key(origin)
        return any(key == _origin_key(listed) for listed in conf.CORS_ALLOWED_ORIGINS)
    except ValueError:
        return False


class ListedCredentialsCorsMiddleware(CorsMiddleware):
    """django-cors-headers, with credentials withdrawn from origins that are not listed."""

    def add_response_headers(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        response = super().add_response_headers(request, response)
        if response.has_header(ACCESS_CONTROL_ALLOW_CREDENTIALS) and not may_send_credentials(
            request.headers.get("origin", "")
        ):
            del response[ACCESS_CONTROL_ALLOW_CREDENTIALS]
        return response
