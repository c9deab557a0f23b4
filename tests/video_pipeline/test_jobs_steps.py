# ruff: noqa: F811  (pytest fixtures imported from jobs_fixtures are parameters here)
"""Job steps one by one: resume rules, line failure and retry, LLM backend, S3 storage."""

from __future__ import annotations

import socket

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from roleplay.dialogue import MSG_LLM_UNAVAILABLE
from roleplay.models import Line, Roleplay
from tests.factories import UserFactory
from tests.roleplay.factories import make_roleplay
from tests.roleplay.fake_openai_chat import FakeChatServer
from tests.video_pipeline.jobs_fixtures import broker, drain, small_renders, worker  # noqa: F401
from video_pipeline import services
from video_pipeline.engine.types import EngineError
from video_pipeline.models import GenerationJob

pytestmark = pytest.mark.django_db(transaction=True)

CREATE = {
    "title": "약국에서 약 사기",
    "description": "감기약을 사러 약국에 가요.",
    "language": "ko",
    "roles": [{"name": "손님", "voice": "woman"}, {"name": "약사", "voice": "older_man"}],
    "must_words": [],
}
LLM_DIALOGUE = {
    "emoji": "💊",
    "lines": [
        {"role": "A", "text": "안녕하세요. 감기약 있어요?"},
        {"role": "B", "text": "네, 어디가 아프세요?"},
        {"role": "A", "text": "목이 아프고 열이 나요."},
        {"role": "B", "text": "이 약을 하루 세 번 드세요."},
        {"role": "A", "text": "식사 후에 먹으면 되나요?"},
        {"role": "B", "text": "네, 식후 삼십 분에 드세요."},
    ],
}


def create(api) -> Roleplay:
    response = api.post("/api/roleplays", CREATE, format="json")
    assert response.status_code == 202, response.json()
    return Roleplay.objects.get(pk=response.json()["id"])


def asset_names(roleplay) -> dict[int, str]:
    return {line.order: line.video.name for line in roleplay.lines.order_by("order")}


def test_the_dialogue_step_is_skipped_when_lines_exist(alice, small_renders):
    roleplay = make_roleplay(owner=alice, lines=3, status="queued")
    before = list(roleplay.lines.values_list("id", "text"))
    job = services.job_create(roleplay=roleplay, enqueue=False)
    pending = services.job_run(job_id=job.pk)
    assert sorted(pending) == sorted(i for i, _ in before)
    assert list(roleplay.lines.values_list("id", "text")) == before
    job.refresh_from_db()
    assert (job.status, job.step, job.attempts) == ("running", "render", 1)


def test_a_line_with_current_assets_is_not_rendered_again(alice, small_renders):
    roleplay = make_roleplay(owner=alice, lines=2, status="queued")
    job = services.job_create(roleplay=roleplay, enqueue=False)
    services.job_run(job_id=job.pk)
    first = roleplay.lines.order_by("order").first()
    assert services.line_render(line_id=first.pk) is True
    first.refresh_from_db()
    name = first.video.name
    assert services.line_render(line_id=first.pk) is False
    first.refresh_from_db()
    assert first.video.name == name and default_storage.exists(name)
    # A changed text makes the assets stale: rendered again, old files removed.
    Line.objects.filter(pk=first.pk).update(text="다른 문장이에요.")
    assert services.line_render(line_id=first.pk) is True
    first.refresh_from_db()
    assert first.video.name != name and not default_storage.exists(name)
    assert first.rendered_text == "다른 문장이에요."


