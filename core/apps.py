from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Framework pieces the domain apps share (persisted GraphQL documents, …). It imports no
    domain app, so any of them can build on it."""

    name = "core"
    verbose_name = "Framework"
