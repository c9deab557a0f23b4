"""Websocket /ws/progress/: snapshot on connect, events only to the owner, after commit."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from django.db import transaction

from roleplay.models import Roleplay
from tests.roleplay.factories import make_roleplay
from tests.video_pipeline.jobs_fixtures import open_progress_socket
from video_pipeline.models import GenerationJob
from video_pipeline.progress import progress_publish, progress_snapshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def local_hosts(settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]


def generating(owner, *, progress: int = 40, seq: int = 3) -> Roleplay:
    roleplay = make_roleplay(owner=owner, lines=4, status="generating", progress=progress)
    GenerationJob.objects.create(
        roleplay=roleplay, status="running", step="render", progress=progress, seq=seq
    )
    return roleplay


def set_progress(roleplay_id: int, progress: int) -> None:
    with transaction.atomic():
        Roleplay.objects.filter(pk=roleplay_id).update(progress=progress)
        job = GenerationJob.objects.get(roleplay_id=roleplay_id)
        job.seq += 1
        job.progress = progress
        job.save()
        progress_publish(roleplay_id=roleplay_id)


async def test_connect_sends_one_snapshot_event_per_unfinished_roleplay(alice, bob, alice_api):
    mine = await sync_to_async(generating)(alice, progress=55, seq=7)
    await sync_to_async(make_roleplay)(owner=alice, lines=2, status="ready")
    await sync_to_async(generating)(bob)

    communicator = await open_progress_socket(alice_api)
    try:
        event = await communicator.receive_json_from(timeout=5)
        assert event == {
            "type": "progress",
            "id": 7,
            "roleplay": mine.pk,
            "title": mine.title,
            "status": "generating",
            "progress": 55,
            "step": "render",
            "line": 0,
            "lines": 4,
            "error": "",
        }
        assert await communicator.receive_nothing(timeout=0.3)
        await communicator.send_json_to({"action": "snapshot"})
        assert (await communicator.receive_json_from(timeout=5))["roleplay"] == mine.pk
    finally:
        await communicator.disconnect()


def test_snapshot_lists_only_the_users_unfinished_roleplays(alice, bob):
    queued = make_roleplay(owner=alice, lines=0, status="queued")
    generating(alice)
    make_roleplay(owner=alice, lines=1, status="failed")
    generating(bob)
    make_roleplay(owner=None, lines=1, status="generating")
    events = progress_snapshot(user_id=alice.pk)
    assert len(events) == 2
    assert {e["status"] for e in events} == {"queued", "generating"}
    assert events[0]["roleplay"] == queued.pk and events[0]["id"] == 0


async def test_alice_does_not_receive_bobs_progress(alice, bob, alice_api, bob_api):
    bobs = await sync_to_async(generating)(bob)
    alice_socket = await open_progress_socket(alice_api)
    bob_socket = await open_progress_socket(bob_api)
    try:
        assert (await bob_socket.receive_json_from(timeout=5))["roleplay"] == bobs.pk  # snapshot
        await sync_to_async(set_progress)(bobs.pk, 70)
        event = await bob_socket.receive_json_from(timeout=5)
        assert (event["roleplay"], event["progress"], event["id"]) == (bobs.pk, 70, 4)
        assert await alice_socket.receive_nothing(timeout=0.5)
    finally:
        await alice_socket.disconnect()
        await bob_socket.disconnect()


async def test_nothing_is_published_when_the_transaction_rolls_back(alice, alice_api):
    mine = await sync_to_async(generating)(alice)
    socket = await open_progress_socket(alice_api)
    try:
        await socket.receive_json_from(timeout=5)  # snapshot

        def rolled_back() -> None:
            with pytest.raises(RuntimeError), transaction.atomic():
                Roleplay.objects.filter(pk=mine.pk).update(progress=99)
                progress_publish(roleplay_id=mine.pk)
                raise RuntimeError("abort")

        await sync_to_async(rolled_back)()
        assert await socket.receive_nothing(timeout=0.5)
        await sync_to_async(set_progress)(mine.pk, 60)
        assert (await socket.receive_json_from(timeout=5))["progress"] == 60
    finally:
        await socket.disconnect()


async def test_official_renders_publish_to_nobody(alice, alice_api, settings):
    official = await sync_to_async(generating)(None)
    socket = await open_progress_socket(alice_api)
    try:
        await sync_to_async(set_progress)(official.pk, 50)
        assert await socket.receive_nothing(timeout=0.5)
    finally:
        await socket.disconnect()


def test_failure_reason_in_events_is_in_the_owners_language(alice, bob):
    from roleplay.dialogue import MSG_LLM_TIMEOUT
    from video_pipeline.progress import progress_event

    bob.language = "en"
    bob.save(update_fields=["language"])
    korean = make_roleplay(owner=alice, lines=0, status="failed", error=MSG_LLM_TIMEOUT)
    english = make_roleplay(owner=bob, lines=0, status="failed", error=MSG_LLM_TIMEOUT)
    assert progress_event(english)["error"] == MSG_LLM_TIMEOUT
    assert progress_event(korean)["error"].startswith("대화 작성 서비스가 제때 응답하지 않았어요")
