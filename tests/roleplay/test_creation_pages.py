"""The create and derive pages, and the service worker at /sw.js."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from roleplay.creation import services
from roleplay.models import Roleplay
from tests.roleplay.factories import make_roleplay

pytestmark = pytest.mark.django_db

FORM = {
    "title": "병원 접수하기",
    "description": "처음 온 병원에서 접수해요.",
    "language": "ko",
    "role0_name": "환자",
    "role0_description": "",
    "role0_voice": "older_woman",
    "role1_name": "간호사",
    "role1_description": "접수 창구",
    "role1_voice": "woman",
    "must_words": "보험증, 이름 ",
}


def test_create_page_needs_login(client):
    response = client.get("/roleplays/new/")
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


def test_create_page_renders_the_form_with_voice_pickers_and_chips(client, alice):
    client.force_login(alice)
    response = client.get("/roleplays/new/")
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("title", "description", "language", "role0_voice", "role1_voice", "must_words"):
        assert f'name="{name}"' in html
    assert "data-must-words" in html and "roleplay/create.js" in html
    assert "<script>" not in html and 'style="' not in html  # CSP: no inline code


def test_create_page_posts_to_the_service_and_redirects_to_the_detail_page(client, alice):
    client.force_login(alice)
    response = client.post("/roleplays/new/", FORM)
    roleplay = Roleplay.objects.get(owner=alice)
    assert response.status_code == 302
    assert response["Location"] == f"/roleplays/{roleplay.pk}/"
    assert roleplay.status == "queued" and roleplay.must_words == ["보험증", "이름"]
    assert [r.voice for r in roleplay.roles.all()] == ["older_woman", "woman"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", ""),
        ("role1_name", "환자"),
        ("must_words", ",".join(["말"] * 11)),
        ("must_words", "가" * 21),
        ("role0_voice", "robot"),
    ],
)
def test_create_page_shows_field_errors(client, alice, field, value):
    client.force_login(alice)
    response = client.post("/roleplays/new/", {**FORM, field: value})
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()
    assert not Roleplay.objects.exists()


def test_create_page_shows_the_quota_message(client, alice, settings):
    settings.LIPREAD_DAILY_QUOTA = 0
    client.force_login(alice)
    response = client.post("/roleplays/new/", FORM)
    assert response.status_code == 429
    with translation.override("ko"):  # alice reads Korean
        expected = gettext(services.MSG_QUOTA).format(quota=0)
    assert expected != services.MSG_QUOTA.format(quota=0)
    assert escape(expected) in response.content.decode()


def test_derive_page_makes_a_similar_roleplay(client, alice):
    parent = make_roleplay(owner=None, lines=2, status="ready")
    client.force_login(alice)
    page = client.get(f"/roleplays/{parent.pk}/derive/")
    assert page.status_code == 200 and parent.title in page.content.decode()
    response = client.post(f"/roleplays/{parent.pk}/derive/", {"title": "", "must_words": "접수"})
    child = Roleplay.objects.get(owner=alice)
    assert response["Location"] == f"/roleplays/{child.pk}/"
    assert (child.parent, child.title, child.must_words) == (parent, parent.title, ["접수"])


def test_derive_page_of_bobs_roleplay_is_404(client, alice, bob):
    bobs = make_roleplay(owner=bob, lines=1, status="ready")
    client.force_login(alice)
    assert client.get(f"/roleplays/{bobs.pk}/derive/").status_code == 404
    assert client.post(f"/roleplays/{bobs.pk}/derive/", {"must_words": ""}).status_code == 404


def test_service_worker_is_served_for_the_whole_site(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert b"showNotification" in response.content


def test_notify_switch_partial_renders(rf, alice):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = alice
    html = render_to_string("video_pipeline/notify_switch.html", request=request)
    assert 'role="switch"' in html and "/api/devices" in html and "/sw.js" in html
    assert "video_pipeline/notify.js" in html
