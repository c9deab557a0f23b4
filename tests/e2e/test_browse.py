"""Browse the library in a real browser: home → category chip → roleplay → roles."""

from __future__ import annotations

import os

import pytest

from roleplay import services
from roleplay.models import Roleplay

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop


@pytest.fixture
def page(phone):
    _, page, errors = phone
    yield page
    assert not errors, errors  # e.g. a CSP violation from an inline script or style


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_browse_library_filter_category_open_roleplay(asgi_live_server, page):
    services.library_load()
    target = Roleplay.objects.filter(category__slug="bank", language="ko").order_by("key").first()
    roles = list(target.roles.order_by("position"))

    page.goto(f"{asgi_live_server.url}/")
    assert page.locator(".rp-card").count() == 36  # every Korean roleplay, UI is Korean
    page.locator('a.chip[data-category="bank"]').click()
    page.wait_for_url("**category=bank**")
    assert page.locator('a.chip[data-category="bank"]').get_attribute("aria-current") == "true"
    cards = page.locator(".rp-card")
    assert cards.count() == 3
    # One column on a 360 px phone: cards stack, none overflows the viewport.
    boxes = [cards.nth(i).bounding_box() for i in range(3)]
    assert boxes[0]["x"] == boxes[1]["x"] and boxes[1]["y"] > boxes[0]["y"]
    assert all(box["x"] + box["width"] <= 360 for box in boxes)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.get_by_role("link", name=target.title).click()
    page.wait_for_url(f"**/roleplays/{target.pk}/")
    assert page.locator("h1").inner_text().endswith(target.title)
    role_names = page.locator(".rp-role-name").all_inner_texts()
    assert role_names == [role.name for role in roles]
    assert str(target.lines.count()) in page.locator(".rp-line-count").inner_text()
    assert page.locator(f'a[href="/practice/{target.pk}/"]').count() == 1
