"""Progress events: state lives in the database; these functions only deliver it.

Every event is built from committed rows, so a client that missed some (channels is
at-most-once) catches up with the next one or with a snapshot on reconnect.
"""

from __future__ import annotations

import asyncio
import logging

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.db import transaction
from django.db.models import Count, Q
from django.utils import translation

from video_pipeline.realtime import user_group

logger = logging.getLogger(__name__)

# The event loop the websocket consumers run on, for the in-memory channel layer (see _send).
_server_loop: asyncio.AbstractEventLoop | None = None


def progress_event(roleplay, job=None) -> dict:
    """The client-facing state of one roleplay (websocket, SSE and snapshot share it)."""
    from roleplay.models import Line
    from video_pipeline.models import GenerationJob

    if job is None:
        job = GenerationJob.objects.filter(roleplay=roleplay).order_by("-id").first()
    counts = Line.objects.filter(roleplay=roleplay).aggregate(
        total=Count("id"), ready=Count("id", filter=Q(status=Line.Status.READY))
    )
    return {
        "type": "progress",
        "id": job.seq if job else 0,
        "roleplay": roleplay.pk,
        "title": roleplay.title,
        "status": roleplay.status,
        "progress": roleplay.progress,
        "step": job.step if job else "",
        "line": counts["ready"],
        "lines": counts["total"],
        "error": _in_owners_language(roleplay, roleplay.error),
    }


def _in_owners_language(roleplay, message: str) -> str:
    """Stored failure reasons are English msgids; events reach one learner, in their language."""
    if not message or roleplay.owner_id is None:
        return message
    with translation.override(roleplay.owner.language):
        return translation.gettext(message)


def progress_snapshot(*, user_id: int) -> list[dict]:
    """One progress event per unfinished roleplay of the user."""
    from roleplay.models import Roleplay

    roleplays = Roleplay.objects.personal().filter(owner_id=user_id).unfinished().order_by("id")
    return [progress_event(roleplay) for roleplay in roleplays]


def progress_publish(*, roleplay_id: int) -> None:
    """Send the roleplay's state to its owner's group once the current transaction commits.

    Official-library renders have no owner and publish nothing.
    """
    transaction.on_commit(lambda: _send(roleplay_id))


def _send(roleplay_id: int) -> None:
    from roleplay.models import Roleplay

    roleplay = Roleplay.objects.filter(pk=roleplay_id).first()
    if roleplay is None or roleplay.owner_id is None:
        return
    layer = get_channel_layer()
    if layer is None:
        return
    group = user_group(roleplay.owner_id)
    message = {"type": "progress", "data": progress_event(roleplay)}
    try:
        loop = _server_loop
        if isinstance(layer, InMemoryChannelLayer) and loop is not None and loop.is_running():
            # The in-memory layer is a dict of asyncio queues that belong to the server's
            # loop. Sent from another thread's loop (a Dramatiq worker's async_to_sync), a
            # waiting consumer is woken without its loop noticing: the event then waits for
            # the server's next timer (daphne: up to 1 s; a loop without timers: forever),
            # and the layer's dicts change under the loop's feet. Send on that loop instead.
            # Not waited for: the loop's thread may itself be waiting for this one (tests).
            future = asyncio.run_coroutine_threadsafe(layer.group_send(group, message), loop)
            future.add_done_callback(lambda done: _log_failure(done, roleplay_id))
        else:
            async_to_sync(layer.group_send)(group, message)
    except Exception:  # delivery is best effort: the state is already in the database
        logger.exception("Could not publish progress of roleplay %s", roleplay_id)


def _log_failure(future, roleplay_id: int) -> None:
    if not future.cancelled() and future.exception() is not None:
        logger.error(
            "Could not publish progress of roleplay %s",
            roleplay_id,
            exc_info=future.exception(),
        )


def bind_server_loop(loop: asyncio.AbstractEventLoop) -> None:
    """Remember the loop websocket consumers run on (used with the in-memory layer only).

    Called by the consumer on connect, i.e. on the server's own loop.
    """
    global _server_loop
    if isinstance(get_channel_layer(), InMemoryChannelLayer):
        _server_loop = loop
