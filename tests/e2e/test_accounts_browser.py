"""Sign-up, log-in and the API docs in a real browser (Debian's chromium)."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(open_page):
    _, page, errors = open_page(locale="en-US")
    yield page
    assert not errors, errors


def test_sign_up_log_out_and_log_in_in_a_browser(asgi_live_server, page):
    page.goto(asgi_live_server.url + "/accounts/signup/")
    page.get_by_label("Display name").fill("Mina")
    page.get_by_label("Email").fill("mina@example.com")
    page.get_by_label("Password").fill("a-long-enough-pass-42")
    page.get_by_role("button", name="Sign up").last.click()
    page.wait_for_url(asgi_live_server.url + "/")
    assert "Mina" in page.locator("#notifications").inner_text()

    page.get_by_role("button", name="Log out").click()
    page.goto(asgi_live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill("MINA@example.com")
    page.get_by_label("Password").fill("a-long-enough-pass-42")
    page.locator("main").get_by_role("button", name="Log in").click()
    page.wait_for_url(asgi_live_server.url + "/")
    assert page.get_by_role("link", name="Settings").is_visible()
    # 360 px wide: nothing may overflow horizontally
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_api_docs_render_in_a_browser(asgi_live_server, page):
    page.goto(asgi_live_server.url + "/api/docs/")
    page.get_by_text("/api/auth/register", exact=True).first.wait_for(timeout=15000)
    assert "LipRead API" in page.content()
