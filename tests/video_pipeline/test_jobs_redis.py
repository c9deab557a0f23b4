"""The production shape: Redis broker + a real `manage.py rundramatiq` worker process.

Kill -9 the worker (its whole process group, like a machine going down) after two
lines are rendered, start a new one: the job completes with exactly the dialogue's
lines, each rendered once. Needs Redis on 127.0.0.1:6379 (`make test` uses it when
it answers; with CI=true it is required). The database must be shared with the
worker process: PostgreSQL as is, or a temporary SQLite file in SQLite mode.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections

from roleplay.models import Line, Roleplay
from video_pipeline.models import GenerationJob

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]

REDIS_URL = "redis://127.0.0.1:6379/14"
ROOT = Path(__file__).resolve().parents[2]
CREATE = {
    "title": "은행에서 통장 만들기",
    "description": "은행 창구에서 새 통장을 만들어요.",
    "language": "ko",
    "roles": [
        {"name": "손님", "description": "통장을 만들러 온 손님", "voice": "older_woman"},
        {"name": "은행원", "description": "창구 직원", "voice": "man"},
    ],
    "must_words": ["통장"],
}


@pytest.fixture
def redis_client():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but Redis is not answering on 127.0.0.1:6379")
        pytest.skip("Redis not running (make test starts nothing here)")
    client.flushdb()
    yield client
    client.flushdb()


@pytest.fixture
def shared_database_url(transactional_db, tmp_path):
    """A DATABASE_URL another process can open, pointing at this test's data."""
    data = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = data["USER"] + (f":{data['PASSWORD']}" if data.get("PASSWORD") else "")
        host, port = data["HOST"] or "127.0.0.1", data["PORT"] or 5432
        yield f"postgres://{auth}@{host}:{port}/{data['NAME']}"
        return
    assert connection.vendor == "sqlite"
    # The in-memory test database is private to this process: switch to a file for the
    # duration of the test, keeping the in-memory connection to restore afterwards.
    # Other threads of this process (asgiref's executor serving the websocket consumer)
    # open their own connections from the handler's settings: point those there too.
    path = tmp_path / "shared.sqlite3"
    in_memory_name, in_memory_connection = data["NAME"], connection.connection
    handler_settings = connections.settings["default"]
    handler_name = handler_settings["NAME"]
    connection.connection = None
    data["NAME"] = handler_settings["NAME"] = str(path)
    call_command("migrate", verbosity=0, interactive=False)
    yield f"sqlite:///{path}"
    connection.close()
    data["NAME"], handler_settings["NAME"] = in_memory_name, handler_name
    connection.connection = in_memory_connection


class WorkerProcess:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log = env, log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        handle = open(self.log, "ab")  # noqa: SIM115  (closed with the process)
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "rundramatiq", "--processes", "1", "--threads", "1"],
            cwd=ROOT,
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so kill -9 takes the children
        )
        handle.close()

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def wait_until(predicate, *, timeout: float, what: str, log: Path, every: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
    raise AssertionError(f"timed out waiting for {what}\n--- worker log ---\n{tail}")


def worker_env(database_url: str, home: Path, *, size: int = 256) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(home)),
        "DJANGO_SETTINGS_MODULE": "lipread.settings",
        "DEBUG": "1",
        "DATABASE_URL": database_url,
        "LIPREAD_BROKER_URL": REDIS_URL,
        "REDIS_URL": REDIS_URL,
        "LIPREAD_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "LIPREAD_RENDER_SIZE": str(size),
        "OMP_NUM_THREADS": "1",
        "LOG_LEVEL": "INFO",
    }


def create_on_redis(api_client) -> tuple[int, GenerationJob]:
    """POST /api/roleplays, then hand its job to the Redis broker the worker consumes.

    The test process itself runs on the stub broker (no LIPREAD_BROKER_URL in tests),
    so the message the API enqueued there is moved to Redis.
    """
    import dramatiq
    from dramatiq.brokers.redis import RedisBroker

    import video_pipeline.actors  # noqa: F401  (declares the queues on the stub broker)

    response = api_client.post("/api/roleplays", CREATE, format="json")
    assert response.status_code == 202, response.json()
    roleplay_id = response.json()["id"]
    job = GenerationJob.objects.get(roleplay_id=roleplay_id)
    dramatiq.get_broker().flush_all()
    RedisBroker(url=REDIS_URL).enqueue(
        dramatiq.Message(
            queue_name="dialogue",
            actor_name="generate_roleplay",
            args=(job.pk,),
            kwargs={},
            options={},
        )
    )
    return roleplay_id, job


