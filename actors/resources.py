"""CSV import and export of actors and stances in the admin (django-import-export): rows are
matched by slug (actors) or id (stances), validated by the model (`full_clean`, so the stance
overlap rule speaks too), previewed before anything is written, written in one transaction."""

from typing import ClassVar

from import_export import fields, widgets

from api_project.import_widgets import by_id, by_slug
from api_project.resources import SpreadsheetSafeResource
from events.models import Entry, Event, Source

from .models import STANCE_RECORD_FIELDS, Actor, Stance, Topic


class ActorResource(SpreadsheetSafeResource):
    # The sample file's rows (`api_project.import_columns.sample_csv`), in the seed's words.
    examples: ClassVar[list[dict[str, str]]] = [
        {
            "slug": "keir-starmer",
            "name": "Keir Starmer",
            "kind": "person",
            "aliases": "Starmer",
            "country": "GB",
            "title": "Prime Minister of the United Kingdom",
        },
        {
            "slug": "denmark",
            "name": "Denmark",
            "kind": "country",
            "aliases": "Copenhagen;Danish",
            "country": "DK",
            "wikidata_id": "Q35",
        },
    ]
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
    return fields.Field(attribute=name, column_name=name, widget=by_slug(model))


class StanceResource(SpreadsheetSafeResource):
    # The sample file's row: a new stance (no id), proposed for an editor to verify.
    examples: ClassVar[list[dict[str, str]]] = [
        {
            "actor": "united-kingdom",
            "topic": "troops-to-ukraine",
            "position": "support",
            "kind": "statement",
            "summary": "The United Kingdom is ready to send troops to Ukraine after a ceasefire.",
            "evidence_event": "coalition-of-the-willing-summit-2025-09-04",
            "source": "reuters",
            "valid_from": "2025-09-04 18:00:00",
            "status": "proposed",
        },
    ]
    actor = _by_slug("actor", Actor)
    topic = _by_slug("topic", Topic)
    source = _by_slug("source", Source)
    evidence_event = _by_slug("evidence_event", Event)
    evidence = fields.Field(attribute="evidence", column_name="evidence", widget=by_id(Entry))

    class Meta:
        model = Stance
        fields = STANCE_RECORD_FIELDS
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
