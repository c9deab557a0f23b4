# ruff: noqa: F811  (pytest fixtures imported from jobs_fixtures are parameters here)
"""Making your own conversation in a real browser, served by the real ASGI application.

The form posts to the creation service, which enqueues on the stub broker; a Dramatiq
worker thread in this process writes the dialogue (offline composer) and renders 256 px
lines; progress reaches the page over /ws/progress/ and is watched as it moves.
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import threading
import time

import pytest
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext
from dramatiq import Worker

from roleplay.creation import services as creation
from roleplay.models import Line, Roleplay
from tests.video_pipeline.jobs_fixtures import (  # noqa: F401
    broker,
    open_progress_socket,
    small_renders,
)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop

TITLE = "비 오는 날 카페"
WORDS = ["우산", "커피"]
# One read of everything the test watches, so a reload cannot fall between two reads.
WATCH = """(id) => {
  const bar = document.querySelector('progress[data-roleplay-progress="' + id + '"]');
  const toast = [...document.querySelectorAll("#notifications .toast")].pop();
  return {
    value: bar ? bar.value : null,
    same_page: window.__lipreadWatched === true,
    toast: toast ? toast.className + " " + toast.textContent : "",
  };
}"""


@pytest.fixture
def start_worker(broker):
    """Start a one-thread worker when the test says so (the page must be listening first)."""
    workers: list[Worker] = []

    def start() -> Worker:
        # One thread: SQLite's shared in-memory test database does not like two writers.
        worker = Worker(broker, worker_threads=1, worker_timeout=100)
        worker.start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


def record_progress_frames(page) -> list[dict]:
    """Every progress event the page's websockets receive, in order."""
    import json

    frames: list[dict] = []

    def on_socket(ws) -> None:
        if ws.url.endswith("/ws/progress/"):
            ws.on("framereceived", lambda payload: frames.append(json.loads(payload)))

    page.on("websocket", on_socket)
    return frames


def wait_until(page, predicate, timeout: float = 10) -> None:
    # Playwright delivers websocket events only while the sync API is pumping.
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        page.wait_for_timeout(50)


