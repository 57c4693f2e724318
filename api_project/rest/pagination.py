"""Pagination: cursors where rows arrive live, limit/offset elsewhere; pages are capped."""

from rest_framework.pagination import CursorPagination, LimitOffsetPagination

MAX_PAGE_SIZE = 500


class LimitOffset(LimitOffsetPagination):
    default_limit = 50
    max_limit = MAX_PAGE_SIZE


class EntryCursor(CursorPagination):
    """Stable while a live blog grows: new entries never shift the pages a client holds."""

    page_size = 50
    page_size_query_param = "limit"
    max_page_size = MAX_PAGE_SIZE
    ordering = ("-published_at", "-id")