def test_a_failing_line_fails_the_job_and_retry_resumes_there(
    alice,
    alice_api,
    worker,
    broker,
    monkeypatch,
):
    from video_pipeline.engine import pipeline

    real = pipeline.synthesize_line
    state = {"broken": True}

    def flaky(text, **kwargs):
        if state["broken"] and text == Line.objects.get(order=3).text:
            raise EngineError("The voice could not say this line.")
        return real(text, **kwargs)

    monkeypatch.setattr(pipeline, "synthesize_line", flaky)
    roleplay = create(alice_api)
    drain(broker, worker)
    roleplay.refresh_from_db()
    job = GenerationJob.objects.get(roleplay=roleplay)
    assert (roleplay.status, job.status) == ("failed", "failed")
    assert roleplay.error == job.error == services.MSG_LINE_FAILED.format(order=3)
    line3 = roleplay.lines.get(order=3)
    assert (line3.status, line3.error) == ("failed", "The voice could not say this line.")
    rendered_before = {o: n for o, n in asset_names(roleplay).items() if n}

    state["broken"] = False
    assert alice_api.post(f"/api/roleplays/{roleplay.pk}/retry").status_code == 202
    drain(broker, worker)
    roleplay.refresh_from_db()
    job.refresh_from_db()
    assert (roleplay.status, roleplay.progress, job.status, job.attempts) == (
        "ready",
        100,
        "done",
        2,
    )
    after = asset_names(roleplay)
    assert all(after[o] == n for o, n in rendered_before.items())  # not rendered twice
    assert all(after.values())


def test_an_unexpected_error_is_retried_then_fails_the_job(
    alice,
    alice_api,
    worker,
    broker,
    monkeypatch,
):
    from video_pipeline import actors
    from video_pipeline.engine import pipeline

    calls = []

    def broken(text, **kwargs):
        calls.append(text)
        raise OSError("disk full")

    monkeypatch.setattr(pipeline, "synthesize_line", broken)
    roleplay = make_roleplay(owner=alice, lines=1, status="queued")
    job = services.job_create(roleplay=roleplay, enqueue=False)
    services.job_run(job_id=job.pk)
    actors.render_line.send_with_options(
        args=(roleplay.lines.get().pk,), max_retries=2, min_backoff=10, max_backoff=20
    )
    drain(broker, worker)
    assert len(calls) == 3  # the first try and two retries
    roleplay.refresh_from_db()
    assert roleplay.status == "failed"
    assert roleplay.error == services.MSG_LINE_FAILED.format(order=1)


def test_llm_backend_writes_the_dialogue(alice, alice_api, worker, broker, settings):
    with FakeChatServer() as server:
        settings.LIPREAD_LLM_BASE_URL = server.base_url
        settings.LIPREAD_LLM_API_KEY = "sk-test"
        server.reply(LLM_DIALOGUE)
        roleplay = create(alice_api)
        drain(broker, worker)
    roleplay.refresh_from_db()
    assert roleplay.status == "ready", roleplay.error
    assert roleplay.emoji == "💊"
    assert [(line.role.position, line.text) for line in roleplay.lines.order_by("order")] == [
        (0 if item["role"] == "A" else 1, item["text"]) for item in LLM_DIALOGUE["lines"]
    ]
    assert len(server.requests) == 1
    assert server.requests[0].headers["authorization"] == "Bearer sk-test"


