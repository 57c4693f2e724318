"""Each object's "History" in the admin is its audit trail: the triggers' record of every
change to it and to the rows that reference it (an entry's citations, an actor's stances)."""

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse

if TYPE_CHECKING:
    ModelAdminBase = admin.ModelAdmin[Any]
else:
    ModelAdminBase = object  # a mixin: ModelAdmin comes last in the admin's bases


class AuditTrailMixin(ModelAdminBase):
    model: type[models.Model]

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponseRedirect:
        obj: models.Model = get_object_or_404(self.model, pk=object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        query = urlencode({"obj": f"{obj._meta.label}:{obj.pk}", "method": "references"})
        return HttpResponseRedirect(
            f"{reverse('admin:pghistory_middlewareevents_changelist')}?{query}"
        )
