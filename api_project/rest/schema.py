"""The OpenAPI document's view of the shared behaviour, so that a generated client can trust it:
each media type a response has with its own schema (CSV and NDJSON are text, not the JSON
page), problem-details errors, `?fields=` and `?brief=`, relations served as objects and
written as slugs or ids, and reads open to anonymous clients.

Everything here is derived from the view (its renderers, its action, its brief serializer), so
a new viewset is described correctly without annotations of its own."""

import copy
from typing import Any

from django import forms
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import (
    ResolvedComponent,
    build_media_type_object,
    force_instance,
    is_list_serializer,
    is_serializer,
)
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.permissions import (
    SAFE_METHODS,
    AllowAny,
    DjangoModelPermissionsOrAnonReadOnly,
    IsAuthenticatedOrReadOnly,
)
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer

from .errors import PROBLEM_JSON


class FieldErrorsField(serializers.DictField):
    child = serializers.ListField(child=serializers.CharField())


# A list field's errors are keyed by position and a nested object's by field, in turn: a flat
# map of message lists would call `{"aliases": {"1": ["…"]}}` a lie.
FIELD_ERRORS: dict[str, Any] = {
    "type": "object",
    "description": (
        "Each invalid field or parameter with its messages; the errors of a list's items or "
        "of a nested object's fields are keyed by position or field in turn."
    ),
    "additionalProperties": {
        "anyOf": [
            {
                "type": "array",
                "items": {
                    "anyOf": [{"type": "string"}, {"$ref": "#/components/schemas/FieldErrors"}]
                },
            },
            {"$ref": "#/components/schemas/FieldErrors"},
        ]
    },
}


class FieldErrorsExtension(OpenApiSerializerFieldExtension):
    target_class = "api_project.rest.schema.FieldErrorsField"

    def map_serializer_field(self, auto_schema: AutoSchema, direction: Any) -> Any:
        component = ResolvedComponent(
            name="FieldErrors",
            type=ResolvedComponent.SCHEMA,
            schema=copy.deepcopy(FIELD_ERRORS),
            object="FieldErrors",
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


class ConflictSerializer(serializers.Serializer[Any]):
    """A record a refusal names: the verified stance a write would overlap."""

    field = serializers.CharField(help_text="The field whose message names it.")
    code = serializers.CharField(help_text="The message's code, e.g. overlap.")
    id = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]  # a key here, not Field.label


