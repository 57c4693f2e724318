"""CSV import and export of sources in the admin (django-import-export): rows are matched by
slug, validated by the model (`full_clean`, so every constraint speaks), previewed before
anything is written, and written in one transaction."""

from typing import ClassVar

from import_export import fields

from actors.models import Actor
from api_project.import_widgets import by_slug
from api_project.resources import SpreadsheetSafeResource

from .models import Source


class SourceResource(SpreadsheetSafeResource):
    # The sample file's rows (`api_project.import_columns.sample_csv`), in the seed's words.
    examples: ClassVar[list[dict[str, str]]] = [
        {
            "slug": "bbc-news",
            "name": "BBC News",
            "kind": "broadcaster",
            "url": "https://www.bbc.co.uk/news",
            "country": "GB",
            "operator": "",
            "needs_review": "0",
        },
        {
            "slug": "elysee-press-office",
            "name": "Elysee press office",
            "kind": "official_statement",
            "url": "https://www.elysee.fr",
            "country": "FR",
            "operator": "emmanuel-macron",
            "needs_review": "0",
        },
    ]
    operator = fields.Field(
        attribute="operator",
        column_name="operator",
        widget=by_slug(Actor),
    )

    class Meta:
        model = Source
        import_id_fields = ["slug"]
        fields = ["slug", "name", "kind", "url", "country", "operator", "needs_review"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
