"""/graphql/: the same tokens as REST for scripts, CSRF for cookie sessions.

A request with `Authorization: Token …` is that token's user and needs no CSRF token (no
ambient authority is involved). A request carrying a session cookie is the session's user and,
like DRF's session authentication, must pass Django's CSRF check on POST. Anonymous requests
read public data. Mutations over GET and form-encoded or text/plain bodies are refused.

Queries go through the versioned response cache (api_project/cache.py) after those checks;
responses carrying errors are never kept.
"""

from typing import Any

import orjson
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from rest_framework.authtoken.models import Token
from strawberry import Schema
from strawberry.django.views import GraphQLView
from strawberry.types import ExecutionResult

from api_project.cache import bypassed, cache_key, cached_response, remember

from . import compiled, ide
from .documents import is_query, request_data

_ENCODER = DjangoJSONEncoder()


def _problem(status: int, title: str, detail: str) -> JsonResponse:
    return JsonResponse(
        {"errors": [{"message": detail}], "title": title, "status": status}, status=status
    )


def _csrf_failure(request: HttpRequest) -> str | None:
    """Django's CSRF verdict for this request, as DRF's SessionAuthentication asks for it."""
    check = CsrfViewMiddleware(lambda _: None)  # type: ignore[arg-type]
    check.process_request(request)
    response = check.process_view(request, lambda _: None, (), {})  # type: ignore[arg-type, return-value]
    return None if response is None else "CSRF verification failed."


@method_decorator(csrf_exempt, name="dispatch")
class ChronicleGraphQLView(GraphQLView):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        header = request.headers.get("Authorization", "")
        if header.startswith("Token "):
            token = Token.objects.select_related("user").filter(key=header[6:].strip()).first()
            if token is None or not token.user.is_active:
                return _problem(401, "Unauthorized", "Invalid token.")
            request.user = token.user
        elif (
            request.method == "POST"
            and request.user.is_authenticated
            and (failure := _csrf_failure(request))
        ):
            return _problem(403, "Forbidden", failure)
        data = None if bypassed(request) else request_data(request)
        if data is None or not is_query(data):
            return super().dispatch(request, *args, **kwargs)
        key = cache_key(request, "graphql", request.get_full_path(), request.body)
        if hit := cached_response(request, key):
            return hit
        response = super().dispatch(request, *args, **kwargs)
        if isinstance(response, HttpResponse) and b'"errors":' not in response.content:
            remember(key, response, request)
        return response

    def render_graphql_ide(self, request: HttpRequest) -> HttpResponse:
        """GraphiQL from Chronicle's static files, not a CDN (see ide.py)."""
        return ide.render_graphiql(request)

    def encode_json(self, data: object) -> bytes:
        """orjson: several times faster than json on a page of a hundred entries."""
        return orjson.dumps(data, default=_ENCODER.default)

    def execute_single(self, request: HttpRequest, *args: Any, **kwargs: Any) -> ExecutionResult:
        """The compiled executor where it covers the document, else the standard one."""
        data = kwargs["request_data"]
        context = kwargs["context"]
        if isinstance(self.schema, Schema) and (
            result := compiled.execute(
                self.schema, data.query, data.variables, data.operation_name, context
            )
        ):
            return result
        result = super().execute_single(request, *args, **kwargs)
        compiled.learn(data.query, result)
        return result
