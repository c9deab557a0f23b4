"""GET /api/roleplays/<id>/events: the progress stream as server-sent events."""

from __future__ import annotations

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async
from django.db import transaction
from django.test import AsyncClient
from rest_framework_simplejwt.tokens import AccessToken

from roleplay.models import Roleplay
from tests.roleplay.factories import make_roleplay
from video_pipeline import sse
from video_pipeline.models import GenerationJob

pytestmark = pytest.mark.django_db(transaction=True)


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {AccessToken.for_user(user)}"}


def generating(owner, *, progress: int = 30, seq: int = 5) -> Roleplay:
    roleplay = make_roleplay(owner=owner, lines=2, status="generating", progress=progress)
    GenerationJob.objects.create(roleplay=roleplay, status="running", step="render", seq=seq)
    return roleplay


def advance(roleplay_id: int, *, progress: int, status: str = "generating") -> None:
    with transaction.atomic():
        Roleplay.objects.filter(pk=roleplay_id).update(progress=progress, status=status)
        job = GenerationJob.objects.get(roleplay_id=roleplay_id)
        job.seq += 1
        job.save()


def parse(body: str) -> list[dict]:
    """SSE frames → [{"id", "event", "data"}], skipping retry/comment frames."""
    frames = []
    for block in body.split("\n\n"):
        fields = dict(
            line.split(": ", 1) for line in block.splitlines() if ": " in line and line[0] != ":"
        )
        if "data" in fields:
            frames.append(
                {
                    "id": int(fields["id"]),
                    "event": fields["event"],
                    "data": json.loads(fields["data"]),
                }
            )
    return frames


async def read_stream(response, timeout: float = 20) -> list[dict]:
    chunks = []

    async def consume() -> None:
        async for chunk in response.streaming_content:
            chunks.append(chunk.decode() if isinstance(chunk, bytes) else chunk)

    await asyncio.wait_for(consume(), timeout)
    return parse("".join(chunks))


@pytest.fixture(autouse=True)
def fast_polling(monkeypatch):
    monkeypatch.setattr(sse, "POLL_INTERVAL_S", 0.05)


async def test_a_finished_roleplay_streams_its_state_and_ends(alice):
    roleplay = await sync_to_async(make_roleplay)(owner=alice, lines=2, rendered=True)
    response = await AsyncClient().get(
        f"/api/roleplays/{roleplay.pk}/events",
        headers={**bearer(alice), "Accept": "text/event-stream"},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/event-stream")
    assert response["Cache-Control"] == "no-cache"
    frames = await read_stream(response)
    assert len(frames) == 1
    assert frames[0]["event"] == "progress"
    assert frames[0]["data"]["status"] == "ready" and frames[0]["data"]["progress"] == 100


async def test_events_follow_the_database_until_ready(alice):
    roleplay = await sync_to_async(generating)(alice, progress=30, seq=5)

    response = await AsyncClient().get(
        f"/api/roleplays/{roleplay.pk}/events", headers=bearer(alice)
    )
    assert response.status_code == 200
    reader = asyncio.ensure_future(read_stream(response))
    # Writes go through the same thread as the stream's polls (sync_to_async is
    # thread-sensitive): SQLite's shared in-memory test database locks whole tables.
    for progress in (50, 75):
        await asyncio.sleep(0.5)
        await sync_to_async(advance)(roleplay.pk, progress=progress)
    await asyncio.sleep(0.5)
    await sync_to_async(advance)(roleplay.pk, progress=100, status="ready")
    frames = await reader
    # Polling may merge changes that land between two polls, never reorder or repeat them.
    progress = [f["data"]["progress"] for f in frames]
    ids = [f["id"] for f in frames]
    assert progress[0] == 30 and progress[-1] == 100 and len(progress) >= 3
    assert progress == sorted(set(progress)) and set(progress) <= {30, 50, 75, 100}
    assert ids[0] == 5 and ids[-1] == 8 and ids == sorted(set(ids))
    assert frames[-1]["data"]["status"] == "ready"


async def test_last_event_id_resumes_with_current_state_then_newer_events(alice):
    roleplay = await sync_to_async(generating)(alice, progress=40, seq=9)
    response = await AsyncClient().get(
        f"/api/roleplays/{roleplay.pk}/events", headers={**bearer(alice), "Last-Event-ID": "9"}
    )

    reader = asyncio.ensure_future(read_stream(response))
    await asyncio.sleep(0.3)
    await sync_to_async(advance)(roleplay.pk, progress=100, status="ready")
    frames = await reader
    assert [f["id"] for f in frames] == [9, 10]
    assert frames[-1]["data"]["status"] == "ready"


async def test_the_session_authenticates_the_stream(alice):
    roleplay = await sync_to_async(make_roleplay)(owner=alice, lines=1, rendered=True)
    client = AsyncClient()
    await client.aforce_login(alice)
    response = await client.get(f"/api/roleplays/{roleplay.pk}/events")
    assert response.status_code == 200
    assert (await read_stream(response))[0]["data"]["roleplay"] == roleplay.pk


async def test_alice_cannot_read_bobs_events(alice, bob):
    bobs = await sync_to_async(generating)(bob)
    response = await AsyncClient().get(
        f"/api/roleplays/{bobs.pk}/events", headers={**bearer(alice), "Accept": "text/event-stream"}
    )
    assert response.status_code == 404
    assert json.loads(response.content)["message"]


async def test_events_need_authentication_and_a_valid_id(alice):
    roleplay = await sync_to_async(generating)(alice)
    assert (await AsyncClient().get(f"/api/roleplays/{roleplay.pk}/events")).status_code == 401
    response = await AsyncClient().get("/api/roleplays/nope/events", headers=bearer(alice))
    assert response.status_code == 404
