from django.contrib import admin
from django.urls import path

from .health import health

admin.site.site_header = "Chronicle"
admin.site.site_title = "Chronicle"
admin.site.index_title = "The record"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
]