class ProblemSerializer(serializers.Serializer[Any]):
    """RFC 9457 problem details; `errors` maps each invalid field or parameter to messages,
    `conflicts` lists the records a refusal names."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = FieldErrorsField(required=False)  # type: ignore[assignment]
    conflicts = ConflictSerializer(many=True, required=False)


# 406: a `?format=` or an Accept the operation does not have (api_project/rest/negotiation.py).
READ_ERRORS = {
    400: ProblemSerializer,
    404: ProblemSerializer,
    406: ProblemSerializer,
    429: ProblemSerializer,
}
WRITE_ERRORS = {
    **READ_ERRORS,
    401: ProblemSerializer,
    403: ProblemSerializer,
    409: ProblemSerializer,
    412: ProblemSerializer,
    413: ProblemSerializer,
}

# Exports are text a line a row; declaring them as the JSON page made generated clients decode
# a CSV download as JSON.
TEXT_BODIES: dict[str, dict[str, Any]] = {
    "text/csv": {
        "type": "string",
        "description": "CSV (RFC 4180): a header line, then a line a row.",
    },
    "application/x-ndjson": {
        "type": "string",
        "description": "Newline-delimited JSON: one object a line.",
    },
}

FIELDS_PARAMETER = OpenApiParameter(
    "fields",
    str,
    description=(
        "Comma-separated field names: each object keeps just those (e.g. `id,published_at`), "
        "the `…Selection` schema of the answer. With `brief=true` the names are the brief "
        "form's. An unknown name is a 400 listing the available ones."
    ),
)
BRIEF_PARAMETER = OpenApiParameter(
    "brief",
    bool,
    description=(
        "`true` gives the brief form instead (the `…Brief` schema: the fields a relation is "
        "served with, its own relations as slugs)."
    ),
)

SELECTION_DESCRIPTION = (
    "What `?fields=` keeps of the full form: any of these properties, none required."
)
BRIEF_SELECTION_DESCRIPTION = (
    "What `?fields=` keeps of the full form or, with `brief=true`, of the brief form: any of "
    "these properties, none required. A relation the brief form serves as a slug may be "
    "either here."
)


def selection_schema(full: dict[str, Any], brief: dict[str, Any] | None) -> dict[str, Any]:
    """The properties of the full form and the brief form, none required: `?fields=` keeps
    any of them, from whichever form `brief` chose. Where the two serve a field differently
    (a relation as an object or as a slug), the selection admits both."""
    properties = copy.deepcopy(full.get("properties", {}))
    for name, served in (brief or {}).get("properties", {}).items():
        known = properties.get(name)
        if known is None:
            properties[name] = copy.deepcopy(served)
        elif known != served:
            properties[name] = {"anyOf": [known, copy.deepcopy(served)]}
    return {
        "type": "object",
        "description": BRIEF_SELECTION_DESCRIPTION if brief else SELECTION_DESCRIPTION,
        "properties": properties,
        "minProperties": 1,
    }


# Permissions under which anyone may read.
PUBLIC_READS = (AllowAny, IsAuthenticatedOrReadOnly, DjangoModelPermissionsOrAnonReadOnly)


def document_schema(renderer: BaseRenderer) -> tuple[str, dict[str, Any]] | None:
    """A renderer that writes a document of its own (JSON-LD) names it and its schema in
    `openapi_component`; the JSON schema of the resource does not describe it."""
    component: tuple[str, dict[str, Any]] | None = getattr(renderer, "openapi_component", None)
    return component


class RecordAutoSchema(AutoSchema):
    def get_auth(self) -> list[dict[str, Any]]:
        """Reads open to anonymous clients carry no security of their own: they inherit the
        document's `[{}]` (see `public_reads`)."""
        auths: list[dict[str, Any]] = super().get_auth()
        permissions = self.view.get_permissions()
        if self.method in SAFE_METHODS and all(isinstance(p, PUBLIC_READS) for p in permissions):
            return []
        return [auth for auth in auths if auth]

    def _get_serializer_field_meta(self, field: Any, direction: Any) -> Any:
        """A read-only relation over a nullable column is served as null when unset."""
        meta = super()._get_serializer_field_meta(field, direction)
        if direction == "response" and isinstance(field, serializers.RelatedField):
            model = getattr(getattr(field.parent, "Meta", None), "model", None)
            try:
                column = model._meta.get_field(field.source) if model else None
            except Exception:  # a source that is not a model field: nothing to learn
                column = None
            if column is not None and getattr(column, "null", False):
                meta["nullable"] = True
        return meta

    def get_description(self) -> str:  # type: ignore[override]
        """The action's own docstring, else the view's own: an inherited docstring (the base
        viewset's) says nothing about the operation."""
        action = getattr(self.view, getattr(self.view, "action", None) or "", None)
        if action is not None and action.__doc__:
            return super().get_description()
        if "__doc__" in type(self.view).__dict__ and type(self.view).__doc__:
            return super().get_description()
        return ""

    def _map_basic_serializer(self, serializer: Any, direction: Any) -> Any:
        """Components keep only a docstring their serializer wrote, not the base class's. A
        record's representation always has every field (null where empty), so a response
        requires them all: a generated client then types `quote` as `str`, not "maybe unset".
        Fields a serializer names in `optional_in_response` may be left out (a search hit's
        `rank` without `q`), and stay optional."""
        schema = super()._map_basic_serializer(serializer, direction)
        cls = type(serializer) if not isinstance(serializer, type) else serializer
        if not cls.__dict__.get("__doc__"):
            schema.pop("description", None)
        if direction == "response" and issubclass(cls, serializers.ModelSerializer):
            optional = set(getattr(cls, "optional_in_response", ()))
            schema["required"] = sorted(set(schema.get("properties", {})) - optional)
        return schema

    def _is_export(self) -> bool:
        """A read that only streams text (an `export.csv/` action): filtered like its list,
        not paged."""
        renderers = self._documented_renderers()
        return self.method == "GET" and all(
            renderer.media_type.split(";")[0] in TEXT_BODIES for renderer in renderers
        )

    def get_operation_id(self) -> str:
        """`v1_entries_export_csv`, not `v1_entries_export.csv_retrieve`."""
        operation_id: str = super().get_operation_id()
        if self._is_export():
            operation_id = operation_id.removesuffix("_retrieve")
        return operation_id.replace(".", "_")

    # Parameters ---------------------------------------------------------------------------

    def _get_filter_parameters(self) -> list[dict[str, Any]]:
        """django-filter's extension types a NumberFilter from the model field it names, and a
        number when it cannot tell; a filter whose form field takes whole numbers is an integer.
        A filter's `max_length` is the parameter's `maxLength`."""
        parameters: list[dict[str, Any]] = super()._get_filter_parameters()
        filterset = getattr(self.view, "filterset_class", None)
        filters = filterset.base_filters if filterset else {}
        for parameter in parameters:
            found = filters.get(parameter["name"])
            field_class = getattr(found, "field_class", None)
            if isinstance(field_class, type) and issubclass(field_class, forms.IntegerField):
                parameter["schema"] = {"type": "integer"}
            if max_length := getattr(found, "extra", {}).get("max_length"):
                parameter["schema"]["maxLength"] = max_length  # a longer value is a 400
        return parameters

    def get_filter_backends(self) -> list[Any]:
        if self._is_export():
            return list(getattr(self.view, "filter_backends", []))
        backends: list[Any] = super().get_filter_backends()
        return backends

    def _shapes_reads(self) -> bool:
        """`fields` and `brief` apply where the view shapes a read (RecordViewSet)."""
        return self.method == "GET" and getattr(self.view, "action", None) in ("list", "retrieve")

    def get_override_parameters(self) -> list[Any]:
        parameters: list[Any] = list(super().get_override_parameters())
        if self._shapes_reads() and hasattr(self.view, "brief_serializer_class"):
            parameters.append(FIELDS_PARAMETER)
            if self.view.brief_serializer_class is not None:
                parameters.append(BRIEF_PARAMETER)
        return parameters

    def _get_format_parameters(self) -> list[dict[str, Any]]:
        """`?format=` offers the formats the operation documents."""
        documented = {renderer.format for renderer in self._documented_renderers()}
        parameters: list[dict[str, Any]] = []
        for parameter in super()._get_format_parameters():
            enum = [value for value in parameter["schema"].get("enum", []) if value in documented]
            if len(enum) > 1:  # one format is no choice
                parameter["schema"]["enum"] = enum
                parameters.append(parameter)
        return parameters

    # Responses ----------------------------------------------------------------------------

    def _shaped_body(self, serializer: Any) -> dict[str, Any] | None:
        """Where `fields` (and `brief`) apply, the object served is any of the full form
        (first, so that a generated client reads a plain answer as the full type), the brief
        form, and a selection of either: `anyOf`, since a full body is also a selection."""
        if not (self._shapes_reads() and hasattr(self.view, "brief_serializer_class")):
            return None
        serializer = force_instance(serializer)
        if not is_serializer(serializer) or is_list_serializer(serializer):
            return None
        full = self.resolve_serializer(serializer, "response")
        brief_class = self.view.brief_serializer_class
        brief = self.resolve_serializer(brief_class, "response") if brief_class else None
        selection = ResolvedComponent(
            name=f"{full.name}Selection",
            type=ResolvedComponent.SCHEMA,
            schema=selection_schema(full.schema, brief.schema if brief else None),
            object=f"{full.name}Selection",
        )
        self.registry.register_on_missing(selection)
        forms = [full.ref, *([brief.ref] if brief else []), selection.ref]
        return {"anyOf": forms}

    def _declare_shapes(self, media: dict[str, Any], shaped: dict[str, Any]) -> None:
        """The object of a retrieve, the items of a list's page (a component of its own)."""
        schema = media["schema"]
        if not self._is_list_view():
            media["schema"] = shaped
            return
        page = self.registry[(schema["$ref"].rsplit("/", 1)[-1], ResolvedComponent.SCHEMA)]
        page.schema["properties"]["results"]["items"] = shaped

    def get_response_serializers(self) -> Any:
        """The success response: 204 for a delete, 201 for a create, 200 otherwise."""
        serializer = super().get_response_serializers()
        if isinstance(serializer, dict):
            return serializer
        success = 204 if self.method == "DELETE" else 201 if self.method == "POST" else 200
        return {success: None if success == 204 else serializer}

    def _get_response_bodies(self, direction: Any = "response") -> Any:
        """The successes, then the problem-details errors the method can answer. Added here,
        not in `get_response_serializers`: an `extend_schema(responses=…)` replaces that
        method, and its operation would otherwise document its successes only."""
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        errors = READ_ERRORS if self.method in SAFE_METHODS else WRITE_ERRORS
        for code, problem in errors.items():
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(
                    problem, str(code), direction=direction
                )
        return responses

    def _documented_renderers(self) -> list[BaseRenderer]:
        """The renderers a response is documented for: reads have every representation the
        view renders (a document renderer only for a single object: on a list it would be the
        JSON page again); a write answers JSON."""
        renderers: list[BaseRenderer] = [
            renderer
            for renderer in self.view.get_renderers()
            if not isinstance(renderer, BrowsableAPIRenderer)
        ]
        if self.method not in SAFE_METHODS:
            json: list[BaseRenderer] = [r for r in renderers if isinstance(r, JSONRenderer)]
            return json[:1]
        if self._is_list_view():
            return [renderer for renderer in renderers if document_schema(renderer) is None]
        return renderers

    def _get_response_for_code(
        self,
        serializer: Any,
        status_code: str,
        media_types: Any = None,
        direction: Any = "response",
    ) -> Any:
        if media_types:  # named by an explicit annotation: as annotated
            return super()._get_response_for_code(serializer, status_code, media_types, direction)
        if not str(status_code).startswith("2"):
            return super()._get_response_for_code(
                serializer, status_code, [PROBLEM_JSON], direction
            )
        renderers = self._documented_renderers()
        shaped = self._shaped_body(serializer) if str(status_code) == "200" else None
        json_types = [
            renderer.media_type
            for renderer in renderers
            if isinstance(renderer, JSONRenderer) and document_schema(renderer) is None
        ]
        response: dict[str, Any] = super()._get_response_for_code(
            serializer, status_code, json_types or ["application/json"], direction
        )
        content = response.get("content")
        if content is None:
            return response
        if not json_types:  # an export: text only
            content.clear()
        for media_type in json_types if shaped else ():
            self._declare_shapes(content[media_type], shaped)  # type: ignore[arg-type]
        for renderer in renderers:
            media_type = renderer.media_type.split(";")[0]
            if media_type in content:
                continue
            if media_type in TEXT_BODIES:
                content[media_type] = build_media_type_object(dict(TEXT_BODIES[media_type]))
            elif component := document_schema(renderer):
                name, schema = component
                # A copy: the enum postprocessing hook rewrites component schemas in place.
                resolved = ResolvedComponent(
                    name=name,
                    type=ResolvedComponent.SCHEMA,
                    schema=copy.deepcopy(schema),
                    object=name,
                )
                self.registry.register_on_missing(resolved)
                content[media_type] = build_media_type_object(resolved.ref)
        return response


class NestedRelationExtension(OpenApiSerializerFieldExtension):
    """NestedSlugField and NestedPrimaryKeyField are written as a slug or an id and read as the
    related object's brief form: the request schema says the one, the response the other."""

    target_class = "api_project.rest.fields._BriefRepresentation"
    match_subclasses = True

    def map_serializer_field(self, auto_schema: AutoSchema, direction: Any) -> Any:
        if direction == "request":
            return auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        component = auto_schema.resolve_serializer(self.target.brief, direction)
        return component.ref


def public_reads(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Postprocessing hook: the document's default security is `[{}]`, anonymous access, which
    every read inherits; writes name their own requirements.

    Exactly `[{}]`: Swagger UI hides an operation's lock only for that (or for none), and
    openapi-python-client takes any security an operation names as required, so a read that
    listed `{}` beside the token would still demand an authenticated client in one or the
    other. A read still accepts a token (an editor then sees unverified stances)."""
    result["security"] = [{}]
    return result
