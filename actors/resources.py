"""CSV import and export of actors and stances in the admin (django-import-export): rows are
matched by slug (actors) or id (stances), validated by the model (`full_clean`, so the stance
overlap rule speaks too), previewed before anything is written, written in one transaction."""

from import_export import fields, widgets

from api_project.resources import SpreadsheetSafeResource
from events.models import Entry, Event, Source

from .models import STANCE_RECORD_FIELDS, Actor, Stance, Topic


class ActorResource(SpreadsheetSafeResource):
    aliases = fields.Field(
        attribute="aliases", column_name="aliases", widget=widgets.SimpleArrayWidget(";")
    )

    class Meta:
        model = Actor
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "name",
            "kind",
            "aliases",
            "country",
            "title",
            "wikidata_id",
            "description",
        ]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True


def _by_slug(name: str, model: type) -> fields.Field:
    return fields.Field(
        attribute=name, column_name=name, widget=widgets.ForeignKeyWidget(model, field="slug")
    )


class StanceResource(SpreadsheetSafeResource):
    actor = _by_slug("actor", Actor)
    topic = _by_slug("topic", Topic)
    source = _by_slug("source", Source)
    evidence_event = _by_slug("evidence_event", Event)
    evidence = fields.Field(
        attribute="evidence", column_name="evidence", widget=widgets.ForeignKeyWidget(Entry)
    )

    class Meta:
        model = Stance
        fields = STANCE_RECORD_FIELDS
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
