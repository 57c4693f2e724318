"""Each object's "History" in the admin: its audit trail told for people (api_project/history.py)
— every change to it and to the rows that point at it (an entry's citations, mentions and
stances; an actor's stances and memberships), grouped by the action that made them."""

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import PAGE_VAR
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import capfirst

from . import history

if TYPE_CHECKING:
    ModelAdminBase = admin.ModelAdmin[Any]
else:
    ModelAdminBase = object  # a mixin: ModelAdmin comes last in the admin's bases

# Lines (groups of rows one action wrote) on a page of history.
GROUPS_PER_PAGE = 50
HISTORY_TEMPLATE = "admin/chronicle/change_history.html"


def admin_url(model: type[models.Model] | None, pk: Any, view: str = "change") -> str | None:
    """The object's page in the admin, if its model has one."""
    if model is None or model not in admin.site._registry or pk is None:
        return None
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=[pk])


def history_context(request: HttpRequest, events: Any) -> dict[str, Any]:
    """A page of `events` described and grouped, with the paginator's context. Pages hold
    whole groups, so a seed load of hundreds of rows is one line on one page, counted in full.
    """
    groups: dict[Any, tuple[Any, Any]] = {}
    for context_id, at in events.values_list("pgh_context_id", "pgh_created_at"):
        groups.setdefault(context_id or at, (context_id, at))
    paginator = Paginator(list(groups.values()), GROUPS_PER_PAGE)
    page = paginator.get_page(request.GET.get(PAGE_VAR, 1))
    contexts = [context_id for context_id, _ in page.object_list if context_id]
    moments = [at for context_id, at in page.object_list if not context_id]
    rows = events.filter(
        Q(pgh_context_id__in=contexts) | Q(pgh_context_id__isnull=True, pgh_created_at__in=moments)
    )
    changes = history.describe(rows) if page.object_list else []
    for change in changes:
        if change.event.pgh_label != "delete":
            change.link = admin_url(change.model, change.event.pgh_obj_id)
    return {
        "groups": history.group(changes),
        "page_obj": page,
        "page_range": paginator.get_elided_page_range(page.number),
        "page_var": PAGE_VAR,
        "pagination_required": paginator.num_pages > 1,
    }


class AuditTrailMixin(ModelAdminBase):
    model: type[models.Model]
    object_history_template = HISTORY_TEMPLATE

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> TemplateResponse:
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(f"No {self.opts.verbose_name} with the ID {object_id!r}.")
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": f"Change history: {obj}",
            "subtitle": None,
            "module_name": str(capfirst(self.opts.verbose_name_plural)),
            "object": obj,
            "opts": self.opts,
            "preserved_filters": self.get_preserved_filters(request),
            **history_context(request, history.object_history(obj)),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_template, context)
