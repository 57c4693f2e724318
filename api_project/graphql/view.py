"""/graphql/: GraphQL over HTTP (api_project/graphql/transport.py), the same tokens as REST for
scripts, CSRF for cookie sessions.

A request with `Authorization: Token …` is that token's user and needs no CSRF token (no
ambient authority is involved); a malformed, unknown, revoked or expired token is a 401
(UNAUTHENTICATED) with REST's reason, read by REST's class (core/authentication.py). A request
carrying a session cookie is the session's user and, like DRF's session authentication, must
pass Django's CSRF check on POST. Anonymous requests
read public data. Mutations over GET (405) and form-encoded or text/plain bodies (415) are
refused. Documents may be named by id or hash instead of their text (core/persisted.py).

Single queries go through the versioned response cache (api_project/cache.py) after those
checks, keyed by the document's text, so a hash and the text it stands for share an entry;
responses carrying errors are never kept. GET answers carry HTTP caching headers as REST's do.
"""

import json
from typing import Any

import orjson
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from rest_framework.exceptions import AuthenticationFailed
from strawberry import Schema
from strawberry.django.views import GraphQLView, TemporalHttpResponse
from strawberry.http import GraphQLHTTPResponse, process_result
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from api_project.cache import bypassed, cache_key, cached_response, data_version, remember
from api_project.rest.conditional import http_caching
from core import persisted
from core.authentication import KEYWORD, AccessTokenAuthentication

from . import compiled, ide, transport
from .documents import is_query
from .transport import GRAPHQL_RESPONSE, TransportError

_ENCODER = DjangoJSONEncoder()
# REST's own authentication class: one reading of the header, one verdict on the token.
_TOKENS = AccessTokenAuthentication()
_ALLOWED = {
    "GET": {OperationType.QUERY},
    "POST": {OperationType.QUERY, OperationType.MUTATION},
}


def _variables_key(variables: Any) -> str:
    """The variables as the cache key reads them. json, not orjson: a JSON number beyond 64
    bits is a valid variable (a 400 from Int's coercion, not a 500 here), and NaN is not null."""
    return json.dumps(variables, sort_keys=True, separators=(",", ":"))


def _csrf_failure(request: HttpRequest) -> str | None:
    """Django's CSRF verdict for this request, as DRF's SessionAuthentication asks for it."""
    check = CsrfViewMiddleware(lambda _: None)  # type: ignore[arg-type]
    check.process_request(request)
    response = check.process_view(request, lambda _: None, (), {})  # type: ignore[arg-type, return-value]
    return None if response is None else "CSRF verification failed."


def is_request_error(result: ExecutionResult) -> bool:
    """No execution began: the document did not parse or validate, or the variables did not
    coerce. Such errors have no path; a field error always has one."""
    if result.data is not None or not result.errors:
        return False
    return all(error.path is None for error in result.errors)


