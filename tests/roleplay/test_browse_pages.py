"""Browse pages: home library with chips, detail, my roleplays, delete."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from roleplay.models import Roleplay
from tests.roleplay.factories import CategoryFactory, make_roleplay

pytestmark = pytest.mark.django_db


def _client(user=None, language: str | None = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    if language:
        client.cookies["django_language"] = language
    return client


def test_home_lists_official_roleplays_of_the_ui_language_for_anonymous_visitors(alice):
    cafe = CategoryFactory(slug="cafe", name_ko="카페", name_en="Café")
    ko = make_roleplay(category=cafe, title="카페 주문")
    en = make_roleplay(category=cafe, title="Ordering coffee", language="en")
    make_roleplay(owner=alice, title="앨리스의 비밀")

    html = _client().get("/").content.decode()
    assert "카페 주문" in html and "Ordering coffee" not in html
    assert "앨리스의 비밀" not in html
    assert 'href="/accounts/signup/"' in html
    assert f'href="/roleplays/{ko.pk}/"' in html

    english = _client(language="en").get("/").content.decode()
    assert "Ordering coffee" in english and "카페 주문" not in english
    switched = _client().get("/?language=en").content.decode()
    assert f'href="/roleplays/{en.pk}/"' in switched


def test_home_category_chip_filters_and_is_marked_current(alice, monkeypatch):
    cafe, bank = CategoryFactory(slug="cafe"), CategoryFactory(slug="bank")
    in_cafe = make_roleplay(category=cafe, title="카페 주문")
    make_roleplay(category=bank, title="통장 만들기")
    monkeypatch.setattr("roleplay.views.studied_roleplay_ids", lambda *, user: {in_cafe.pk})

    response = _client(alice).get("/?category=cafe")
    html = response.content.decode()
    assert "카페 주문" in html and "통장 만들기" not in html
    assert re.search(r'data-category="cafe"\s+aria-current="true"', html)
    assert not re.search(r'data-category="bank"\s+aria-current', html)
    assert [card["roleplay"].pk for card in response.context["cards"]] == [in_cafe.pk]
    assert response.context["cards"][0]["studied"] is True
    assert "badge-ok" in html


def test_home_with_an_unknown_category_shows_everything_with_a_notice():
    make_roleplay(title="카페 주문")
    response = _client().get("/?category=nope&language=xx")
    assert response.status_code == 200
    assert "카페 주문" in response.content.decode()
    assert response.context["current_category"] is None


def test_detail_shows_roles_line_count_and_links(alice, monkeypatch):
    roleplay = make_roleplay(lines=6)
    html = _client(alice).get(f"/roleplays/{roleplay.pk}/").content.decode()
    assert "손님" in html and "직원" in html
    assert "6" in html and "rp-line-count" in html
    assert f'href="/practice/{roleplay.pk}/"' in html
    assert f'href="/roleplays/{roleplay.pk}/derive/"' in html
    assert "rp-not-studied" in html
    assert "roleplay-delete" not in html and "/delete/" not in html

    monkeypatch.setattr(
        "roleplay.views.roleplay_stats",
        lambda *, user, roleplay: {
            "times_studied": 3,
            "average_score": 81.5,
            "total_seconds": 120,
            "most_missed": {"line": 2, "text": "따뜻한 걸로 드릴까요?", "misses": 2},
        },
    )
    html = _client(alice).get(f"/roleplays/{roleplay.pk}/").content.decode()
    assert "rp-not-studied" not in html and "82%" in html and "따뜻한 걸로 드릴까요?" in html


def test_detail_of_someone_elses_roleplay_is_404(alice, bob):
    bobs = make_roleplay(owner=bob)
    assert _client(alice).get(f"/roleplays/{bobs.pk}/").status_code == 404
    assert _client().get(f"/roleplays/{bobs.pk}/").status_code == 404
    assert _client(bob).get(f"/roleplays/{bobs.pk}/").status_code == 200
    assert _client(alice).get("/roleplays/999999/").status_code == 404


def test_delete_own_roleplay_from_its_page(alice, bob):
    mine = make_roleplay(owner=alice)
    page = _client(alice).get(f"/roleplays/{mine.pk}/").content.decode()
    assert f'action="/roleplays/{mine.pk}/delete/"' in page

    bobs = make_roleplay(owner=bob)
    assert _client(alice).post(f"/roleplays/{bobs.pk}/delete/").status_code == 404
    assert Roleplay.objects.filter(pk=bobs.pk).exists()

    official = make_roleplay()
    response = _client(alice).post(f"/roleplays/{official.pk}/delete/")
    assert response.status_code == 302 and Roleplay.objects.filter(pk=official.pk).exists()

    assert _client(alice).get(f"/roleplays/{mine.pk}/delete/").status_code == 405
    response = _client(alice).post(f"/roleplays/{mine.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == "/roleplays/mine/"
    assert not Roleplay.objects.filter(pk=mine.pk).exists()


def test_my_roleplays_lists_mine_with_status_and_progress(alice, bob):
    generating = make_roleplay(owner=alice, title="만드는 중")
    generating.status, generating.progress = Roleplay.Status.GENERATING, 30
    generating.save()
    make_roleplay(owner=alice, title="완성", rendered=True)
    make_roleplay(owner=bob, title="밥의 것")

    html = _client(alice).get("/roleplays/mine/").content.decode()
    assert "만드는 중" in html and "완성" in html and "밥의 것" not in html
    assert f'<progress max="100" value="30" data-roleplay-progress="{generating.pk}">' in html
    filtered = _client(alice).get("/roleplays/mine/?status=ready").content.decode()
    assert "완성" in filtered and "만드는 중" not in filtered


def test_my_roleplays_needs_login():
    response = _client().get("/roleplays/mine/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_home_shows_library_render_progress_until_every_line_has_a_video(client):
    pending = make_roleplay(lines=3)
    make_roleplay(lines=2, rendered=True)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2 of 5 lines are ready" in page
    assert '<progress max="100" value="40"' in page
    pending.lines.update(status="ready")
    assert "lines are ready" not in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
