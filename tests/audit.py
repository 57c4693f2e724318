"""The audit trail's size, table by table: what a test compares before and after."""

import pghistory.models
from django.apps import apps


def audit_row_counts() -> dict[str, int]:
    """Rows of each event table pghistory keeps (`events.EntryEvent`: 12, …)."""
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if issubclass(model, pghistory.models.Event) and not model._meta.proxy
    }
