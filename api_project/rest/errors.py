"""One error shape everywhere: RFC 9457 problem details, with field errors.

{"type": "about:blank", "title": "Bad Request", "status": 400,
 "detail": "Invalid input.", "errors": {"as_of": ["Enter a valid date/time."]}}

A refusal that names other records (a verified stance the write would overlap) lists them
under `conflicts`, an extension member: [{"field": "non_field_errors", "code": "overlap",
"id": 12, "label": "Italy: Oppose — Troops, from 2025-09-04 18:00 UTC"}].
"""

from http import HTTPStatus
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.views.defaults import page_not_found
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

from api_project.integrity import as_validation_error
from api_project.middleware import problem_response

PROBLEM_JSON = "application/problem+json"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The object changed since you read it; fetch it again and retry."
    default_code = "precondition_failed"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "This conflicts with an existing record."
    default_code = "conflict"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "payload_too_large"


def _conflicts(exc: DjangoValidationError) -> list[dict[str, Any]]:
    """The records a refusal names (its params' `conflicts`, e.g. the verified stance a new one
    overlaps: actors.conflicts), each with the field whose message names it."""
    found: list[dict[str, Any]] = []
    items = exc.error_dict.items() if hasattr(exc, "error_dict") else [(None, exc.error_list)]
    for key, errors in items:
        field = api_settings.NON_FIELD_ERRORS_KEY if key in (None, NON_FIELD_ERRORS) else key
        for error in errors:
            for conflict in (error.params or {}).get("conflicts", []):
                found.append({"field": field, **conflict})
    return found


def _translate(exc: Exception) -> Exception:
    """Map Django's and the database's exceptions onto DRF's, so none becomes a 500."""
    if isinstance(exc, DjangoValidationError):
        # The model's errors about no one field (a constraint, `clean()`) under the key the
        # serializer's own use, so a client reads one key whichever check refused the write.
        errors = {
            api_settings.NON_FIELD_ERRORS_KEY if key == NON_FIELD_ERRORS else key: value
            for key, value in as_serializer_error(exc).items()
        }
        translated = exceptions.ValidationError(errors)
        translated.conflicts = _conflicts(exc)  # type: ignore[attr-defined]
        return translated
    if isinstance(exc, IntegrityError):
        refusal = as_validation_error(exc)
        return Conflict() if refusal is None else _translate(refusal)
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLarge()
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        return exceptions.PermissionDenied()
    return exc


def _only_duplicates(exc: exceptions.ValidationError) -> bool:
    """A write refused only because the record already exists: a conflict, however detected
    (the serializer's check, the model's, or the database's unique index under a race)."""
    codes = exc.get_codes()
    flat: list[Any] = []
    stack: list[Any] = [codes]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        else:
            flat.append(item)
    return bool(flat) and all(code == "unique" for code in flat)


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    exc = _translate(exc)
    if isinstance(exc, exceptions.ValidationError) and _only_duplicates(exc):
        response = exception_handler(exc, context)
        if response is not None:
            response.status_code = status.HTTP_409_CONFLICT
            response.data = problem(409, response.data) | {"detail": Conflict.default_detail}
            response.content_type = PROBLEM_JSON
        return response
    response = exception_handler(exc, context)
    if response is None:
        return None
    response.data = problem(response.status_code, response.data)
    if conflicts := getattr(exc, "conflicts", None):
        response.data["conflicts"] = conflicts
    response.content_type = PROBLEM_JSON
    return response


def _json_keys(value: Any) -> Any:
    """Errors keyed as JSON allows: a list field's errors come keyed by position (`{1: [...]}`
    for the second alias), which no JSON renderer writes."""
    if isinstance(value, dict):
        return {str(key): _json_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_keys(item) for item in value]
    return value


def problem(status_code: int, data: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status_code).phrase,
        "status": status_code,
    }
    if isinstance(data, dict) and set(data) == {"detail"}:
        body["detail"] = str(data["detail"])
    elif isinstance(data, dict):
        body["detail"] = "Invalid input."
        body["errors"] = _json_keys(data)
    elif isinstance(data, list):
        body["detail"] = "Invalid input."
        body["errors"] = {"non_field_errors": data}
    else:
        body["detail"] = str(data)
    return body


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 404, for a URL no route matches (`/api/v1/changes/x.y/`, whose id the route's
    pattern refuses): problem+json under /api/, as a route's own 404 and the document say."""
    if request.path.startswith("/api/"):
        return problem_response(404, "Not Found", "Not found.")
    return page_not_found(request, exception)
