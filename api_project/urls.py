from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from .graphql.view import ChronicleGraphQLView
from .health import health
from .schema import schema

admin.site.site_header = "Chronicle"
admin.site.site_title = "Chronicle"
admin.site.index_title = "The record"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    path("graphql/", ChronicleGraphQLView.as_view(schema=schema), name="graphql"),
    path("api/v1/", include("events.api.urls")),
    path("api/v1/", include("actors.api.urls")),
    path("api-auth/", include("rest_framework.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]
