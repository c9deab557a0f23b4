"""One error shape for every API: {"message": ..., "extra": {"fields": {...}}}.

Services raise ApplicationError; DRF and Django raise their own exceptions; this
handler turns them all into the same JSON so clients need one code path.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext, gettext_noop
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

VALIDATION_FAILED = gettext_noop("Some fields are not valid.")
NOT_FOUND = gettext_noop("Not found.")
PERMISSION_DENIED = gettext_noop("You do not have permission to do this.")


class ApplicationError(Exception):
    """A failure a client can act on; `status` is the HTTP status to answer with.

    Messages are English msgids (module constants marked with gettext_noop); they are
    translated here, in the language of the request being served, so API answers and
    pages speak the learner's language while tests and logs keep one constant.
    """

    def __init__(
        self, message: str, extra: dict[str, Any] | None = None, *, status: int = 400
    ) -> None:
        message = gettext(message)
        super().__init__(message)
        self.message = message
        self.extra = _translated(extra or {})
        self.status = status


def _translated(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _translated(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_translated(item) for item in value]
    if isinstance(value, str):
        return gettext(value)
    return value


def _flatten(detail: Any) -> Any:
    """ErrorDetail lists/dicts → plain strings, keeping the structure."""
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_flatten(item) for item in detail]
    return gettext(str(detail))


def _message_of(detail: Any) -> str:
    if isinstance(detail, dict):
        # simplejwt puts a dict {"detail", "code", "messages"} into its exceptions.
        if "detail" in detail:
            return str(detail["detail"])
        return str(next(iter(detail.values()), ""))
    if isinstance(detail, list):
        return str(detail[0]) if detail else ""
    return str(detail)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        extra = {"fields": {}, **exc.extra}
        return Response({"message": exc.message, "extra": extra}, status=exc.status)
    if isinstance(exc, DjangoValidationError):
        fields = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = exceptions.ValidationError(fields)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(NOT_FOUND)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(PERMISSION_DENIED)

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real bug: let Django report it as a 500

    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = {
            "message": gettext(VALIDATION_FAILED),
            "extra": {"fields": _flatten(detail)},
        }
    else:
        extra: dict[str, Any] = {"fields": {}}
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
            extra["retry_after"] = int(exc.wait + 0.999)
        code = getattr(exc, "default_code", None)
        if isinstance(exc.detail, dict) and "code" in exc.detail:
            code = str(exc.detail["code"])
        if code:
            extra["code"] = code
        response.data = {"message": gettext(_message_of(exc.detail)), "extra": extra}
    if response.status_code == status.HTTP_401_UNAUTHORIZED and "WWW-Authenticate" not in response:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response
