# ruff: noqa: F811  (pytest fixtures imported from jobs_fixtures are parameters here)
"""The embedded default end to end: API → stub broker + worker → websocket → MP4s → push."""

from __future__ import annotations

import io

import av
import pytest
from asgiref.sync import sync_to_async
from django.core.files.storage import default_storage

from roleplay.models import Line, Roleplay
from tests.video_pipeline.fake_push_service import FakePushService
from tests.video_pipeline.jobs_fixtures import (  # noqa: F401
    broker,
    events_until_finished,
    open_progress_socket,
    small_renders,
    worker,
)
from video_pipeline.models import GenerationJob

pytestmark = pytest.mark.django_db(transaction=True)

CREATE = {
    "title": "비 오는 날 카페",
    "description": "비 오는 날 카페에서 따뜻한 음료를 주문해요.",
    "language": "ko",
    "roles": [
        {"name": "손님", "description": "우산을 든 손님", "voice": "woman"},
        {"name": "직원", "description": "카페 직원", "voice": "man"},
    ],
    "must_words": ["우산"],
}


@pytest.fixture
def local_hosts(settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]


@pytest.fixture
def push_service():
    with FakePushService() as service:
        yield service


def decode_frames(data: bytes) -> tuple[int, bool]:
    with av.open(io.BytesIO(data)) as container:
        has_audio = bool(container.streams.audio)
        frames = sum(1 for _ in container.decode(video=0))
    return frames, has_audio


async def test_created_roleplay_streams_progress_renders_playable_videos_and_pushes(
    alice,
    alice_api,
    worker,
    push_service,
    local_hosts,
):
    subscription = push_service.subscription()
    response = await sync_to_async(alice_api.post)("/api/devices", subscription, format="json")
    assert response.status_code == 201

    communicator = await open_progress_socket(alice_api)
    try:
        response = await sync_to_async(alice_api.post)("/api/roleplays", CREATE, format="json")
        assert response.status_code == 202, response.json()
        roleplay_id = response.json()["id"]
        events = await events_until_finished(communicator, roleplay_id)
    finally:
        await communicator.disconnect()

    progress = [e["progress"] for e in events]
    assert events[-1]["status"] == "ready", events[-1]
    assert progress == sorted(progress) and progress[-1] == 100
    assert len(set(progress)) >= 4  # dialogue + several lines, not one jump
    assert [e["id"] for e in events] == sorted({e["id"] for e in events})  # no repeats
    assert any(e["step"] == "render" for e in events)

    roleplay = await sync_to_async(Roleplay.objects.get)(pk=roleplay_id)
    lines = await sync_to_async(list)(Line.objects.filter(roleplay=roleplay).order_by("order"))
    assert (roleplay.status, roleplay.progress) == ("ready", 100)
    assert 6 <= len(lines) <= 10
    assert any("우산" in line.text for line in lines)
    for line in lines:
        assert line.status == "ready" and line.rendered_text == line.text
        assert line.video.name.startswith(f"lines/{roleplay_id}/{line.pk}-")
        with default_storage.open(line.video.name) as handle:
            frames, has_audio = decode_frames(handle.read())
        assert has_audio and frames == pytest.approx(line.duration * 25, abs=3)
    first = lines[0]
    media = await sync_to_async(alice_api.get)(
        f"/media/{first.video.name}", HTTP_RANGE="bytes=0-99"
    )
    assert media.status_code == 206
    assert media["Content-Range"].startswith("bytes 0-99/")

    job = await sync_to_async(GenerationJob.objects.get)(roleplay_id=roleplay_id)
    assert (job.status, job.step, job.progress, job.attempts) == ("done", "done", 100, 1)
    assert job.finished_at is not None

    received = await sync_to_async(push_service.wait_for)(1)
    assert not push_service.rejected
    assert len(received) == 1
    assert received[0].payload["title"] == "비 오는 날 카페 역할극 생성이 완료되었습니다."
    assert received[0].payload["url"] == f"/roleplays/{roleplay_id}/"
    assert received[0].endpoint == subscription["endpoint"]


def test_render_size_comes_from_settings(settings):
    from video_pipeline.services import render_size

    assert render_size() == 512
    settings.LIPREAD_RENDER_SIZE = 320
    assert render_size() == 320
