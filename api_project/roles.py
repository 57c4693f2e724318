"""The editors' role: exactly the permissions curating the record needs, and no user management."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

EDITORS = "editors"
CURATED_MODELS = {
    "events": ["event", "entry", "source", "citation"],
    "actors": ["actor", "membership", "topic", "stance", "mention"],
}
# The audit trail is read, never written, by editors.
READ_ONLY_MODELS = {"pghistory": ["events", "middlewareevents"], "audit": ["recentchange"]}


@transaction.atomic
def editors_group_ensure() -> Group:
    """Create the editors group or bring its permissions back to the list above."""
    group, _ = Group.objects.get_or_create(name=EDITORS)
    wanted = Q()
    for app_label, models in CURATED_MODELS.items():
        wanted |= Q(content_type__app_label=app_label, content_type__model__in=models)
    for app_label, models in READ_ONLY_MODELS.items():
        wanted |= Q(
            content_type__app_label=app_label,
            content_type__model__in=models,
            codename__startswith="view_",
        )
    group.permissions.set(Permission.objects.filter(wanted))
    return group
