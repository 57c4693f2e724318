"""/api/v1/: where a client starts, with every resource's absolute URL.

The list is read from the routers' registries, so a resource registered there appears here
without being named twice.
"""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.routers import BaseRouter
from rest_framework.views import APIView

from actors.api.urls import router as actors_router
from events.api.urls import router as events_router

from .conditional import HTTPCachingMixin
from .renderers import ORJSONRenderer

ROUTERS: list[BaseRouter] = [events_router, actors_router]


class APIRootView(HTTPCachingMixin, APIView):
    """Chronicle's REST API: its resources, the OpenAPI document and its documentation."""

    name = "Chronicle API"
    permission_classes = [AllowAny]
    renderer_classes = [ORJSONRenderer, BrowsableAPIRenderer]

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        def url(name: str) -> str:
            return reverse(name, request=request)

        resources = {
            prefix: url(f"{basename}-list")
            for router in ROUTERS
            for prefix, _viewset, basename in router.registry
        }
        return Response(
            {
                "resources": resources,
                "schema": url("schema"),
                "docs": url("api-docs"),
                "graphql": url("graphql"),
            }
        )
