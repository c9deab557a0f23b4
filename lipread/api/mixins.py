"""Small helpers shared by API views of every app."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.response import Response

from lipread.api.pagination import StandardPagination


def paginated_response(
    *,
    queryset: Any,
    serializer_class: Any,
    request: Request,
    view: Any,
    context: dict[str, Any] | None = None,
) -> Response:
    paginator = StandardPagination()
    page = paginator.paginate_queryset(queryset, request, view=view)
    serializer = serializer_class(page, many=True, context={"request": request, **(context or {})})
    return paginator.get_paginated_response(serializer.data)
