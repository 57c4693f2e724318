from django.contrib import admin

from actors.admin import MentionInline

from .models import Citation, Entry, Event, Source


class CitationInline(admin.TabularInline[Citation, Entry]):
    model = Citation
    fk_name = "entry"
    extra = 0
    fields = ["source", "speaker", "role", "quote", "via", "chain"]
    readonly_fields = ["chain"]
    autocomplete_fields = ["source", "speaker"]

    @admin.display(description="Chain")
    def chain(self, citation: Citation) -> str:
        return str(citation) if citation.pk else ""


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin[Source]):
    list_display = ["name", "kind", "country", "operator", "needs_review"]
    list_filter = ["kind", "country", "needs_review"]
    search_fields = ["name", "slug", "url"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["operator"]
    list_select_related = ["operator"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin[Event]):
    list_display = ["title", "starts_at", "status", "publisher", "location"]
    list_filter = ["status", "language", "publisher"]
    search_fields = ["title", "slug", "standfirst", "summary"]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["publisher"]
    list_select_related = ["publisher"]


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin[Entry]):
    list_display = ["published_at", "event", "order", "headline", "status"]
    list_filter = ["status", "event"]
    search_fields = ["headline", "body", "credit"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["event"]
    list_select_related = ["event"]
    inlines = [CitationInline, MentionInline]


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin[Citation]):
    list_display = ["__str__", "entry", "role", "quote"]
    list_filter = ["role", "source__kind"]
    search_fields = ["quote", "source__name", "speaker__name", "entry__body"]
    autocomplete_fields = ["entry", "source", "speaker", "via"]
    list_select_related = ["entry", "source", "speaker", "via__source", "via__speaker"]
