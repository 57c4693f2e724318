"""Each object's "History" in the admin is its audit trail: the triggers' record of every
change to it and to the rows that reference it (an entry's citations, an actor's stances)."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import admin
from django.db import models
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse

ModelAdminBase = admin.ModelAdmin[Any]


class AuditTrailMixin(ModelAdminBase):
    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponseRedirect:
        obj: models.Model = get_object_or_404(self.model, pk=object_id)
        query = urlencode({"obj": f"{obj._meta.label}:{obj.pk}", "method": "references"})
        return HttpResponseRedirect(
            f"{reverse('admin:pghistory_middlewareevents_changelist')}?{query}"
        )
