"""Server-sent events for one roleplay: GET /api/roleplays/<id>/events.

For clients that cannot keep a websocket (or prefer plain HTTP). The view is a DRF
APIView so authentication (session or JWT), the JSON error shape and the schema
are the same as everywhere else; the body is an async generator that polls the
database, which is where the state lives anyway. Event ids are the job's ``seq``:
a reconnecting EventSource sends Last-Event-ID and gets the current state first,
then only newer events. The stream ends once the roleplay is ready or failed.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator

from asgiref.sync import sync_to_async
from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from roleplay.models import Roleplay
from roleplay.selectors import roleplay_lookup
from video_pipeline.progress import progress_event

POLL_INTERVAL_S = 0.5
KEEPALIVE_S = 15.0
MAX_STREAM_S = 10 * 60  # EventSource reconnects by itself; no stream lives forever
RETRY_MS = 2000
FINISHED = (Roleplay.Status.READY, Roleplay.Status.FAILED)


class EventStreamRenderer(BaseRenderer):
    """Lets `Accept: text/event-stream` pass negotiation; errors still go out as JSON text."""

    media_type = "text/event-stream"
    format = "sse"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        return json.dumps(data, ensure_ascii=False).encode()


def format_event(event: dict) -> str:
    data = json.dumps(event, ensure_ascii=False)
    return f"id: {event['id']}\nevent: progress\ndata: {data}\n\n"


def _current(roleplay_id: int) -> dict | None:
    roleplay = Roleplay.objects.filter(pk=roleplay_id).first()
    return progress_event(roleplay) if roleplay is not None else None


async def event_stream(
    roleplay_id: int,
    *,
    last_event_id: int = 0,
    poll_interval: float = POLL_INTERVAL_S,
    max_seconds: float = MAX_STREAM_S,
) -> AsyncIterator[str]:
    current = sync_to_async(_current)
    event = await current(roleplay_id)
    yield f"retry: {RETRY_MS}\n\n"
    if event is None:
        return
    yield format_event(event)
    sent = max(event["id"], last_event_id)
    shown = (event["status"], event["progress"], event["line"])
    started = last_write = time.monotonic()
    while event["status"] not in FINISHED and time.monotonic() - started < max_seconds:
        await asyncio.sleep(poll_interval)
        event = await current(roleplay_id)
        if event is None:
            return
        state = (event["status"], event["progress"], event["line"])
        if event["id"] > sent or state != shown:
            yield format_event(event)
            sent, shown, last_write = max(sent, event["id"]), state, time.monotonic()
        elif time.monotonic() - last_write > KEEPALIVE_S:
            yield ": keepalive\n\n"
            last_write = time.monotonic()


def _last_event_id(request: Request) -> int:
    raw = request.headers.get("Last-Event-ID") or request.query_params.get("last_event_id") or ""
    try:
        return max(0, int(raw))
    except ValueError:
        return 0


class RoleplayEventsApi(APIView):
    renderer_classes = [JSONRenderer, EventStreamRenderer]

    @extend_schema(
        summary="Progress events (SSE)",
        description=(
            "text/event-stream of `progress` events for one of your roleplays, the same JSON "
            "as the websocket: {type, id, roleplay, status, progress, step, line, lines, "
            "error}. The current state comes first; with Last-Event-ID only newer events "
            "follow. Ends when the roleplay is ready or failed. Another learner's roleplay "
            "is a 404."
        ),
        responses={200: OpenApiResponse(OpenApiTypes.STR, description="text/event-stream")},
        tags=["realtime"],
    )
    def get(self, request: Request, roleplay_id: str) -> StreamingHttpResponse:
        roleplay = roleplay_lookup(Roleplay.objects.owned_by(request.user), roleplay_id)
        response = StreamingHttpResponse(
            event_stream(roleplay.pk, last_event_id=_last_event_id(request)),
            content_type="text/event-stream; charset=utf-8",
        )
        response["Cache-Control"] = "no-cache"
        response["X-Accel-Buffering"] = "no"
        return response
