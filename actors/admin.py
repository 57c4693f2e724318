from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.forms import Textarea
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from api_project.admin_history import AuditTrailMixin
from api_project.admin_versions import EditConflictMixin
from api_project.resources import SpreadsheetSafeImportExportMixin
from core.admin_filters import kind_of
from core.admin_refusals import CheckedInlineMixin, SaveRefusalsMixin
from events.models import Entry
from events.services import record_delete

from .choices import CurationStatus
from .conflicts import moment, overlapping, span_phrase
from .models import Actor, Membership, Mention, Stance, Topic
from .querysets import valid_at
from .resources import ActorResource, StanceResource
from .services import stance_decide, stance_same_as, stance_save, stance_supersede


class MentionInline(CheckedInlineMixin, admin.TabularInline[Mention, Entry]):
    model = Mention
    extra = 0
    autocomplete_fields = ["actor"]


class MembershipInline(CheckedInlineMixin, admin.TabularInline[Membership, Actor]):
    model = Membership
    fk_name = "member"
    extra = 0
    autocomplete_fields = ["group"]

    class Media:
        css = {"all": ["chronicle/admin/inline_forms.css"]}


class StanceInline(CheckedInlineMixin, admin.StackedInline[Stance, Any]):
    """Each stance a small form of its own: a dozen fields in a table row do not fit beside
    the navigation on a 1280 px screen."""

    model = Stance
    extra = 0
    # Every field a stance needs filled in, so that the form says what is missing: a field
    # left out would be checked only when the stance is saved, too late for the form.
    fields = [
        "topic",
        "actor",
        "position",
        "kind",
        "status",
        "valid_from",
        "valid_until",
        "source",
        "evidence",
        "evidence_event",
        "summary",
        "curator_note",
    ]
    # A small form, not a page: the summary box is two lines high.
    formfield_overrides = {models.TextField: {"widget": Textarea(attrs={"rows": 2, "cols": 40})}}
    autocomplete_fields = ["topic", "actor", "source", "evidence", "evidence_event"]
    show_change_link = True

    class Media:
        css = {"all": ["chronicle/admin/inline_forms.css"]}


if TYPE_CHECKING:
    _AdminBase = admin.ModelAdmin[Any]
else:
    _AdminBase = object


class SavesStancesMixin(_AdminBase):
    """Stances edited inline on an actor, topic or entry page are saved by the stance service,
    so a curation decision made there records who made it, like everywhere else."""

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not Stance:
            super().save_formset(request, form, formset, change)
            return
        stances = formset.save(commit=False)
        for stance in formset.deleted_objects:
            record_delete(instance=stance)
        for stance in stances:
            stance_save(stance=stance, by=request.user)


class InForceFilter(admin.SimpleListFilter):
    """Stances valid now, by the same rule as the APIs' `as_of`."""

    title = "in force"
    parameter_name = "in_force"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("now", "Now")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "now":
            return queryset.filter(valid_at(timezone.now()))
        return queryset


@admin.register(Actor)
class ActorAdmin(
    SavesStancesMixin, AuditTrailMixin, SpreadsheetSafeImportExportMixin, admin.ModelAdmin[Actor]
):
    resource_classes = [ActorResource]
    list_display = ["name", "kind", "country", "title", "wikidata_id"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "slug", "aliases", "title", "wikidata_id"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline, StanceInline]


@admin.register(Membership)
class MembershipAdmin(
    SaveRefusalsMixin, EditConflictMixin, AuditTrailMixin, admin.ModelAdmin[Membership]
):
    list_display = ["member", "role", "group", "started_on", "ended_on"]
    list_filter = [kind_of("group__kind", "kind of group"), "role"]
    search_fields = ["member__name", "group__name", "role"]
    autocomplete_fields = ["member", "group"]
    list_select_related = ["member", "group"]


