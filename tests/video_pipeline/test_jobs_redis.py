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
from django.db import connection

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
    path = tmp_path / "shared.sqlite3"
    in_memory_name, in_memory_connection = data["NAME"], connection.connection
    connection.connection = None
    data["NAME"] = str(path)
    call_command("migrate", verbosity=0, interactive=False)
    yield f"sqlite:///{path}"
    connection.close()
    data["NAME"] = in_memory_name
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


def wait_until(predicate, *, timeout: float, what: str, log: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
    raise AssertionError(f"timed out waiting for {what}\n--- worker log ---\n{tail}")


def test_killed_worker_resumes_the_job_without_duplicate_or_missing_lines(
    shared_database_url, redis_client, alice_api, tmp_path
):
    # shared_database_url first: alice must be created in the database the worker sees.
    import dramatiq
    from dramatiq.brokers.redis import RedisBroker

    import video_pipeline.actors  # noqa: F401  (declares the queues on the stub broker)

    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "DJANGO_SETTINGS_MODULE": "lipread.settings",
        "DEBUG": "1",
        "DATABASE_URL": shared_database_url,
        "LIPREAD_BROKER_URL": REDIS_URL,
        "REDIS_URL": REDIS_URL,
        "LIPREAD_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "LIPREAD_RENDER_SIZE": "256",
        "OMP_NUM_THREADS": "1",
        "LOG_LEVEL": "INFO",
    }
    log = tmp_path / "worker.log"

    response = alice_api.post("/api/roleplays", CREATE, format="json")
    assert response.status_code == 202, response.json()
    roleplay_id = response.json()["id"]
    job = GenerationJob.objects.get(roleplay_id=roleplay_id)
    dramatiq.get_broker().flush_all()  # the test process's stub broker is not the worker's

    redis_broker = RedisBroker(url=REDIS_URL)
    redis_broker.enqueue(
        dramatiq.Message(
            queue_name="dialogue",
            actor_name="generate_roleplay",
            args=(job.pk,),
            kwargs={},
            options={},
        )
    )
    first = WorkerProcess(env, log)
    second = WorkerProcess(env, log)
    try:
        first.start()

        def ready_lines() -> int:
            return Line.objects.filter(roleplay_id=roleplay_id, status="ready").count()

        wait_until(lambda: ready_lines() >= 2, timeout=180, what="two rendered lines", log=log)
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
