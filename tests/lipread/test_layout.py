from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_signed_in_nav_reaches_every_section_and_marks_the_current_one(client, alice):
    client.force_login(alice)
    page = client.get("/records/").content.decode()
    for href in (
        "/",
        "/roleplays/mine/",
        "/roleplays/new/",
        "/review/",
        "/records/",
        "/accounts/profile/",
    ):
        assert f'href="{href}"' in page, href
    assert 'href="/records/" aria-current="page"' in page
    assert page.count('aria-current="page"') == 1


def test_anonymous_nav_offers_log_in_and_sign_up_only(client):
    page = client.get("/").content.decode()
    assert 'href="/accounts/login/"' in page and 'href="/accounts/signup/"' in page
    assert 'href="/review/"' not in page


def test_progress_script_loads_for_signed_in_users_only(client, alice):
    assert "video_pipeline/progress.js" not in client.get("/").content.decode()
    client.force_login(alice)
    assert "video_pipeline/progress.js" in client.get("/").content.decode()


def test_profile_page_has_the_notify_me_switch(client, alice):
    client.force_login(alice)
    page = client.get("/accounts/profile/").content.decode()
    assert 'id="notify-me"' in page and "video_pipeline/notify.js" in page
