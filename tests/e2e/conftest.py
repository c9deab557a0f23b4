"""Browser-test fixtures: the ASGI application served for real, websockets included."""

from __future__ import annotations

import os

import pytest

from tests.e2e.asgi_server import AsgiLiveServer

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop


@pytest.fixture
def asgi_live_server(transactional_db):
    """`lipread.asgi.application` on 127.0.0.1:<free port> for one test (starts in ~50 ms).

    Function-scoped like the transactional database it reads: a test's rows are flushed
    after it, so nothing of one test's server (sessions, sockets) outlives it. Tests need
    `@pytest.mark.django_db(transaction=True)`: the server's threads see only committed rows.
    """
    from lipread.asgi import application

    server = AsgiLiveServer(application).start()
    yield server
    server.stop()


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",  # the practice player starts videos
]


@pytest.fixture
def open_page(asgi_live_server):
    """A factory of 360×740 pages: ``open_page(locale="ko-KR") -> (context, page, errors)``.

    `errors` collects console errors and uncaught exceptions (a CSP violation from an
    inline script or style shows up here). Depends on the server so that the browser
    closes first: a page left open while the server stops would log failed reconnects.
    """
    from django.db import connections
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )

        def new_page(locale: str = "ko-KR"):
            context = browser.new_context(viewport={"width": 360, "height": 740}, locale=locale)
            page = context.new_page()
            errors: list[str] = []
            page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
            page.on("pageerror", lambda error: errors.append(str(error)))
            return context, page, errors

        yield new_page
        # ORM calls in the test body ran while Playwright's loop counted as running, so
        # Django kept their connection apart (per context, not per thread): close it here,
        # or PostgreSQL refuses to drop the test database at the end.
        connections.close_all()
        browser.close()


@pytest.fixture
def phone(open_page):
    """(context, page, errors) on a 360×740 Korean phone."""
    return open_page()


@pytest.fixture
def log_in():
    """Sign a browser context in as `user` with a real session cookie (no form round trip)."""
    from django.conf import settings
    from django.test import Client

    def log_in(context, server, user) -> None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": server.url}]
        )

    return log_in
