"""API tokens in the admin: listed without their secrets (only a digest is kept), revoked by an
action, issued from the add form, whose answer shows the secret once. Only users given the
token permissions (superusers) see this page; editors do not."""

from datetime import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from . import tokens
from .admin_refusals import SaveRefusalsMixin
from .models import AccessToken


class StateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("active", "active"), ("expired", "expired"), ("revoked", "revoked")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        now = timezone.now()
        live = Q(revoked_at__isnull=True)
        if self.value() == "active":
            return queryset.filter(live & (Q(expires_at__isnull=True) | Q(expires_at__gt=now)))
        if self.value() == "expired":
            return queryset.filter(live & Q(expires_at__lte=now))
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


class IssueForm(forms.ModelForm[AccessToken]):
    class Meta:
        model = AccessToken
        fields = ["user", "name", "expires_at"]

    def clean_expires_at(self) -> datetime | None:
        expires_at: datetime | None = self.cleaned_data["expires_at"]
        if expires_at is not None and expires_at <= timezone.now():
            raise forms.ValidationError("A new token must expire in the future (or never).")
        return expires_at


@admin.register(AccessToken)
class AccessTokenAdmin(SaveRefusalsMixin, admin.ModelAdmin[AccessToken]):
    list_display = [
        "prefix",
        "user",
        "name",
        "state",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = [StateFilter, "created_at"]
    list_select_related = ["user"]
    search_fields = ["prefix", "name", "user__username"]
    autocomplete_fields = ["user"]
    actions = ["revoke"]
    change_fields = ["prefix", "user", "name", "created_at", "expires_at", "last_used_at"]

    @admin.display(description="state")
    def state(self, token: AccessToken) -> str:
        return token.state()

    @admin.action(description="Revoke the selected tokens", permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[AccessToken]) -> None:
        count = tokens.revoke(queryset)
        self.message_user(request, f"{count} token(s) revoked.", messages.SUCCESS)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = IssueForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: AccessToken | None = None) -> Any:
        return IssueForm.Meta.fields if obj is None else [*self.change_fields, "revoked_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: AccessToken | None = None) -> Any:
        """A token's secret, owner and lifetime are fixed once issued; its name may change."""
        if obj is None:
            return []
        return [field for field in self.get_fields(request, obj) if field != "name"]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        ttl = settings.TOKEN_TTL
        return {"expires_at": None if ttl is None else timezone.now() + ttl}

    def save_model(self, request: HttpRequest, obj: AccessToken, form: Any, change: bool) -> None:
        if not change:
            obj.created_at = timezone.now()
            request._issued_secret = tokens.new_secret(obj)  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)

    def response_add(
        self, request: HttpRequest, obj: AccessToken, post_url_continue: str | None = None
    ) -> HttpResponse:
        """The secret, this once: rendered into the answer, not put in a message (messages
        travel in a cookie or the session)."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "token": obj,
            "secret": request._issued_secret,  # type: ignore[attr-defined]
            "title": "API token issued",
        }
        response = TemplateResponse(request, "admin/core/accesstoken/issued.html", context)
        response["Cache-Control"] = "no-store"
        return response
