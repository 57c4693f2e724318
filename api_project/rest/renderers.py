"""JSON rendered by orjson: the same bytes DRF's renderer writes for the same data (compact,
UTF-8, DRF's encoder for dates and lazy strings), several times faster on large lists."""

from typing import Any

import orjson
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

_ENCODER = JSONEncoder()


def _default(value: Any) -> Any:
    return _ENCODER.default(value)


class ORJSONRenderer(JSONRenderer):
    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        if data is None:
            return b""
        if self.get_indent(accepted_media_type or "", renderer_context or {}):
            rendered: bytes = super().render(data, accepted_media_type, renderer_context)
            return rendered
        return orjson.dumps(data, default=_default, option=orjson.OPT_PASSTHROUGH_DATETIME)
