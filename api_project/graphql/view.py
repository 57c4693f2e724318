"""/graphql/: the same tokens as REST for scripts, CSRF for cookie sessions.

A request with `Authorization: Token …` is that token's user and needs no CSRF token (no
ambient authority is involved). A request carrying a session cookie is the session's user and,
like DRF's session authentication, must pass Django's CSRF check on POST. Anonymous requests
read public data. Mutations over GET and form-encoded or text/plain bodies are refused.
"""

from typing import Any

from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from rest_framework.authtoken.models import Token
from strawberry.django.views import GraphQLView


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
        return super().dispatch(request, *args, **kwargs)