def test_a_failing_llm_fails_the_job_readably_and_retry_works(
    alice,
    alice_api,
    worker,
    broker,
    settings,
):
    with FakeChatServer() as server:
        settings.LIPREAD_LLM_BASE_URL = server.base_url
        settings.LIPREAD_LLM_MAX_RETRIES = 0
        server.fail(503, "overloaded")
        roleplay = create(alice_api)
        drain(broker, worker)
        roleplay.refresh_from_db()
        assert (roleplay.status, roleplay.error) == ("failed", MSG_LLM_UNAVAILABLE)
        assert GenerationJob.objects.get(roleplay=roleplay).error == MSG_LLM_UNAVAILABLE
        assert not roleplay.lines.exists()

        server.reply(LLM_DIALOGUE)
        assert alice_api.post(f"/api/roleplays/{roleplay.pk}/retry").status_code == 202
        drain(broker, worker)
    roleplay.refresh_from_db()
    assert (roleplay.status, roleplay.error) == ("ready", "")
    assert roleplay.lines.count() == len(LLM_DIALOGUE["lines"])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_assets_go_to_s3_with_presigned_urls(alice, settings, small_renders):
    import boto3
    from django.core.files.storage import storages
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    try:
        endpoint = f"http://127.0.0.1:{port}"
        credentials = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
        s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **credentials)
        s3.create_bucket(Bucket="lipread-media")
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": "lipread-media",
                    "endpoint_url": endpoint,
                    "access_key": "testing",
                    "secret_key": "testing",
                    "region_name": "us-east-1",
                },
            },
        }
        storages._storages.clear()
        roleplay = make_roleplay(owner=alice, lines=1, status="queued")
        line = roleplay.lines.get()
        Line.objects.filter(pk=line.pk).update(text="네.")
        job = services.job_create(roleplay=roleplay, enqueue=False)
        services.job_run(job_id=job.pk)
        assert services.line_render(line_id=line.pk) is True
        line.refresh_from_db()
        assert line.video.name.startswith(f"lines/{roleplay.pk}/{line.pk}-")
        head = s3.head_object(Bucket="lipread-media", Key=line.video.name)
        assert head["ContentLength"] > 1000
        keys = {o["Key"] for o in s3.list_objects_v2(Bucket="lipread-media")["Contents"]}
        assert keys == {getattr(line, f).name for f in ("video", "captions", "poster", "timeline")}
        url = line.video.url
        assert url.startswith(f"{endpoint}/lipread-media/{line.video.name}?")
        assert "Signature=" in url or "X-Amz-Signature=" in url
        import requests

        assert requests.get(url, timeout=10).content[4:8] == b"ftyp"
        roleplay.refresh_from_db()
        assert roleplay.status == "ready"
    finally:
        storages._storages.clear()
        server.stop()


def test_render_library_sync_renders_official_roleplays(small_renders, capsys):
    official = make_roleplay(owner=None, lines=2, status="draft")
    make_roleplay(owner=None, lines=1, rendered=True)  # already current: left alone
    call_command("render_library", "--sync", "--limit", "5")
    official.refresh_from_db()
    assert (official.status, official.progress) == ("ready", 100)
    assert all(line.has_assets for line in official.lines.all())
    assert "Rendered 1 of 1" in capsys.readouterr().out


def test_render_library_queues_jobs_and_start_up_resumes(broker):
    import video_pipeline.actors  # noqa: F401
    from lipread.embedded import embedded_worker_started

    official = make_roleplay(owner=None, lines=2, status="draft")
    call_command("render_library")
    assert GenerationJob.objects.get(roleplay=official).status == "queued"
    assert broker.queues["dialogue"].qsize() == 1

    broker.flush_all()
    mine = make_roleplay(owner=UserFactory(), lines=0, status="queued")
    GenerationJob.objects.create(roleplay=mine, status="running")
    embedded_worker_started.send(sender=None, worker=None)
    # the unfinished official job and the learner's job are both back in the queue
    assert broker.queues["dialogue"].qsize() == 2


def test_admin_actions_queue_rendering(alice, broker):
    from django.test import RequestFactory

    from video_pipeline.admin_actions import render_roleplays, rerender_lines

    class FakeAdmin:
        messages: list = []

        def message_user(self, request, message, level):
            self.messages.append(message)

    official = make_roleplay(owner=None, lines=2, rendered=True)
    request = RequestFactory().post("/")
    line = official.lines.first()
    old = line.video.name
    rerender_lines(FakeAdmin(), request, Line.objects.filter(pk=line.pk))
    line.refresh_from_db()
    assert (line.status, line.video.name) == ("pending", "")
    assert not default_storage.exists(old)
    job = GenerationJob.objects.get(roleplay=official)
    assert job.status == "queued"
    render_roleplays(FakeAdmin(), request, Roleplay.objects.filter(pk=official.pk))
    assert GenerationJob.objects.filter(roleplay=official).count() == 1
