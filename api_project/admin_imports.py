"""The admin's import page teaching its file: every column with what it takes, a sample file
to start from, a file it cannot read refused on the form, and each problem listed by row and
column (`api_project.import_columns`, `import_files`, `import_report`)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from import_export.admin import ImportMixin

from .import_columns import describe, sample_csv
from .import_files import TeachingImportForm
from .import_report import problems


class TeachingImportMixin(ImportMixin):
    import_form_class = TeachingImportForm
    import_template_name = "admin/chronicle/import.html"

    def get_urls(self) -> list[URLPattern]:
        info = self.get_model_info()
        sample = path(
            "import/sample/",
            self.admin_site.admin_view(self.import_sample),
            name="{}_{}_import_sample".format(*info),
        )
        return [sample, *super().get_urls()]

    def import_sample(self, request: HttpRequest) -> HttpResponse:
        """A CSV of the import's header row and example rows, to fill in and import."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        classes = self.get_import_resource_classes(request)
        try:
            resource_class = classes[int(request.GET.get("resource", 0))]
        except (ValueError, IndexError):
            resource_class = classes[0]
        name = self.model._meta.verbose_name_plural.replace(" ", "-")
        response = HttpResponse(sample_csv(resource_class), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}-sample.csv"'
        return response

    def process_import(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        """The confirmed import, unless its preview is stale: the file already imported by
        an earlier click (the library removes it), or a form altered on the way."""
        form = self.create_confirm_form(request)
        if request.method == "POST" and form.is_valid():
            stale = self._stale_confirmation(request, form.cleaned_data)
            if stale:
                messages.error(request, stale)
                info = self.get_model_info()
                return HttpResponseRedirect(reverse("admin:{}_{}_import".format(*info)))
        response: HttpResponse = super().process_import(request, **kwargs)
        return response

    def _stale_confirmation(self, request: HttpRequest, cleaned: dict[str, Any]) -> str | None:
        formats = self.get_import_formats()
        try:
            input_format = formats[int(cleaned["format"])](encoding=self.from_encoding)
            self.get_import_resource_classes(request)[int(cleaned.get("resource") or 0)]
        except (ValueError, IndexError, TypeError, AttributeError):
            return "The import could not be confirmed: upload the file again."
        encoding = None if input_format.is_binary() else self.from_encoding
        storage = self.get_tmp_storage_class()(
            name=cleaned["import_file_name"],
            encoding=encoding,
            read_mode=input_format.get_read_mode(),
            **self.get_tmp_storage_class_kwargs(),
        )
        try:
            missing = storage.read() is None
        except (OSError, UnicodeDecodeError, ValueError):
            missing = True
        if missing:
            return (
                "This file has been imported already, or its preview is too old: "
                "upload it again to import it."
            )
        return None

    def import_action(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = super().import_action(request, **kwargs)
        if isinstance(response, TemplateResponse) and response.context_data is not None:
            context = response.context_data
            sample_url = reverse("admin:{}_{}_import_sample".format(*self.get_model_info()))
            context["column_guides"] = [
                (
                    resource_class.get_display_name(),
                    describe(resource_class),
                    f"{sample_url}?resource={index}",
                )
                for index, resource_class in enumerate(self.get_import_resource_classes(request))
            ]
            form = context.get("form")
            context["ignored_columns"] = getattr(form, "ignored_columns", [])
            result = context.get("result")
            context["problems"] = [str(p) for p in problems(result)] if result else []
        return response
