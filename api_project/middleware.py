"""Answer 503 with Retry-After, not a 500, while the database cannot be reached."""

from collections.abc import Callable

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse

RETRY_AFTER_SECONDS = 5


class DatabaseUnavailableMiddleware:
    """A pool timeout or a refused connection is an outage the client should wait out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError):
            return None
        response = JsonResponse(
            {
                "type": "about:blank",
                "title": "Service Unavailable",
                "status": 503,
                "detail": "The database is unavailable. Try again shortly.",
            },
            status=503,
            content_type="application/problem+json",
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
