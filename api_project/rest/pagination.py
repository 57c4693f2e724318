"""Pagination: cursors where rows arrive live, limit/offset elsewhere; pages are capped."""

from typing import Any

from rest_framework.pagination import CursorPagination, LimitOffsetPagination

MAX_PAGE_SIZE = 500


class _EveryKeyRequired:
    """A page always carries every key (`next` is null on the last page): the schema says so,
    and a generated client types `next` as "string or null", not "maybe absent"."""

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        page: dict[str, Any] = super().get_paginated_response_schema(schema)  # type: ignore[misc]
        page["required"] = list(page["properties"])
        return page

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)  # type: ignore[misc]
        for parameter in parameters:
            if parameter["name"] == "limit":
                parameter["description"] = f"Results per page, at most {MAX_PAGE_SIZE}."
                parameter["schema"]["minimum"] = 1
        return parameters


class LimitOffset(_EveryKeyRequired, LimitOffsetPagination):
    default_limit = 50
    max_limit = MAX_PAGE_SIZE


class EntryCursor(_EveryKeyRequired, CursorPagination):
    """Stable while a live blog grows: new entries never shift the pages a client holds."""

    page_size = 50
    page_size_query_param = "limit"
    max_page_size = MAX_PAGE_SIZE
    ordering = ("-published_at", "-id")
