"""The OpenAPI schema's view of the shared behaviour: public reads, problem-details errors."""

from typing import Any

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS


class FieldErrorsField(serializers.DictField):
    child = serializers.ListField(child=serializers.CharField())


class ProblemSerializer(serializers.Serializer[Any]):
    """RFC 9457 problem details; `errors` maps each invalid field or parameter to messages."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = FieldErrorsField(required=False)  # type: ignore[assignment]


READ_ERRORS = {400: ProblemSerializer, 404: ProblemSerializer, 429: ProblemSerializer}
WRITE_ERRORS = {
    **READ_ERRORS,
    401: ProblemSerializer,
    403: ProblemSerializer,
    409: ProblemSerializer,
    412: ProblemSerializer,
    413: ProblemSerializer,
}


class RecordAutoSchema(AutoSchema):
    def get_auth(self) -> list[dict[str, Any]]:
        """Reads need no authentication: say so, instead of the default "secured"."""
        auths: list[dict[str, Any]] = super().get_auth()
        if self.method in SAFE_METHODS and {} not in auths:
            auths.append({})
        return auths

    def get_response_serializers(self) -> Any:
        serializer = super().get_response_serializers()
        if isinstance(serializer, dict):
            return serializer
        success = 204 if self.method == "DELETE" else 201 if self.method == "POST" else 200
        errors = READ_ERRORS if self.method in SAFE_METHODS else WRITE_ERRORS
        return {success: None if success == 204 else serializer, **errors}
