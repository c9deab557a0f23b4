"""Line media: URLs for the API and pages, and the access-checked file view.

In the embedded mode media sits on local disk and is served here, after checking
that the file belongs to a line of a roleplay the requester may see, with HTTP Range
support (browsers seek videos with Range requests and Safari refuses to play a video
without 206 answers). With S3 storage the URLs come from the storage (presigned or
CDN) and this view is not involved.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Iterator
from typing import IO

from django.core.files.storage import FileSystemStorage, default_storage
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.http import http_date
from django.views.decorators.http import require_http_methods
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError

from roleplay import selectors

CHUNK_SIZE = 64 * 1024
CONTENT_TYPES = {
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".vtt": "text/vtt; charset=utf-8",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".json": "application/json",
}
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def line_media_url(request: HttpRequest | None, field_file) -> str | None:
    """Absolute URL of a line's file, or None until it is rendered."""
    if not field_file:
        return None
    storage = field_file.storage
    if isinstance(storage, FileSystemStorage):
        url = reverse("media", kwargs={"path": field_file.name})
        return request.build_absolute_uri(url) if request is not None else url
    return storage.url(field_file.name)


def _request_user(request: HttpRequest):
    """The session user, or the user of a valid `Authorization: Bearer` token."""
    if request.user.is_authenticated:
        return request.user
    try:
        result = JWTAuthentication().authenticate(request)
    except (AuthenticationFailed, InvalidToken, TokenError):
        return request.user
    return result[0] if result else request.user


def parse_range(header: str | None, size: int) -> tuple[int, int] | bool | None:
    """(start, end inclusive) for a single satisfiable byte range.

    None: no usable Range header (serve the whole file — RFC 9110 lets a server
    ignore multi-range or malformed headers). False: unsatisfiable (416).
    """
    if not header:
        return None
    match = _RANGE.match(header.strip())
    if not match:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # suffix: the last N bytes
        suffix = int(last)
        if suffix == 0 or size == 0:
            return False
        return max(size - suffix, 0), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if last and end < start:
        return None
    if start >= size:
        return False
    return start, min(end, size - 1)


def _stream(handle: IO[bytes], start: int, length: int) -> Iterator[bytes]:
    try:
        handle.seek(start)
        remaining = length
        while remaining > 0:
            chunk = handle.read(min(CHUNK_SIZE, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
    finally:
        handle.close()


def content_type_for(name: str) -> str:
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    return CONTENT_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


@require_http_methods(["GET", "HEAD"])
def serve_line_media(request: HttpRequest, path: str) -> HttpResponse:
    """Serve one line's file with Range support; 404 unless the requester may see it."""
    user = _request_user(request)
    if selectors.line_for_media(user=user, name=path) is None:
        raise Http404
    try:
        size = default_storage.size(path)
        modified = default_storage.get_modified_time(path)
    except (OSError, NotImplementedError):
        raise Http404 from None

    byte_range = parse_range(request.headers.get("Range"), size)
    if byte_range is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        response["Accept-Ranges"] = "bytes"
        return response

    start, end = byte_range if byte_range else (0, size - 1)
    length = max(end - start + 1, 0)
    if request.method == "HEAD" or length == 0:
        response = HttpResponse(status=206 if byte_range else 200)
    else:
        response = StreamingHttpResponse(
            _stream(default_storage.open(path, "rb"), start, length),
            status=206 if byte_range else 200,
        )
    response["Content-Type"] = content_type_for(path)
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    response["Last-Modified"] = http_date(modified.timestamp())
    # Private: the check above is per user, so shared caches must not keep a copy.
    response["Cache-Control"] = "private, max-age=3600"
    if byte_range:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    return response
