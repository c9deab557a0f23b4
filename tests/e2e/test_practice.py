"""A practice session in a real browser: play muted, type, see the diff, finish, find the record."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.test import Client

from learning.models import Attempt, PracticeSession
from learning.records import local_date_of
from tests.learning.helpers import make_roleplay

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop


@pytest.fixture
def browser_page(phone):
    context, page, errors = phone
    yield context, page
    assert not errors, errors  # e.g. a CSP violation or a script error


def _log_in(context, asgi_live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": asgi_live_server.url}]
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_practice_a_line_muted_then_find_the_record(asgi_live_server, browser_page, alice):
    from playwright.sync_api import expect

    context, page = browser_page
    roleplay = make_roleplay(rendered=True, lines=2)
    first = roleplay.lines.get(order=0)
    _log_in(context, asgi_live_server, alice)

    page.goto(f"{asgi_live_server.url}/practice/{roleplay.pk}/")
    expect(page.locator("#practice-stage")).to_be_hidden()
    page.locator('input[name="mode"][value="lips"]').check()
    page.locator("#start-button").click()
    page.locator("#practice-stage").wait_for(state="visible")
    expect(page.locator("#practice-setup")).to_be_hidden()
    expect(page.locator("#line-speaker")).to_have_text(first.role.name)
    assert page.evaluate("document.getElementById('video').muted") is True

    page.locator("#play-button").click()
    page.wait_for_function(
        "() => { const v = document.getElementById('video');"
        " return v.currentTime > 0.2 || v.ended; }",
        timeout=15000,
    )
    assert page.locator("#video track").count() == 0  # captions stay hidden until answered

    page.locator("#answer-input").fill("안녕하세요 어서 오세여")
    page.locator("#answer-input").press("Enter")
    result = page.locator("#result")
    result.wait_for(state="visible")
    assert result.get_attribute("data-correct") in ("true", "false")
    assert page.locator("#result-answer").inner_text() == first.text
    assert page.locator("#result-diff del").count() >= 1
    assert page.locator("#result-diff ins").count() >= 1
    statuses = page.locator("#result-words li").evaluate_all(
        "items => items.map(i => i.dataset.status)"
    )
    assert "correct" in statuses and "wrong" in statuses
    # Every status has a text label, not only a colour.
    assert all(
        label.strip() for label in page.locator("#result-words .word-label").all_inner_texts()
    )
    assert page.locator("#video track").count() == 1

    page.locator("#next-button").click()
    expect(page.locator("#result")).to_be_hidden()
    expect(page.locator("#line-progress")).to_contain_text("2")
    page.locator("#finish-button").click()
    page.locator("#summary").wait_for(state="visible")
    assert page.locator("#summary-correct").inner_text().replace(" ", "") in ("1/1", "0/1")
    assert page.locator("#summary-score").inner_text().isdigit()

    session = PracticeSession.objects.get(user=alice)
    assert session.finished_at is not None and session.sentence_count == 1
    assert Attempt.objects.get(session=session).input == "안녕하세요 어서 오세여"

    page.locator("#summary-record").click()
    page.wait_for_url(f"**/records/{session.pk}/")
    page.goto(f"{asgi_live_server.url}/records/")
    today = local_date_of(alice, datetime.now(UTC)).isoformat()
    day = page.locator(f'a.day-active[data-date="{today}"]')
    assert day.count() == 1
    day.click()
    page.locator(f'a[data-session="{session.pk}"]').click()
    page.wait_for_url(f"**/records/{session.pk}/")
    assert first.text in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