@admin.register(Topic)
class TopicAdmin(SavesStancesMixin, EditConflictMixin, AuditTrailMixin, admin.ModelAdmin[Topic]):
    list_display = ["title", "slug"]
    search_fields = ["title", "slug", "description"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [StanceInline]


@admin.register(Mention)
class MentionAdmin(
    SaveRefusalsMixin, EditConflictMixin, AuditTrailMixin, admin.ModelAdmin[Mention]
):
    list_display = ["actor", "role", "entry"]
    list_filter = ["role", kind_of("actor__kind", "kind of actor")]
    search_fields = ["actor__name", "entry__body"]
    autocomplete_fields = ["entry", "actor"]
    list_select_related = ["actor", "entry"]


@admin.register(Stance)
class StanceAdmin(
    SaveRefusalsMixin,
    EditConflictMixin,
    AuditTrailMixin,
    SpreadsheetSafeImportExportMixin,
    admin.ModelAdmin[Stance],
):
    resource_classes = [StanceResource]
    list_display = [
        "actor",
        "topic",
        "position",
        "status",
        "kind",
        "evidence_time",
        "valid_from",
        "valid_until",
        "decided_by",
    ]
    list_filter = [
        "status",
        InForceFilter,
        "position",
        "kind",
        "topic",
        kind_of("actor__kind", "kind of actor"),
    ]
    search_fields = ["actor__name", "topic__title", "summary", "quote"]
    date_hierarchy = "valid_from"
    autocomplete_fields = ["actor", "topic", "evidence", "evidence_event", "source"]
    # Set by the same-stance action, which checks the stance it names.
    readonly_fields = ["decided_by", "decided_at", "same_as"]
    list_select_related = ["actor", "topic", "evidence", "evidence_event", "decided_by"]
    actions = ["verify", "dispute", "reject"]

    change_form_template = "admin/actors/stance/change_form.html"

    @admin.display(description="Evidence time", ordering="evidence__published_at")
    def evidence_time(self, stance: Stance) -> str:
        if stance.evidence:
            return f"{stance.evidence.published_at:%Y-%m-%d %H:%M} UTC"
        return f"summary of {stance.evidence_event}" if stance.evidence_event else ""

    def save_model(self, request: HttpRequest, obj: Stance, form: Any, change: bool) -> None:
        stance_save(stance=obj, by=request.user)

    def get_urls(self) -> list[URLPattern]:
        settle = [
            path(
                "<path:object_id>/supersede/<int:other_id>/",
                self.admin_site.admin_view(self.supersede_view),
                name="actors_stance_supersede",
            ),
            path(
                "<path:object_id>/same-as/<int:other_id>/",
                self.admin_site.admin_view(self.same_as_view),
                name="actors_stance_same_as",
            ),
        ]
        return settle + super().get_urls()

    def _conflicts(self, stance: Stance) -> list[dict[str, Any]]:
        """The verified stances this one clashes with, each with the links that settle it."""
        if stance.status in (CurationStatus.VERIFIED, CurationStatus.CORROBORATES):
            return []
        return [
            {
                "stance": clash,
                "span": span_phrase(clash),
                "change_url": reverse("admin:actors_stance_change", args=[clash.pk]),
                "supersede_url": reverse(
                    "admin:actors_stance_supersede", args=[stance.pk, clash.pk]
                ),
                "same_as_url": reverse("admin:actors_stance_same_as", args=[stance.pk, clash.pk]),
            }
            for clash in overlapping(stance)
        ]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        stance = self.get_object(request, object_id)
        conflicts = self._conflicts(stance) if stance is not None else []
        intro = (
            "Verifying this stance would overlap the verified stance(s) below. Supersede one "
            "(it ends where this one starts), mark this one as the same stance, or change "
            "the span."
        )
        context = {**(extra_context or {}), "stance_conflicts": conflicts}
        context["stance_conflicts_intro"] = intro
        return super().change_view(request, object_id, form_url, context)

    def _settle_view(
        self, request: HttpRequest, object_id: str, other_id: int, *, supersede: bool
    ) -> HttpResponse:
        stance = self.get_object(request, object_id)
        if stance is None:
            redirect: HttpResponse = self._get_obj_does_not_exist_redirect(
                request, self.opts, object_id
            )
            return redirect
        if not self.has_change_permission(request, stance):
            raise PermissionDenied
        other = get_object_or_404(Stance.objects.select_related("actor", "topic"), pk=other_id)
        form = SettleForm(request.POST if request.method == "POST" else None)
        refusal: list[str] = []
        if form.is_valid():
            note = form.cleaned_data["note"]
            try:
                if supersede:
                    stance_supersede(stance=stance, earlier=other, by=request.user, note=note)
                else:
                    stance_same_as(stance=stance, existing=other, by=request.user, note=note)
            except ValidationError as error:
                refusal = error.messages
            else:
                stance.refresh_from_db()
                done = (
                    f"“{stance}” is verified and supersedes “{other}”, which now ends where it "
                    "starts."
                    if supersede
                    else f"“{stance}” is kept as further evidence of “{other}”."
                )
                self.message_user(request, done, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:actors_stance_change", args=[stance.pk]))
        if supersede:
            title = "Supersede a verified stance"
            explanation = (
                f"Verify this stance and end “{other}” at {moment(stance.valid_from)}, in one "
                "step recorded in both stances' history."
            )
            confirm = "Supersede and verify"
        else:
            title = "Mark as the same stance"
            explanation = (
                f"Keep this stance as further evidence of “{other}”: it stays, listed with "
                "that stance, and is not counted as a second verified stance."
            )
            confirm = "Mark as the same stance"
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "object": stance,
            "other": other,
            "form": form,
            "refusal": refusal,
            "explanation": explanation,
            "confirm_label": confirm,
        }
        return TemplateResponse(request, "admin/actors/stance/settle_confirmation.html", context)

    def supersede_view(self, request: HttpRequest, object_id: str, other_id: int) -> HttpResponse:
        return self._settle_view(request, object_id, other_id, supersede=True)

    def same_as_view(self, request: HttpRequest, object_id: str, other_id: int) -> HttpResponse:
        return self._settle_view(request, object_id, other_id, supersede=False)

    def _refusal_message(self, stance: Stance, error: ValidationError) -> Any:
        """The refusal, with links to the stance(s) it clashes with and to settling them."""
        text = f"{stance}: {' '.join(error.messages)}"
        conflicts = self._conflicts(stance) if "overlap" in _codes(error) else []
        if not conflicts:
            return text
        links = format_html_join(
            " ",
            '<a href="{}">Open “{}”</a> · <a href="{}">Supersede it</a> · '
            '<a href="{}">Same stance</a>',
            (
                (c["change_url"], c["stance"], c["supersede_url"], c["same_as_url"])
                for c in conflicts
            ),
        )
        return format_html("{} {}", text, links)

    def _decide(self, request: HttpRequest, queryset: QuerySet[Stance], status: str) -> None:
        done = 0
        for stance in queryset.select_related("actor", "topic"):
            try:
                stance_decide(stance=stance, status=CurationStatus(status), by=request.user)
                done += 1
            except ValidationError as error:
                stance.refresh_from_db()
                self.message_user(
                    request, self._refusal_message(stance, error), level=messages.ERROR
                )
        if done:
            self.message_user(request, f"{done} stance(s) marked {status}.", messages.SUCCESS)

    @admin.action(description="Verify selected stances", permissions=["change"])
    def verify(self, request: HttpRequest, queryset: QuerySet[Stance]) -> None:
        self._decide(request, queryset, CurationStatus.VERIFIED)

    @admin.action(description="Dispute selected stances", permissions=["change"])
    def dispute(self, request: HttpRequest, queryset: QuerySet[Stance]) -> None:
        self._decide(request, queryset, CurationStatus.DISPUTED)

    @admin.action(description="Reject selected stances", permissions=["change"])
    def reject(self, request: HttpRequest, queryset: QuerySet[Stance]) -> None:
        self._decide(request, queryset, CurationStatus.REJECTED)


class SettleForm(forms.Form):
    note = forms.CharField(
        required=False,
        widget=Textarea(attrs={"rows": 4, "cols": 60}),
        help_text="Kept on the stance as its curator's note.",
    )


def _codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors if e.code}
    return {e.code for e in error.error_list if e.code}
