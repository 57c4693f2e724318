"""GraphQL over HTTP (the GraphQL foundation's spec): what a request carries, which media type
the answer takes, and every refusal as a JSON body.

A request is a GET with `query`, `variables`, `operationName`, `extensions` (and a document
id) in the URL, or a POST of `application/json`: one operation, or a JSON array of them
(batching, as Apollo's BatchHttpLink sends it). Bodies go through the same checks as REST's
(api_project/safe_json.py), so hostile input is a 4xx, never a 500.

The answer is `application/graphql-response+json` when the client prefers it, else
`application/json` (the spec's legacy type, also for `*/*` and for a missing Accept). The spec's
status codes follow: a request error (a document that does not parse or validate, variables
that do not coerce) is a 400 under graphql-response+json, with no `data`; under
application/json it is a 200, as legacy clients expect.
"""

from collections.abc import Mapping
from typing import Any

import orjson
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse

from api_project import safe_json

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
# The longest document text a request may carry. The token limit (api_project/schema.py) does
# not count comments, whitespace or the length of a literal, and every text that runs is kept
# by the parse cache (documents.py) and, under APQ, by the hash store: 2 MB documents of one
# comment grew a worker by 2.5 MB each. A document within the token limit is far shorter.
MAX_DOCUMENT_LENGTH = 65_536
_PARAMETERS = {
    "query": str,
    "operationName": str,
    "variables": dict,
    "extensions": dict,
    "documentId": str,
    "doc_id": str,
}


class TransportError(Exception):
    """A request refused before any GraphQL runs (or a method the operation may not use)."""

    def __init__(
        self, status: int, message: str, code: str = "BAD_REQUEST", **headers: str
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.headers = headers


def _ranges(header: str) -> list[tuple[str, float]]:
    """The Accept header's media ranges with their q; other parameters (`charset=utf-8`) do not
    narrow a range here, since both answers are UTF-8 JSON."""
    ranges = []
    for part in header.split(","):
        media, *params = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media:
            ranges.append((media.lower(), quality))
    return ranges


def _rank(candidate: str, ranges: list[tuple[str, float]]) -> tuple[float, int, int]:
    """(q, specificity, earliness) for `candidate`, from its most specific matching range (as
    HTTP says: `*/*;q=1, application/json;q=0` refuses JSON)."""
    kind = candidate.split("/")[0]
    matches = [
        (specificity, -position, quality)
        for position, (media, quality) in enumerate(ranges)
        if (specificity := {candidate: 2, f"{kind}/*": 1, "*/*": 0}.get(media, -1)) >= 0
    ]
    if not matches:
        return (0.0, -1, 0)
    specificity, earliness, quality = max(matches)
    return (quality, specificity, earliness)


def media_type(request: HttpRequest) -> str:
    """The answer's media type; a client accepting neither is a 406. An exact match wins over a
    wildcard, then the earlier one; a wildcard alone (`*/*`) gets the legacy type."""
    header = request.headers.get("Accept", "").strip()
    if not header:
        return JSON
    ranges = _ranges(header)
    json_rank, graphql_rank = _rank(JSON, ranges), _rank(GRAPHQL_RESPONSE, ranges)
    if max(json_rank[0], graphql_rank[0]) <= 0:
        raise TransportError(
            406,
            f"/graphql/ answers {GRAPHQL_RESPONSE} or {JSON}; the Accept header allows neither.",
            "NOT_ACCEPTABLE",
        )
    return GRAPHQL_RESPONSE if graphql_rank > json_rank else JSON


def error_body(message: str, code: str) -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": code}}]}


def error_response(error: TransportError, media: str = JSON) -> HttpResponse:
    response = HttpResponse(
        orjson.dumps(error_body(error.message, error.code)),
        status=error.status,
        content_type=f"{media}; charset=utf-8",
    )
    for name, value in error.headers.items():
        response[name.replace("_", "-")] = value
    return response


def _checked(params: Any) -> dict[str, Any]:
    if not isinstance(params, Mapping):
        raise TransportError(400, "A GraphQL request is a JSON object (or an array of them).")
    for name, kind in _PARAMETERS.items():
        value = params.get(name)
        if value is not None and not isinstance(value, kind):
            expected = "a string" if kind is str else "an object"
            raise TransportError(400, f"The request's `{name}` must be {expected} or null.")
    if len(params.get("query") or "") > MAX_DOCUMENT_LENGTH:
        raise TransportError(
            413,
            f"A GraphQL document is at most {MAX_DOCUMENT_LENGTH:,} characters: send long text "
            "as variables.",
            "PAYLOAD_TOO_LARGE",
        )
    return dict(params)


def _from_url(request: HttpRequest) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for name, values in request.GET.lists():
        if len(values) > 1:
            raise TransportError(400, f"The parameter `{name}` is given more than once.")
        params[name] = values[0]
    for name in ("variables", "extensions"):
        if params.get(name):
            try:
                params[name] = safe_json.loads(params[name])
            except safe_json.UnsafeJSON as error:
                raise TransportError(400, f"`{name}`: {error}") from None
        elif name in params:
            params[name] = None
    return _checked(params)


def _body(request: HttpRequest) -> bytes:
    content_type = request.content_type or ""
    if content_type != JSON:
        raise TransportError(
            415,
            f"POST a GraphQL request as {JSON}"
            + (f", not {content_type}." if content_type else " (no Content-Type was sent)."),
            "UNSUPPORTED_MEDIA_TYPE",
        )
    charset = (request.content_params or {}).get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise TransportError(
            415, f"Send the request in UTF-8, not {charset}.", "UNSUPPORTED_MEDIA_TYPE"
        )
    try:
        body = request.body
    except RequestDataTooBig:
        raise TransportError(413, "The request body is too large.", "PAYLOAD_TOO_LARGE") from None
    if not body.strip():
        raise TransportError(400, "The request body is empty: POST a JSON GraphQL request.")
    return body


def operations(request: HttpRequest, max_batch: int) -> list[dict[str, Any]] | dict[str, Any]:
    """The request's parameters: one operation, or a batch (a list) of at most `max_batch`."""
    if request.method == "GET":
        return _from_url(request)
    try:
        data = safe_json.loads(_body(request))
    except safe_json.UnsafeJSON as error:
        raise TransportError(400, str(error)) from None
    if isinstance(data, list):
        if not data:
            raise TransportError(400, "An empty batch: send at least one operation.")
        if len(data) > max_batch:
            raise TransportError(
                400, f"A batch carries at most {max_batch} operations, not {len(data)}."
            )
        return [_checked(item) for item in data]
    return _checked(data)
