from django.contrib import admin

from events.models import Entry

from .models import Actor, Membership, Mention, Stance, Topic


class MentionInline(admin.TabularInline[Mention, Entry]):
    model = Mention
    extra = 0
    autocomplete_fields = ["actor"]


class MembershipInline(admin.TabularInline[Membership, Actor]):
    model = Membership
    fk_name = "member"
    extra = 0
    autocomplete_fields = ["group"]


class StanceInline(admin.TabularInline[Stance, Actor]):
    model = Stance
    extra = 0
    fields = ["topic", "position", "kind", "status", "valid_from", "valid_until", "source"]
    autocomplete_fields = ["topic", "source"]
    show_change_link = True


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin[Actor]):
    list_display = ["name", "kind", "country", "title", "wikidata_id"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "slug", "aliases", "title", "wikidata_id"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline, StanceInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ["member", "role", "group", "started_on", "ended_on"]
    list_filter = ["group__kind", "role"]
    search_fields = ["member__name", "group__name", "role"]
    autocomplete_fields = ["member", "group"]
    list_select_related = ["member", "group"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin[Topic]):
    list_display = ["title", "slug"]
    search_fields = ["title", "slug", "description"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Mention)
class MentionAdmin(admin.ModelAdmin[Mention]):
    list_display = ["actor", "role", "entry"]
    list_filter = ["role", "actor__kind"]
    search_fields = ["actor__name", "entry__body"]
    autocomplete_fields = ["entry", "actor"]
    list_select_related = ["actor", "entry"]


@admin.register(Stance)
class StanceAdmin(admin.ModelAdmin[Stance]):
    list_display = ["actor", "topic", "position", "kind", "status", "valid_from", "valid_until"]
    list_filter = ["status", "position", "kind", "topic", "actor__kind"]
    search_fields = ["actor__name", "topic__title", "summary", "quote"]
    date_hierarchy = "valid_from"
    autocomplete_fields = ["actor", "topic", "evidence", "evidence_event", "source"]
    readonly_fields = ["decided_by", "decided_at"]
    list_select_related = ["actor", "topic"]
