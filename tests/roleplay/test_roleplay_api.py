"""Roleplay read/delete API: filters, pagination, isolation between alice and bob."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from roleplay import selectors, services
from roleplay.models import Roleplay
from tests.roleplay.factories import CategoryFactory, make_roleplay

pytestmark = pytest.mark.django_db


def _error_shape(response) -> dict:
    body = response.json()
    assert set(body) == {"message", "extra"} and "fields" in body["extra"]
    return body


# --- categories -----------------------------------------------------------------------


def test_categories_list_names_in_the_users_language_with_counts(alice, alice_api):
    cafe = CategoryFactory(slug="cafe", name_ko="카페", name_en="Café", order=1)
    CategoryFactory(slug="bank", name_ko="은행", name_en="Bank", order=2)
    make_roleplay(category=cafe)
    make_roleplay(category=cafe, language="en")
    make_roleplay(owner=alice, category=cafe)  # personal: not counted

    body = alice_api.get("/api/categories").json()
    assert [item["slug"] for item in body["results"]] == ["cafe", "bank"]
    first = body["results"][0]
    assert first["name"] == "카페" and first["name_en"] == "Café"
    assert first["roleplay_count"] == 2
    assert alice_api.get("/api/categories?language=en").json()["results"][0]["roleplay_count"] == 1

    alice.language = "en"
    alice.save()
    assert alice_api.get("/api/categories").json()["results"][0]["name"] == "Café"


def test_api_needs_authentication(api):
    assert api.get("/api/categories").status_code == 401
    assert api.get("/api/roleplays/official").status_code == 401


def test_categories_reject_unknown_language(alice_api):
    response = alice_api.get("/api/categories?language=xx")
    assert response.status_code == 400
    assert _error_shape(response)["message"] == selectors.INVALID_LANGUAGE


# --- official list --------------------------------------------------------------------


def test_official_list_filters_by_category_and_language(alice, alice_api, monkeypatch):
    cafe, bank = CategoryFactory(slug="cafe"), CategoryFactory(slug="bank")
    ko_cafe = make_roleplay(category=cafe, rendered=True, lines=2)
    en_cafe = make_roleplay(category=cafe, language="en")
    make_roleplay(category=bank)
    make_roleplay(owner=alice, category=cafe)  # alice's own: never in the library
    monkeypatch.setattr("roleplay.apis.studied_roleplay_ids", lambda *, user: {ko_cafe.pk})

    body = alice_api.get("/api/roleplays/official?category=cafe").json()
    assert {item["id"] for item in body["results"]} == {ko_cafe.pk, en_cafe.pk}
    body = alice_api.get("/api/roleplays/official?category=cafe&language=ko").json()
    assert body["count"] == 1
    item = body["results"][0]
    assert item == {
        "id": ko_cafe.pk,
        "title": ko_cafe.title,
        "emoji": ko_cafe.emoji,
        "language": "ko",
        "category": "cafe",
        "line_count": 2,
        "ready": True,
        "studied": True,
    }
    en = alice_api.get("/api/roleplays/official?language=en").json()["results"]
    assert [i["id"] for i in en] == [en_cafe.pk]
    assert en[0]["ready"] is False and en[0]["studied"] is False


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("category=nope", "category", selectors.UNKNOWN_CATEGORY),
        ("language=fr", "language", selectors.INVALID_LANGUAGE),
    ],
)
def test_official_list_rejects_unknown_filters(alice_api, query, field, message):
    response = alice_api.get(f"/api/roleplays/official?{query}")
    assert response.status_code == 400
    body = _error_shape(response)
    assert body["message"] == message and field in body["extra"]["fields"]


def test_official_list_paginates_with_page_size_cap_and_next_links(alice_api):
    category = CategoryFactory(slug="many")
    for _ in range(105):
        Roleplay.objects.create(kind="official", title="x", category=category)

    body = alice_api.get("/api/roleplays/official?page_size=10").json()
    assert body["count"] == 105 and len(body["results"]) == 10
    assert "page=2" in body["next"] and body["next"].startswith("http")
    assert body["previous"] is None

    capped = alice_api.get("/api/roleplays/official?page_size=1000").json()
    assert len(capped["results"]) == 100
    last = alice_api.get("/api/roleplays/official?page=2&page_size=100").json()
    assert len(last["results"]) == 5 and last["next"] is None

    default = alice_api.get("/api/roleplays/official").json()
    assert len(default["results"]) == 20
    out_of_range = alice_api.get("/api/roleplays/official?page=99")
    assert out_of_range.status_code == 404
    _error_shape(out_of_range)


# --- mine -----------------------------------------------------------------------------


def test_mine_lists_only_my_roleplays_newest_first_with_status(alice, bob, alice_api):
    older = make_roleplay(owner=alice, lines=2)
    newer = make_roleplay(owner=alice, lines=3)
    newer.status, newer.progress = Roleplay.Status.GENERATING, 40
    newer.save()
    make_roleplay(owner=bob)
    make_roleplay()

    body = alice_api.get("/api/roleplays/mine").json()
    assert [item["id"] for item in body["results"]] == [newer.pk, older.pk]
    assert body["results"][0]["status"] == "generating"
    assert body["results"][0]["progress"] == 40
    assert body["results"][0]["line_count"] == 3

    filtered = alice_api.get("/api/roleplays/mine?status=generating").json()
    assert [item["id"] for item in filtered["results"]] == [newer.pk]


def test_mine_rejects_unknown_status(alice_api):
    response = alice_api.get("/api/roleplays/mine?status=done")
    assert response.status_code == 400
    assert _error_shape(response)["message"] == selectors.INVALID_STATUS


# --- detail ---------------------------------------------------------------------------


def test_detail_shows_roles_stats_and_visible_parent(alice, alice_api, monkeypatch):
    official = make_roleplay(lines=4)
    mine = make_roleplay(owner=alice, lines=3, parent=official, must_words=["커피"])
    monkeypatch.setattr(
        "roleplay.apis.roleplay_stats",
        lambda *, user, roleplay: {"times_studied": 2} if roleplay.pk == mine.pk else None,
    )

    body = alice_api.get(f"/api/roleplays/{mine.pk}").json()
    assert body["id"] == mine.pk and body["kind"] == "personal"
    assert body["roles"] == [
        {"name": "손님", "description": "", "voice": "woman", "position": 0},
        {"name": "직원", "description": "", "voice": "man", "position": 1},
    ]
    assert body["parent"] == {"id": official.pk, "title": official.title}
    assert body["line_count"] == 3 and body["must_words"] == ["커피"]
    assert body["stats"] == {"times_studied": 2}
    assert body["category"] == mine.category.slug

    assert alice_api.get(f"/api/roleplays/{official.pk}").json()["stats"] is None


def test_detail_hides_a_parent_that_is_someone_elses(alice, bob, alice_api):
    bobs = make_roleplay(owner=bob)
    mine = make_roleplay(owner=alice, parent=bobs)
    assert alice_api.get(f"/api/roleplays/{mine.pk}").json()["parent"] is None


@pytest.mark.parametrize("suffix", ["", "/lines"])
def test_another_users_roleplay_is_404_for_detail_and_lines(bob, alice_api, bob_api, suffix):
    bobs = make_roleplay(owner=bob)
    assert bob_api.get(f"/api/roleplays/{bobs.pk}{suffix}").status_code == 200
    response = alice_api.get(f"/api/roleplays/{bobs.pk}{suffix}")
    assert response.status_code == 404
    assert _error_shape(response)["message"] == "Not found."


@pytest.mark.parametrize("bad", ["999999", "abc", "-1", "1e3"])
@pytest.mark.parametrize("suffix", ["", "/lines"])
def test_bad_ids_are_404_in_the_error_shape(alice_api, bad, suffix):
    response = alice_api.get(f"/api/roleplays/{bad}{suffix}")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    _error_shape(response)


# --- lines ----------------------------------------------------------------------------


def test_lines_are_ordered_with_absolute_media_urls_once_rendered(alice, alice_api):
    rendered = make_roleplay(lines=3, rendered=True)
    lines = alice_api.get(f"/api/roleplays/{rendered.pk}/lines").json()
    assert [line["order"] for line in lines] == [1, 2, 3]
    assert [line["role_position"] for line in lines] == [0, 1, 0]
    first = lines[0]
    assert first["role"] == "손님" and first["voice"] == "woman"
    assert first["status"] == "ready" and first["duration"] == pytest.approx(0.4)
    line = rendered.lines.get(order=1)
    assert first["video_url"] == f"http://testserver/media/{line.video.name}"
    for key in ("captions_url", "poster_url", "timeline_url"):
        assert first[key].startswith("http://testserver/media/lines/")
    assert alice_api.get(first["video_url"]).status_code == 200

    pending = make_roleplay(owner=alice, lines=2)
    lines = alice_api.get(f"/api/roleplays/{pending.pk}/lines").json()
    assert all(line[key] is None for line in lines for key in ("video_url", "poster_url"))


def test_line_media_url_uses_the_storage_url_for_remote_storage(alice, rf):
    from roleplay.media import line_media_url

    roleplay = make_roleplay(lines=1, rendered=True)
    line = roleplay.lines.get()

    class RemoteStorage:
        def url(self, name):
            return f"https://cdn.example.com/{name}?sig=1"

    line.video.storage = RemoteStorage()
    assert line_media_url(rf.get("/"), line.video) == (
        f"https://cdn.example.com/{line.video.name}?sig=1"
    )


# --- delete ---------------------------------------------------------------------------


def test_delete_my_roleplay_removes_it_and_its_files(
    alice, alice_api, django_capture_on_commit_callbacks
):
    mine = make_roleplay(owner=alice, lines=2, rendered=True)
    names = [line.video.name for line in mine.lines.all()]
    assert all(default_storage.exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_api.delete(f"/api/roleplays/{mine.pk}")
    assert response.status_code == 204
    assert not Roleplay.objects.filter(pk=mine.pk).exists()
    assert not any(default_storage.exists(name) for name in names)


def test_delete_another_users_roleplay_is_404_and_keeps_it(bob, alice_api):
    bobs = make_roleplay(owner=bob)
    response = alice_api.delete(f"/api/roleplays/{bobs.pk}")
    assert response.status_code == 404
    _error_shape(response)
    assert Roleplay.objects.filter(pk=bobs.pk).exists()


def test_delete_official_roleplay_is_403(alice_api):
    official = make_roleplay()
    response = alice_api.delete(f"/api/roleplays/{official.pk}")
    assert response.status_code == 403
    assert _error_shape(response)["message"] == services.OFFICIAL_NOT_DELETABLE
    assert Roleplay.objects.filter(pk=official.pk).exists()


def test_delete_bad_id_is_404(alice_api):
    assert alice_api.delete("/api/roleplays/abc").status_code == 404
    assert alice_api.delete("/api/roleplays/999999").status_code == 404


def test_uncategorised_roleplays_have_a_null_category(alice, alice_api):
    mine = make_roleplay(owner=alice, category=None)
    assert alice_api.get(f"/api/roleplays/{mine.pk}").json()["category"] is None
    assert alice_api.get("/api/roleplays/mine").json()["results"][0]["category"] is None
