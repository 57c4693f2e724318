"""Times in the admin are UTC, and say so: every date-and-time field of every admin page (the
inlines' too) is labelled "(UTC)" and shows, beside it, the editor's own local time for the
value typed (`chronicle/admin/local_time.js`, which updates as the editor types).

One mechanism for every admin, present and future: Chronicle's admin app puts these field and
widget classes in the admin's defaults for `DateTimeField` before the admins are registered,
so no ModelAdmin has to opt in. Shown times (change lists, read-only fields) say UTC through
the date format (`api_project.formats`).
"""

from typing import Any

from django import forms
from django.contrib.admin import options, widgets
from django.contrib.admin.apps import AdminConfig
from django.db import models
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.safestring import SafeString

UTC_HELP = "The time in UTC."


class UTCSplitDateTimeField(forms.SplitDateTimeField):
    def __init__(self, *args: Any, label: Any = None, help_text: Any = "", **kwargs: Any) -> None:
        label = f"{label} (UTC)" if label else label
        help_text = f"{help_text} {UTC_HELP}".strip() if help_text else UTC_HELP
        super().__init__(*args, label=label, help_text=help_text, **kwargs)


class UTCSplitDateTime(widgets.AdminSplitDateTime):
    """The admin's date and time inputs, marked UTC, with a place for the local time."""

    class Media:
        js = ["chronicle/admin/local_time.js"]

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        inputs = super().render(name, value, attrs, renderer)
        return format_html(
            '<div class="utc-datetime" data-utc-time data-date-format="{}">{}'
            '<span class="utc-mark">UTC</span> <span class="local-time"></span></div>',
            get_format("DATE_INPUT_FORMATS")[0],
            inputs,
        )


UTC_DATETIME: dict[str, Any] = {"form_class": UTCSplitDateTimeField, "widget": UTCSplitDateTime}


class ChronicleAdminConfig(AdminConfig):
    """The admin app, with date-and-time fields in UTC (see the module)."""

    def ready(self) -> None:
        # Before `super().ready()` registers the admins: each copies these defaults when made.
        options.FORMFIELD_FOR_DBFIELD_DEFAULTS[models.DateTimeField] = UTC_DATETIME
        super().ready()
