"""Autocomplete widgets that redisplay a form whose choice is not even an id.

Django's autocomplete widget looks up the chosen row to show its label, with whatever the
request sent: `abc` for a numeric key makes that lookup raise, and the form that was to say
"Select a valid choice" becomes a 500. These widgets look up only values the key can hold;
the field's own validation still reports the rest.
"""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.http import HttpRequest


class _LooksUpOnlyKeys:
    field: Any

    def optgroups(self, name: str, value: Sequence[str], attr: Any = None) -> Any:
        target = self.field.target_field
        keys = []
        for item in value:
            try:
                target.to_python(item)
            except (ValidationError, TypeError, ValueError):
                continue
            keys.append(item)
        return super().optgroups(name, keys, attr)  # type: ignore[misc]


class SafeAutocompleteSelect(_LooksUpOnlyKeys, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_LooksUpOnlyKeys, AutocompleteSelectMultiple):
    pass


if TYPE_CHECKING:
    _Base = admin.options.BaseModelAdmin[Any]
else:
    _Base = object


class SafeAutocompleteMixin(_Base):
    """For every admin and inline with `autocomplete_fields`."""

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(
        self, db_field: models.ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField[Any] | None:
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