def test_killed_worker_resumes_the_job_without_duplicate_or_missing_lines(
    shared_database_url, redis_client, alice_api, tmp_path
):
    # shared_database_url first: alice must be created in the database the worker sees.
    # Large frames make each line take long enough (~0.5 s) that the kill lands mid-job
    # on a fast machine too; at 256 px a quiet machine could finish before the kill.
    env = worker_env(shared_database_url, tmp_path, size=1024)
    log = tmp_path / "worker.log"
    roleplay_id, job = create_on_redis(alice_api)
    first = WorkerProcess(env, log)
    second = WorkerProcess(env, log)
    try:
        first.start()

        def ready_lines() -> int:
            return Line.objects.filter(roleplay_id=roleplay_id, status="ready").count()

        wait_until(
            lambda: ready_lines() >= 2, timeout=180, what="two rendered lines", log=log, every=0.02
        )
        first.kill()
        written = list(
            Line.objects.filter(roleplay_id=roleplay_id).order_by("order").values_list("id", "text")
        )
        killed_at = ready_lines()
        assert 2 <= killed_at < len(written), "the job should still have lines left"

        second.start()
        wait_until(
            lambda: Roleplay.objects.filter(
                pk=roleplay_id, status__in=["ready", "failed"]
            ).exists(),
            timeout=240,
            what="the job to finish after the restart",
            log=log,
        )
    finally:
        first.stop()
        second.stop()

    roleplay = Roleplay.objects.get(pk=roleplay_id)
    assert (roleplay.status, roleplay.progress) == ("ready", 100), roleplay.error
    lines = list(Line.objects.filter(roleplay_id=roleplay_id).order_by("order"))
    assert [(line.id, line.text) for line in lines] == written  # the same dialogue, no new one
    orders = [line.order for line in lines]
    assert orders == list(range(1, len(lines) + 1))
    assert all(line.status == "ready" and line.has_assets for line in lines)

    folder = Path(settings.MEDIA_ROOT) / "lines" / str(roleplay_id)
    files = sorted(p.name for p in folder.iterdir())
    assert len(files) == 4 * len(lines), files  # one mp4/vtt/json/jpg per line, none twice
    for line in lines:
        assert {
            Path(getattr(line, f).name).name for f in ("video", "captions", "poster", "timeline")
        } <= set(files)
    job.refresh_from_db()
    assert (job.status, job.progress) == ("done", 100)
    assert job.attempts >= 2  # resumed by the second worker


@pytest.fixture
def redis_channel_layer(settings):
    """This process's consumers on the same Redis layer the worker process publishes to."""
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": "lipread"},
        }
    }
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]


@pytest.fixture
def push_service():
    from tests.video_pipeline.fake_push_service import FakePushService

    with FakePushService() as service:
        yield service


def test_worker_process_streams_progress_renders_playable_videos_and_pushes(
    shared_database_url, redis_client, redis_channel_layer, alice_api, push_service, tmp_path
):
    """The production shape end to end: API → Redis → rundramatiq → websocket, MP4, push."""
    import av
    from asgiref.sync import async_to_sync, sync_to_async
    from django.core.files.storage import default_storage

    from tests.video_pipeline.jobs_fixtures import events_until_finished, open_progress_socket

    subscription = push_service.subscription()
    assert alice_api.post("/api/devices", subscription, format="json").status_code == 201
    log = tmp_path / "worker.log"
    process = WorkerProcess(worker_env(shared_database_url, tmp_path), log)

    async def watch() -> list[dict]:
        communicator = await open_progress_socket(alice_api)
        try:
            roleplay_id, _ = await sync_to_async(create_on_redis)(alice_api)
            process.start()
            return await events_until_finished(communicator, roleplay_id, timeout=240)
        finally:
            await communicator.disconnect()

    try:
        # async_to_sync, not asyncio.run: the consumer's database calls then run on this
        # thread, whose connection is the shared database (SQLite mode) the worker uses.
        events = async_to_sync(watch)()
    except AssertionError as error:
        tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
        raise AssertionError(f"{error}\n--- worker log ---\n{tail}") from None
    finally:
        process.stop()

    progress = [event["progress"] for event in events]
    assert events[-1]["status"] == "ready", events[-1]
    assert progress == sorted(progress) and progress[-1] == 100
    assert len(set(progress)) >= 4  # the dialogue, then line by line
    roleplay_id = events[-1]["roleplay"]
    lines = list(Line.objects.filter(roleplay_id=roleplay_id).order_by("order"))
    assert 6 <= len(lines) <= 10 and any("통장" in line.text for line in lines)
    for line in lines:
        with default_storage.open(line.video.name) as handle, av.open(handle) as container:
            assert container.streams.video[0].codec_context.name == "h264"
            assert container.streams.audio[0].codec_context.name == "aac"
            assert sum(1 for _ in container.decode(video=0)) > 0
    media = alice_api.get(f"/media/{lines[0].video.name}", HTTP_RANGE="bytes=0-99")
    assert media.status_code == 206 and len(b"".join(media.streaming_content)) == 100
    received = push_service.wait_for(1, timeout=20)
    assert not push_service.rejected
    assert received[0].payload["title"] == f"{CREATE['title']} 역할극 생성이 완료되었습니다."
