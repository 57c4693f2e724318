"""CSV import and export of sources in the admin (django-import-export): rows are matched by
slug, validated by the model (`full_clean`, so every constraint speaks), previewed before
anything is written, and written in one transaction."""

from import_export import fields, widgets

from actors.models import Actor
from api_project.resources import SpreadsheetSafeResource

from .models import Source


class SourceResource(SpreadsheetSafeResource):
    operator = fields.Field(
        attribute="operator",
        column_name="operator",
        widget=widgets.ForeignKeyWidget(Actor, field="slug"),
    )

    class Meta:
        model = Source
        import_id_fields = ["slug"]
        fields = ["slug", "name", "kind", "url", "country", "operator", "needs_review"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
