from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The audit trail in the admin: Recent changes across the record, told for people. The
    trail itself is kept by django-pghistory's triggers; each object's own History page is
    api_project/admin_history.py."""

    name = "audit"
    verbose_name = "Audit trail"
