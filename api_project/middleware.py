"""Requests the application must refuse before any view runs, and outages it must explain."""

from collections.abc import Callable

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse

RETRY_AFTER_SECONDS = 5


def problem_response(status: int, title: str, detail: str) -> JsonResponse:
    return JsonResponse(
        {"type": "about:blank", "title": title, "status": status, "detail": detail},
        status=status,
        content_type="application/problem+json",
    )


class RejectNulMiddleware:
    """A NUL character in the path or query string is a 400: PostgreSQL text cannot hold one,
    so letting it through would end as a database error."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = "".join(f"{key}{value}" for key, values in request.GET.lists() for value in values)
        if "\x00" in request.path or "\x00" in query:
            return problem_response(400, "Bad Request", "NUL characters are not allowed.")
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """A pool timeout or a refused connection is an outage the client should wait out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError):
            return None
        response = problem_response(
            503, "Service Unavailable", "The database is unavailable. Try again shortly."
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
