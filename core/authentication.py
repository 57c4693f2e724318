"""`Authorization: Token <secret>`, for REST (DRF's authentication classes) and GraphQL alike.

The header is read as DRF's TokenAuthentication reads it (the scheme in any case; other schemes
are not this class's and pass to the next, the session); a `Token` header that is malformed, or
whose secret is unknown, revoked or expired, is refused (401) rather than read as anonymous, so
a script never mistakes a dead token for a public answer. Subclassing DRF's class keeps the
OpenAPI document's `tokenAuth` scheme (drf-spectacular names it from that class).
"""

from django.contrib.auth.models import User
from django.http import HttpRequest
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from . import tokens
from .models import AccessToken

KEYWORD = "Token"


class AccessTokenAuthentication(TokenAuthentication):
    keyword = KEYWORD

    def authenticate(self, request: Request | HttpRequest) -> tuple[User, AccessToken] | None:
        """The token's user, None without a `Token` header; AuthenticationFailed (401) for
        one that is malformed or refused. Takes Django's request too (the GraphQL view)."""
        django_request = request._request if isinstance(request, Request) else request
        parts = django_request.META.get("HTTP_AUTHORIZATION", "").split()
        if not parts or parts[0].lower() != KEYWORD.lower():
            return None
        if len(parts) == 1:
            raise AuthenticationFailed("Invalid token header. No credentials provided.")
        if len(parts) > 2:
            raise AuthenticationFailed(
                "Invalid token header. Token string should not contain spaces."
            )
        return self.authenticate_credentials(parts[1])

    def authenticate_credentials(self, key: str) -> tuple[User, AccessToken]:
        try:
            token = tokens.authenticate(key)
        except tokens.TokenRefused as refusal:
            raise AuthenticationFailed(refusal.reason) from None
        return token.user, token

    def authenticate_header(self, request: Request | HttpRequest) -> str:
        return KEYWORD
