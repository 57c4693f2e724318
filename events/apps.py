from django.apps import AppConfig
from django.db.backends.signals import connection_created


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Coverage"

    def ready(self) -> None:
        from api_project import lookups
        from api_project.loaders import use_c_timestamps

        lookups.register()
        connection_created.connect(use_c_timestamps, dispatch_uid="chronicle-c-timestamps")
