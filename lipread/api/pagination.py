from __future__ import annotations

from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    """?page=N&page_size=M, capped so no client can ask for the whole table."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
