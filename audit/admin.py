"""Recent changes: the whole audit trail, newest first, told as each object's History page
tells its own (api_project/history.py). The library's raw list of "middleware events" leads
here, and its rows to the History page of the object they changed."""

from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import capfirst
from pghistory.admin import EventsAdmin

from api_project import history
from api_project.admin_history import admin_url, history_context

from .models import RecentChange


def _object_history_redirect(object_id: str) -> HttpResponseRedirect:
    """A recorded row's page is the History page of the object it changed."""
    found = history.tracked_object(unquote(object_id))
    url = found and admin_url(found[0], found[1], "history")
    if not url:
        raise Http404("No recorded change with this ID, or its object has no admin page.")
    return HttpResponseRedirect(url)


if TYPE_CHECKING:
    _Base = admin.ModelAdmin[Any]
else:
    _Base = object


class RowsOpenTheirHistoryMixin(_Base):
    """A recorded row has no page of its own: it opens its object's History page."""

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return _object_history_redirect(object_id)

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        return self.change_view(request, object_id)


@admin.register(RecentChange)
class RecentChangesAdmin(RowsOpenTheirHistoryMixin, admin.ModelAdmin[RecentChange]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        events: Any = RecentChange.objects.order_by("-pgh_created_at", "-pgh_slug")
        chosen = request.GET.get("model", "")
        if chosen in history.recorded_models():
            events = events.filter(pgh_obj_model=chosen)
        models = [
            (label, capfirst(apps.get_model(label)._meta.verbose_name_plural))
            for label in history.recorded_models()
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": "Recent changes",
            "subtitle": None,
            "opts": self.opts,
            "models": models,
            "chosen": chosen,
            **history_context(request, events),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/chronicle/recent_changes.html", context)


class LibraryTrailAdmin(RowsOpenTheirHistoryMixin, EventsAdmin):
    """pghistory's own admin of the trail, kept at its address for old links and bookmarks:
    hidden from the index, its list leads to Recent changes (or, for one object, to that
    object's History page), its rows to their object's History page."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return False

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        label, _, pk = request.GET.get("obj", "").partition(":")
        if label in history.recorded_models() and pk:
            url = admin_url(apps.get_model(label), pk, "history")
            if url:
                return HttpResponseRedirect(url)
        target = reverse("admin:audit_recentchange_changelist")
        model = request.GET.get("model", "")
        if model in history.recorded_models():
            target += f"?model={model}"
        return HttpResponseRedirect(target)
