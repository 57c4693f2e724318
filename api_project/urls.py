from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from .graphql.view import ChronicleGraphQLView
from .health import health
from .home import home
from .rest.root import APIRootView
from .schema import schema

admin.site.site_header = "Chronicle"
admin.site.site_title = "Chronicle"
admin.site.index_title = "The record"

handler403 = "api_project.error_pages.forbidden"
handler404 = "api_project.error_pages.not_found"

urlpatterns = [
    path("", home, name="home"),
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    path("graphql/", ChronicleGraphQLView.as_view(schema=schema), name="graphql"),
    path("api/v1/", APIRootView.as_view(), name="api-root"),
    path("api/v1/", include("events.api.urls")),
    path("api/v1/", include("actors.api.urls")),
    path("api-auth/", include("rest_framework.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: no inline script for the CSP.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="schema", template_name="chronicle/swagger_ui.html"
        ),
        name="api-docs",
    ),
]
