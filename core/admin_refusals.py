"""What the database or a model refuses at save comes back on the admin's form, with what the
editor typed, never as a 500.

Django's admin validates each form on its own fields: a rule that reads a field the form
does not show (a stance's evidence on an actor's page, where its entry is not a column) or
two rows of one table together (two new verified stances that overlap) is first checked at
save, and a refusal there is a server error with the editor's work gone. Inline rows are
therefore validated whole, as the save will see them (`RowsValidatedFormSet`); and should a
save still be refused, the admin answers the same request again as a form carrying the
refusal (`SaveRefusalsMixin`). The failed save is rolled back first: the admin saves in one
transaction.
"""

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse

from api_project.integrity import as_validation_error

from .admin_autocomplete import SafeAutocompleteMixin

REFUSAL = "_chronicle_refusal"

if TYPE_CHECKING:
    _ModelAdmin = admin.ModelAdmin[Any]
    _Inline = admin.options.InlineModelAdmin[Any, Any]
else:
    _ModelAdmin = _Inline = object


def add_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Each message under its field where the form shows it, else above the form."""
    by_field = (
        error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
    )
    for field, messages in by_field.items():
        if field in form.fields:
            form.add_error(field, messages)
        else:
            label = "" if field == NON_FIELD_ERRORS else f"{field.replace('_', ' ').capitalize()}: "
            form.add_error(None, [f"{label}{message}" for message in messages])


class RowsValidatedFormSet(BaseInlineFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        super().clean()
        for form in self.forms:
            if not form.has_changed() or form.errors or self._should_delete_form(form):  # type: ignore[attr-defined]
                continue
            # A record not saved yet has no key for its rows to point at: rules that read the
            # link wait for the save, which sets it.
            exclude = [] if self.instance.pk else [self.fk.name]
            try:
                form.instance.full_clean(exclude=exclude)
            except ValidationError as error:
                add_errors(form, error)


class CheckedInlineMixin(SafeAutocompleteMixin, _Inline):
    formset = RowsValidatedFormSet


def _as_refusal(error: Exception) -> ValidationError:
    if isinstance(error, ValidationError):
        return error
    if isinstance(error, IntegrityError):
        found = as_validation_error(error)
        if found is not None:
            return found
        return ValidationError(
            "The database refused the change: a row it refers to was changed or deleted meanwhile."
        )
    held = getattr(error, "protected_objects", None) or getattr(error, "restricted_objects", None)
    protected = sorted({str(obj) for obj in held or ()})
    return ValidationError(f"Not saved: still referred to by {', '.join(protected[:5])}.")


class SaveRefusalsMixin(SafeAutocompleteMixin, _ModelAdmin):
    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (ValidationError, IntegrityError, ProtectedError, RestrictedError) as error:
            if request.method != "POST" or hasattr(request, REFUSAL):
                raise
            setattr(request, REFUSAL, _as_refusal(error))
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form_class = super().get_form(request, obj, change, **kwargs)
        found: ValidationError | None = getattr(request, REFUSAL, None)
        if found is None:
            return form_class
        refusal = found

        class Refused(form_class):  # type: ignore[misc, valid-type]
            def clean(self) -> Any:
                cleaned = super().clean()
                add_errors(self, refusal)
                return cleaned

        return Refused
