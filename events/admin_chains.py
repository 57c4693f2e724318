"""Citation chains built in the entry form in one save, before any citation exists.

The Citations inline's `via` is a choice among the rows of the same formset, not a search of
every citation: a saved row is named by its id, a row being added by `new-<form index>`. The
choices are rendered by the server (so the form works without JavaScript, and a form sent back
with an error lists what the editor typed), and `admin/chronicle/citation_chains.js` rebuilds
them as rows are added, removed or relabelled. The formset checks the links with the rule
REST and GraphQL use (`events.services.chain_order`) and saves each row after the one it came
through.
"""

from typing import Any

from django import forms
from django.db import transaction

from actors.models import Actor
from core.admin_refusals import RowsValidatedFormSet

from .models import Citation, Source
from .services import ChainError, chain_order, record_delete, record_save

NEW_ROW = "new-"


class CitationForm(forms.ModelForm[Citation]):
    via = forms.CharField(
        required=False,
        label="Via",
        widget=forms.Select(attrs={"class": "citation-via"}),
        help_text="The citation of this entry this one came through, saved or added above.",
    )

    class Meta:
        model = Citation
        fields = ["source", "speaker", "role", "quote", "via"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.via_id is not None:
            self.initial["via"] = str(self.instance.via_id)

    def clean(self) -> dict[str, Any]:
        """The row key `via` names is resolved by the formset, once every row is known; the
        model field keeps its value until then."""
        cleaned = super().clean() or {}
        self.via_key: str | None = cleaned.pop("via", None) or None
        return cleaned


class CitationFormSet(RowsValidatedFormSet):
    """An entry's citations, whose `via` names another row of this formset."""

    def row_key(self, form: forms.BaseForm, index: int) -> str:
        """A saved row by its id (stable whatever the order), a new one by its place."""
        instance = getattr(form, "instance", None)
        if instance is not None and instance.pk is not None:
            return str(instance.pk)
        return f"{NEW_ROW}{index}"

    def via_choices(self) -> list[tuple[str, str]]:
        """Every row of the formset as sent (or as served), labelled by its place and what it
        names: "row 2: Reuters". Two rows citing Reuters differ by their place."""
        if not hasattr(self, "_via_choices"):
            rows = self._row_names()
            self._via_choices = [("", "---------")] + [
                (key, f"row {place}: {name}") for place, (key, name) in enumerate(rows, 1)
            ]
        return self._via_choices

    def _row_names(self) -> list[tuple[str, str]]:
        saved = list(self.get_queryset().select_related("source", "speaker"))
        total = self.total_form_count()
        posted: list[tuple[str | None, str | None, str | None]] = []
        for index in range(total if self.is_bound else 0):
            posted.append(
                tuple(  # type: ignore[arg-type]
                    self.data.get(f"{self.prefix}-{index}-{name}") or None
                    for name in ("id", "source", "speaker")
                )
            )
        sources = _names(Source, [source for _, source, _ in posted])
        speakers = _names(Actor, [speaker for _, _, speaker in posted])
        rows: list[tuple[str, str]] = []
        for index in range(total):
            citation = saved[index] if index < len(saved) else None
            key = str(citation.pk) if citation else f"{NEW_ROW}{index}"
            if self.is_bound:
                pk, source, speaker = posted[index]
                if index < self.initial_form_count() and pk:
                    key = pk
                parts = [sources.get(source or "", ""), speakers.get(speaker or "", "")]
            elif citation is not None:
                parts = [str(p) for p in (citation.source, citation.speaker) if p is not None]
            else:
                parts = []
            rows.append((key, ", ".join(p for p in parts if p) or "(new)"))
        return rows

    def add_fields(self, form: forms.ModelForm[Citation], index: int | None) -> None:
        super().add_fields(form, index)
        own = None if index is None else self.row_key(form, index)
        choices = [choice for choice in self.via_choices() if choice[0] != own]
        via = form.fields["via"]
        assert isinstance(via.widget, forms.Select)
        if form.is_bound and index is not None:
            sent = form.data.get(form.add_prefix("via"))
            if sent and sent not in {key for key, _ in choices}:
                choices.append((sent, f"{sent} (not a row of this entry)"))
        via.widget.choices = choices

    def clean(self) -> None:
        """Each `via` names a row that stays, and the links follow the shared chain rule;
        an error comes back on the row whose `via` breaks it."""
        super().clean()
        links, forms_by_key, deleted = self._links()
        for key, via in links.items():
            form = forms_by_key[key]
            if via is None or via in links:
                continue
            if via in deleted:
                form.add_error("via", "That citation is marked for deletion.")
            else:
                form.add_error("via", "Choose a citation of this entry that is filled in.")
        if any(form.errors for form in forms_by_key.values()):
            return
        try:
            chain_order(links)
        except ChainError as error:
            forms_by_key[error.key].add_error("via", error.message)

    def _links(
        self,
    ) -> tuple[dict[str, str | None], dict[str, forms.ModelForm[Citation]], set[str]]:
        links: dict[str, str | None] = {}
        forms_by_key: dict[str, forms.ModelForm[Citation]] = {}
        deleted: set[str] = set()
        for index, form in enumerate(self.forms):
            key = self.row_key(form, index)
            if self.can_delete and form.cleaned_data.get("DELETE"):
                deleted.add(key)
                continue
            if not form.has_changed() and form.instance.pk is None:
                continue  # an extra row left blank: not saved
            forms_by_key[key] = form
            links[key] = getattr(form, "via_key", None)
        return links, forms_by_key, deleted

    @transaction.atomic
    def save_chains(self) -> None:
        """Rows saved each after the one it came through, then the deleted ones removed (a
        row that came through a deleted one was refused by `clean`)."""
        self.save(commit=False)  # fills new_objects, changed_objects, deleted_objects
        links, forms_by_key, _ = self._links()
        saved: dict[str, Citation] = {}
        for key in chain_order(links):
            form = forms_by_key[key]
            citation = form.instance
            citation.entry = self.instance
            via = links[key]
            citation.via = None if via is None else saved[via]
            if form.has_changed() or citation.pk is None:
                record_save(instance=citation)
            saved[key] = citation
        for citation in self.deleted_objects:
            record_delete(instance=citation)


def _names(model: type[Source] | type[Actor], pks: list[str | None]) -> dict[str, str]:
    wanted = [pk for pk in pks if pk and pk.isdigit()]
    if not wanted:
        return {}
    return {str(row.pk): str(row) for row in model._default_manager.filter(pk__in=wanted)}