@method_decorator(csrf_exempt, name="dispatch")
class ChronicleGraphQLView(GraphQLView):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method not in _ALLOWED:
            error = TransportError(
                405, "/graphql/ answers GET and POST.", "METHOD_NOT_ALLOWED", Allow="GET, POST"
            )
            return transport.error_response(error)
        try:
            authenticated = _TOKENS.authenticate(request)
        except AuthenticationFailed as refusal:
            return transport.error_response(
                TransportError(
                    401, str(refusal.detail), "UNAUTHENTICATED", WWW_Authenticate=KEYWORD
                )
            )
        if authenticated is not None:
            request.user = authenticated[0]
        elif (
            request.method == "POST"
            and request.user.is_authenticated
            and (failure := _csrf_failure(request))
        ):
            return transport.error_response(TransportError(403, failure, "CSRF_FAILED"))
        if self.should_render_graphql_ide(self.request_adapter_class(request)):
            return self.render_graphql_ide(request)
        media = transport.JSON
        try:
            media = transport.media_type(request)
            params = transport.operations(request, self._max_batch())
            if isinstance(params, list):
                return self._batch(request, params, media)
            return self._single(request, params, media)
        except TransportError as error:
            return transport.error_response(error, media)

    def should_render_graphql_ide(self, request: Any) -> bool:
        """A browser's GET without a document; a GET naming one by hash or id (Apollo's
        hashed GETs send `Accept: */*`) is a request like any other."""
        named = any(name in request.query_params for name in ("extensions", *persisted.ID_PARAMS))
        return not named and super().should_render_graphql_ide(request)

    def _max_batch(self) -> int:
        """strawberry's own batching setting (the schema's config) is the one source."""
        config = self.schema.config.batching_config
        return config["max_operations"] if config else 1

    def _single(self, request: HttpRequest, params: dict[str, Any], media: str) -> HttpResponse:
        sub_response = self.get_sub_response(request)
        query = self._document(params)
        key = None
        if (
            isinstance(query, str)
            and not bypassed(request)
            and is_query({**params, "query": query})
        ):
            key = cache_key(
                request,
                "graphql",
                media,
                query,
                _variables_key(params.get("variables")),
                str(params.get("operationName")),
            )
        if key is not None and (hit := cached_response(request, key)):
            http_caching(request, hit)  # as REST's (api_project/rest/conditional.py)
            return hit
        if request.method == "GET":
            # Read before the answer is computed, so that Last-Modified never names a write
            # the answer may not hold.
            data_version(request)
        data, request_error = self._run(request, params, query, sub_response)
        if media == GRAPHQL_RESPONSE and request_error:
            data.pop("data", None)
            sub_response.status_code = sub_response.status_code or 400
        response = self._respond(data, sub_response, media)
        if key is not None and b'"errors":' not in response.content:
            remember(key, response, request)
        if isinstance(query, persisted.PersistedError):
            # Not the data's state but this worker's and the registrations': no Last-Modified
            # (a 304 by date kept `PersistedQueryNotFound` after the text was registered).
            patch_cache_control(response, no_store=True)
            return response
        http_caching(request, response)
        return response

    def _batch(self, request: HttpRequest, batch: list[dict[str, Any]], media: str) -> HttpResponse:
        sub_response = self.get_sub_response(request)
        answers = []
        for params in batch:
            data, request_error = self._run(request, params, self._document(params), sub_response)
            if media == GRAPHQL_RESPONSE and request_error:
                data.pop("data", None)
            answers.append(data)
        return self._respond(answers, sub_response, media)

    @staticmethod
    def _document(params: dict[str, Any]) -> str | persisted.PersistedError | None:
        try:
            return persisted.document(params)
        except persisted.PersistedError as error:
            if error.status is not None:
                raise TransportError(error.status, error.message, error.code) from None
            return error

    def _run(
        self,
        request: HttpRequest,
        params: dict[str, Any],
        query: str | persisted.PersistedError | None,
        sub_response: TemporalHttpResponse,
    ) -> tuple[GraphQLHTTPResponse, bool]:
        """One operation's response and whether it is a request error."""
        if isinstance(query, persisted.PersistedError):
            return transport.error_body(query.message, query.code), True  # type: ignore[return-value]
        if not query:
            raise TransportError(400, "No GraphQL query found in the request.")
        context = self.get_context(request, response=sub_response)
        result = self.execute_document(request, query, params, context)
        return self.process_result(request, result), is_request_error(result)

    def execute_document(
        self, request: HttpRequest, query: str, params: dict[str, Any], context: Any
    ) -> ExecutionResult:
        """The compiled executor where it covers the document, else the standard one."""
        variables = params.get("variables")
        operation_name = params.get("operationName")
        if isinstance(self.schema, Schema) and (
            result := compiled.execute(self.schema, query, variables, operation_name, context)
        ):
            return result
        try:
            result = self.schema.execute_sync(
                query,
                variable_values=variables,
                context_value=context,
                root_value=self.get_root_value(request),
                operation_name=operation_name,
                allowed_operation_types=_ALLOWED[request.method or "GET"],
                operation_extensions=params.get("extensions"),
            )
        except InvalidOperationTypeError as error:
            reason = error.as_http_error_reason(request.method or "GET")
            if request.method == "GET":
                raise TransportError(
                    405, f"{reason}; use POST.", "METHOD_NOT_ALLOWED", Allow="POST"
                ) from None
            raise TransportError(400, f"{reason}.") from None
        except CannotGetOperationTypeError as error:
            raise TransportError(400, error.as_http_error_reason()) from None
        compiled.learn(query, result)
        return result

    def _respond(
        self,
        data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: TemporalHttpResponse,
        media: str,
    ) -> HttpResponse:
        response = self.create_response(data, sub_response)
        assert isinstance(response, HttpResponse)
        response["Content-Type"] = f"{media}; charset=utf-8"
        return response

    def process_result(self, request: HttpRequest, result: ExecutionResult) -> GraphQLHTTPResponse:
        return process_result(result)

    def render_graphql_ide(self, request: HttpRequest) -> HttpResponse:
        """GraphiQL from Chronicle's static files, not a CDN (see ide.py)."""
        return ide.render_graphiql(request)

    def encode_json(self, data: object) -> bytes:
        """orjson: several times faster than json on a page of a hundred entries."""
        return orjson.dumps(data, default=_ENCODER.default)
