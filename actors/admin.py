from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.forms import Textarea
from django.http import HttpRequest
from django.utils import timezone

from api_project.admin_history import AuditTrailMixin
from api_project.admin_versions import EditConflictMixin
from api_project.resources import SpreadsheetSafeImportExportMixin
from core.admin_filters import kind_of
from core.admin_refusals import CheckedInlineMixin, SaveRefusalsMixin
from events.models import Entry
from events.services import record_delete

from .choices import CurationStatus
from .models import Actor, Membership, Mention, Stance, Topic
from .querysets import valid_at
from .resources import ActorResource, StanceResource
from .services import stance_decide, stance_save


class MentionInline(CheckedInlineMixin, admin.TabularInline[Mention, Entry]):
    model = Mention
    extra = 0
    autocomplete_fields = ["actor"]


class MembershipInline(CheckedInlineMixin, admin.TabularInline[Membership, Actor]):
    model = Membership
    fk_name = "member"
    extra = 0
    autocomplete_fields = ["group"]


class StanceInline(CheckedInlineMixin, admin.TabularInline[Stance, Any]):
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
        "summary",
    ]
    # A row of the table, not a page: the summary box is two lines high.
    formfield_overrides = {models.TextField: {"widget": Textarea(attrs={"rows": 2, "cols": 40})}}
    autocomplete_fields = ["topic", "actor", "source"]
    show_change_link = True


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
    readonly_fields = ["decided_by", "decided_at"]
    list_select_related = ["actor", "topic", "evidence", "evidence_event", "decided_by"]
    actions = ["verify", "dispute", "reject"]

    @admin.display(description="Evidence time", ordering="evidence__published_at")
    def evidence_time(self, stance: Stance) -> str:
        if stance.evidence:
            return f"{stance.evidence.published_at:%Y-%m-%d %H:%M} UTC"
        return f"summary of {stance.evidence_event}" if stance.evidence_event else ""

    def save_model(self, request: HttpRequest, obj: Stance, form: Any, change: bool) -> None:
        stance_save(stance=obj, by=request.user)

    def _decide(self, request: HttpRequest, queryset: QuerySet[Stance], status: str) -> None:
        done = 0
        for stance in queryset.select_related("actor", "topic"):
            try:
                stance_decide(stance=stance, status=CurationStatus(status), by=request.user)
                done += 1
            except ValidationError as error:
                self.message_user(
                    request, f"{stance}: {' '.join(error.messages)}", level=messages.ERROR
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
