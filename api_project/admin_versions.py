"""Two editors with one change form open: the second save is refused, not silently applied over
the first.

The form carries the record's version (`api_project.versions`) from when it was opened, in a
hidden field. The admin validates and saves in one transaction; validation locks the row and
compares, so no save can slip in between. A refused form keeps the editor's input and says who
changed the record and when; it then carries the current version, so saving again is a
deliberate overwrite.
"""

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest, QueryDict
from pghistory.models import MiddlewareEvents

from api_project.versions import locked, row_version

if TYPE_CHECKING:
    ModelAdminBase = admin.ModelAdmin[Any]
else:
    ModelAdminBase = object  # a mixin: ModelAdmin comes last in the admin's bases

VERSION_FIELD = "record_version"


def last_change(instance: models.Model) -> str:
    """ "alice at 2025-09-04 16:20:05 UTC": who made the record's last recorded change, when."""
    change = (
        MiddlewareEvents.objects.filter(
            pgh_obj_model=instance._meta.label, pgh_obj_id=str(instance.pk)
        )
        .order_by("-pgh_created_at", "-pgh_id")
        .first()
    )
    if change is None:
        return "someone"
    user = change.user
    who = user.get_username() if user else "a script"
    return f"{who} at {change.pgh_created_at:%Y-%m-%d %H:%M:%S} UTC"


def refuse_if_changed(form: forms.ModelForm[Any]) -> None:
    """Lock the form's record; if it is not the version the form was opened on, a form error
    (and the form now carries the current version)."""
    expected = form.data.get(form.add_prefix(VERSION_FIELD))
    if form.instance.pk is None or not expected:
        return
    current = locked(form.instance)
    name = form.instance._meta.verbose_name
    if current is None:
        form.add_error(None, f"This {name} was deleted since you opened it.")
    elif row_version(current) != expected:
        form.add_error(
            None,
            f"This {name} was changed by {last_change(current)} since you opened it; "
            "your changes were not saved. Compare them with the current record, then save "
            "again to replace it with yours.",
        )
        data = QueryDict(mutable=True)
        data.update(form.data)
        data[form.add_prefix(VERSION_FIELD)] = row_version(current)
        form.data = data


class EditConflictMixin(ModelAdminBase):
    """Change forms that refuse a save over a change made since the form was opened."""

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is None:
            return fieldsets
        return [*fieldsets, (None, {"fields": [VERSION_FIELD]})]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if kwargs.get("fields"):
            kwargs["fields"] = [name for name in kwargs["fields"] if name != VERSION_FIELD]
        form: Any = super().get_form(request, obj, change, **kwargs)
        if obj is None:
            return form

        class VersionedForm(form):  # type: ignore[misc]
            record_version = forms.CharField(widget=forms.HiddenInput, required=False)

            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                if self.instance.pk is not None:
                    self.fields[VERSION_FIELD].initial = row_version(self.instance)

            def clean(self) -> Any:
                cleaned = super().clean()
                refuse_if_changed(self)
                return cleaned

        VersionedForm.__name__ = form.__name__
        return VersionedForm
