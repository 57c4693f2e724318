from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import Prefetch, QuerySet
from django.forms import Select, Textarea
from django.http import HttpRequest

from actors.admin import MentionInline, SavesStancesMixin, StanceInline
from api_project.admin_history import AuditTrailMixin
from api_project.admin_versions import EditConflictMixin
from api_project.resources import SpreadsheetSafeImportExportMixin
from core.admin_filters import kind_of
from core.admin_refusals import CheckedInlineMixin, SaveRefusalsMixin

from .admin_chains import CitationForm, CitationFormSet
from .models import Citation, Entry, Event, Source
from .resources import SourceResource
from .services import entry_save


class CitationInline(CheckedInlineMixin, admin.TabularInline[Citation, Entry]):
    """`via` offers the rows of this table only, saved or being added (`admin_chains`)."""

    model = Citation
    form = CitationForm
    formset = CitationFormSet
    fk_name = "entry"
    extra = 0
    # The chain each saved row completes is its caption (the citation's name), not a column.
    fields = ["source", "speaker", "role", "quote", "via"]
    autocomplete_fields = ["source", "speaker"]
    # A row of the table, not a page: the quote box is two lines high.
    formfield_overrides = {models.TextField: {"widget": Textarea(attrs={"rows": 2, "cols": 24})}}

    def get_extra(self, request: HttpRequest, obj: Entry | None = None, **kwargs: Any) -> int:
        """A new entry's form has two blank citation rows, so a chain can be built without
        JavaScript; "Add another citation" adds more."""
        return 2 if obj is None else 0

    class Media:
        js = ["chronicle/admin/citation_chains.js"]


class EntryStanceInline(StanceInline):
    """An entry's stances: the entry is the evidence, so an event's summary is no choice."""

    fields = [name for name in StanceInline.fields if name != "evidence_event"]


@admin.register(Source)
class SourceAdmin(
    SaveRefusalsMixin,
    EditConflictMixin,
    AuditTrailMixin,
    SpreadsheetSafeImportExportMixin,
    admin.ModelAdmin[Source],
):
    resource_classes = [SourceResource]
    list_display = ["name", "kind", "country", "operator", "needs_review"]
    list_filter = ["kind", "country", "needs_review"]
    search_fields = ["name", "slug", "url"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["operator"]
    list_select_related = ["operator"]


@admin.register(Event)
class EventAdmin(SaveRefusalsMixin, EditConflictMixin, AuditTrailMixin, admin.ModelAdmin[Event]):
    list_display = ["title", "starts_at", "status", "publisher", "location"]
    list_filter = ["status", "language", "publisher"]
    search_fields = ["title", "slug", "standfirst", "summary"]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["publisher"]
    list_select_related = ["publisher"]


@admin.register(Entry)
class EntryAdmin(
    SaveRefusalsMixin,
    SavesStancesMixin,
    EditConflictMixin,
    AuditTrailMixin,
    admin.ModelAdmin[Entry],
):
    list_display = [
        "published_at",
        "event",
        "order",
        "headline_or_opening",
        "sources_cited",
        "status",
    ]
    list_filter = ["status", "event", kind_of("citations__source__kind", "kind of source cited")]
    search_fields = [
        "headline",
        "body",
        "credit",
        "citations__source__name",
        "mentions__actor__name",
    ]
    date_hierarchy = "published_at"
    autocomplete_fields = ["event"]
    list_select_related = ["event"]
    inlines = [CitationInline, MentionInline, EntryStanceInline]

    class Media:
        css = {"all": ["chronicle/admin/inline_forms.css"]}

    def save_model(self, request: HttpRequest, obj: Entry, form: Any, change: bool) -> None:
        """Through the service, so an entry left without `order` takes the next place."""
        entry_save(entry=obj)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if isinstance(formset, CitationFormSet):
            formset.save_chains()
            return
        super().save_formset(request, form, formset, change)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Entry]:
        cited = Citation.objects.select_related("source").exclude(source=None)
        return super().get_queryset(request).prefetch_related(Prefetch("citations", cited))

    @admin.display(description="Headline")
    def headline_or_opening(self, entry: Entry) -> str:
        return entry.headline or entry.body.removeprefix("## ")[:80]

    @admin.display(description="Sources")
    def sources_cited(self, entry: Entry) -> str:
        return ", ".join(sorted({c.source.name for c in entry.citations.all() if c.source}))


@admin.register(Citation)
class CitationAdmin(
    SaveRefusalsMixin, EditConflictMixin, AuditTrailMixin, admin.ModelAdmin[Citation]
):
    list_display = ["__str__", "entry", "role", "quote"]
    list_filter = ["role", kind_of("source__kind", "kind of source")]
    search_fields = ["quote", "source__name", "speaker__name", "entry__body"]
    autocomplete_fields = ["entry", "source", "speaker", "via"]
    list_select_related = ["entry", "source", "speaker", "via__source", "via__speaker"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        """A saved citation's `via` offers the other citations of its entry, not a search of
        every entry's; a new one's entry is not known yet, so it keeps the search (and a
        choice from another entry is refused on the form)."""
        match = request.resolver_match
        object_id = match.kwargs.get("object_id") if match else None
        if db_field.name == "via" and str(object_id).isdigit():
            citation = Citation.objects.filter(pk=int(str(object_id))).first()
            if citation is not None:
                kwargs["queryset"] = Citation.objects.filter(entry_id=citation.entry_id).exclude(
                    pk=citation.pk
                )
                kwargs["widget"] = Select
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
