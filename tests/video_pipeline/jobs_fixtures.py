"""Fixtures for generation-job tests; import them explicitly where needed.

`broker` is the settings' stub broker, flushed; `worker` a Dramatiq worker thread on it
(django_dramatiq README). Renders are 256 px to keep tests quick.
"""

from __future__ import annotations

import asyncio

import dramatiq
import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from dramatiq import Worker


@pytest.fixture
def small_renders(settings):
    settings.LIPREAD_RENDER_SIZE = 256


@pytest.fixture
def broker(small_renders):
    broker = dramatiq.get_broker()
    broker.flush_all()
    yield broker
    broker.flush_all()


@pytest.fixture
def worker(broker):
    # One thread: SQLite's shared in-memory test database does not like concurrent writers.
    worker = Worker(broker, worker_threads=1, worker_timeout=100)
    worker.start()
    yield worker
    worker.stop()


def drain(broker, worker) -> None:
    """Run until no queue (delays included) has work left; actors enqueue further work."""
    for _ in range(20):
        for queue in ("dialogue", "video", "library"):
            if queue in broker.queues:
                broker.join(queue, fail_fast=True, timeout=180_000)
        worker.join()
        if all(not broker.queues[q].qsize() for q in broker.queues):
            return


async def open_progress_socket(api_client) -> WebsocketCommunicator:
    ticket = (await sync_to_async(api_client.post)("/api/realtime/ticket")).json()["ticket"]
    communicator = WebsocketCommunicator(
        _asgi_app(),
        f"/ws/progress/?ticket={ticket}",
        headers=[(b"origin", b"http://127.0.0.1:8000"), (b"host", b"127.0.0.1")],
    )
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def events_until_finished(communicator, roleplay_id: int, timeout: float = 120) -> list:
    """Progress events for one roleplay until it is ready or failed."""
    events = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        # Poll rather than wait: a timed-out receive cancels the application, and the
        # in-memory layer is fed from the worker thread without waking this loop.
        if communicator.output_queue.empty():
            await asyncio.sleep(0.05)
            continue
        event = await communicator.receive_json_from(timeout=1)
        if event.get("roleplay") != roleplay_id:
            continue
        events.append(event)
        if event["status"] in ("ready", "failed"):
            return events
    raise AssertionError(f"no final event within {timeout}s; got {events}")


def _asgi_app():
    from lipread.asgi import application

    return application