def watch_until_finished(page, roleplay_id: int, timeout: float = 240) -> list[dict]:
    """Poll the detail page until a final toast shows; every poll must be the same page."""
    page.evaluate("() => { window.__lipreadWatched = true; }")
    seen: list[dict] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = page.evaluate(WATCH, roleplay_id)
        assert state["same_page"], f"the page reloaded before the roleplay finished: {seen}"
        seen.append(state)
        if state["toast"]:
            return seen
        page.wait_for_timeout(100)
    raise AssertionError(f"no final toast within {timeout}s; last states {seen[-3:]}")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_create_a_conversation_and_watch_it_being_made(
    asgi_live_server, phone, log_in, alice, start_worker
):
    from playwright.sync_api import expect

    context, page, errors = phone
    log_in(context, asgi_live_server, alice)
    frames = record_progress_frames(page)

    page.goto(f"{asgi_live_server.url}/roleplays/new/")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_description").fill("비 오는 날 카페에서 따뜻한 음료를 주문해요.")
    page.locator("#id_language").select_option("ko")
    page.locator("#id_role0_name").fill("손님")
    page.locator("#id_role0_description").fill("우산을 든 손님")
    page.locator("#id_role0_voice").select_option("older_woman")
    page.locator("#id_role1_name").fill("직원")
    page.locator("#id_role1_voice").select_option("man")
    # The words field is a chip list: its label now names the visible entry box.
    words = page.locator("#id_must_words")
    assert page.locator('label[for="id_must_words"]').count() == 1
    assert words.get_attribute("type") == "text" and words.is_visible()
    for word in WORDS:
        words.press_sequentially(word)
        words.press("Enter")
    chips = page.locator(".chips .chip")
    expect(chips).to_have_count(2)
    assert [text.replace("×", "").strip() for text in chips.all_inner_texts()] == WORDS
    assert page.locator("input[name=must_words]").input_value() == ", ".join(WORDS)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.locator("form.create-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/roleplays/\d+/$"))
    roleplay = Roleplay.objects.get(owner=alice)
    assert page.url == f"{asgi_live_server.url}/roleplays/{roleplay.pk}/"
    assert roleplay.status == "queued"
    bar = page.locator(f'progress[data-roleplay-progress="{roleplay.pk}"]')
    expect(bar).to_have_attribute("value", "0")
    # The page listens (its snapshot arrived) before any work is done.
    wait_until(page, lambda: any(f.get("roleplay") == roleplay.pk for f in frames))

    start_worker()
    states = watch_until_finished(page, roleplay.pk)

    values = [s["value"] for s in states]
    assert values == sorted(values), values  # the bar only moves forward
    assert values[0] == 0 and values[-1] == 100
    assert len({v for v in values if 0 < v < 100}) >= 2, values  # moved live, not one jump
    toast = page.locator("#notifications .toast-success")
    expect(toast).to_be_visible()
    expect(toast).to_contain_text(TITLE)

    # The page reloads itself once finished and shows what was made.
    roleplay.refresh_from_db()
    lines = list(Line.objects.filter(roleplay=roleplay).order_by("order"))
    assert (roleplay.status, roleplay.progress) == ("ready", 100)
    expect(page.locator("progress")).to_have_count(0, timeout=10_000)
    expect(page.locator(".rp-line-count")).to_contain_text(f"{len(lines)}")
    expect(page.locator(f'a[href="/practice/{roleplay.pk}/"]')).to_be_visible()
    for word in WORDS:
        assert any(word in line.text for line in lines), (word, [ln.text for ln in lines])
    assert all(line.status == "ready" for line in lines)

    events = [f for f in frames if f.get("roleplay") == roleplay.pk]
    assert events[-1]["status"] == "ready"
    assert [e["progress"] for e in events] == sorted(e["progress"] for e in events)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert not errors, errors


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_failed_conversation_says_so_and_offers_try_again(
    asgi_live_server, phone, log_in, alice, start_worker, settings
):
    from playwright.sync_api import expect

    # Nothing listens there: the dialogue step fails at once, with no retries.
    settings.LIPREAD_LLM_BASE_URL = f"http://127.0.0.1:{_closed_port()}/v1"
    settings.LIPREAD_LLM_API_KEY = "sk-test"
    settings.LIPREAD_LLM_MAX_RETRIES = 0
    settings.LIPREAD_LLM_TIMEOUT = 2
    context, page, errors = phone
    log_in(context, asgi_live_server, alice)
    frames = record_progress_frames(page)
    roleplay = creation.roleplay_create(
        user=alice,
        title=TITLE,
        description="",
        language="ko",
        roles=[
            {"name": "손님", "description": "", "voice": "woman"},
            {"name": "직원", "description": "", "voice": "man"},
        ],
        must_words=[],
    )

    page.goto(f"{asgi_live_server.url}/roleplays/{roleplay.pk}/")
    wait_until(page, lambda: any(f.get("roleplay") == roleplay.pk for f in frames))
    start_worker()
    states = watch_until_finished(page, roleplay.pk, timeout=60)

    assert "toast-error" in states[-1]["toast"] and TITLE in states[-1]["toast"]
    expect(page.locator("#notifications .toast-error")).to_be_visible()
    roleplay.refresh_from_db()
    assert roleplay.status == "failed" and roleplay.error
    # After its reload the page explains the failure and offers to start again.
    try_again = page.locator(f'form[action="/roleplays/{roleplay.pk}/retry/"] button')
    expect(try_again).to_be_visible(timeout=10_000)
    # The learner's language (Korean): the stored English msgid is translated on the page.
    with translation.override("ko"):
        expect(page.locator("p.error[role=alert]")).to_have_text(gettext(roleplay.error))
    assert "서비스" in page.locator("p.error[role=alert]").inner_text()
    assert not errors, errors


@pytest.mark.django_db(transaction=True)
def test_worker_thread_events_reach_a_consumer_loop_without_timers(alice, alice_api, settings):
    """A consumer on a loop with nothing else to do gets a worker thread's event at once.

    With the in-memory layer, an event sent from another thread's loop used to wait for
    the consumer loop's next timer (here: the 10 s receive timeout; in daphne up to 1 s).
    """
    from tests.roleplay.factories import make_roleplay
    from video_pipeline.models import GenerationJob
    from video_pipeline.progress import progress_publish

    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    roleplay = make_roleplay(owner=alice, lines=2, status="generating", progress=10)
    GenerationJob.objects.create(roleplay=roleplay, status="running", step="render", seq=1)
    listening = threading.Event()
    result: dict = {}

    async def listen() -> None:
        communicator = await open_progress_socket(alice_api)
        try:
            assert (await communicator.receive_json_from(timeout=5))["progress"] == 10
            listening.set()
            event = await communicator.receive_json_from(timeout=10)
            result["at"] = time.monotonic()
            result["event"] = event
        finally:
            await communicator.disconnect()

    def server_loop() -> None:
        try:
            asyncio.run(listen())
        except BaseException as exc:  # reported by the main thread
            result["error"] = exc

    thread = threading.Thread(target=server_loop, daemon=True)
    thread.start()
    assert listening.wait(10), result
    sent = time.monotonic()
    with transaction.atomic():  # as a worker thread publishes: after its commit
        Roleplay.objects.filter(pk=roleplay.pk).update(progress=60)
        progress_publish(roleplay_id=roleplay.pk)
    thread.join(15)
    assert "error" not in result, f"no event reached the consumer: {result['error']!r}"
    assert result["event"]["progress"] == 60
    assert result["at"] - sent < 1.0, result["at"] - sent
