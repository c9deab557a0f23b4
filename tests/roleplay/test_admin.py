"""Curator admin: changelist filters/search, player, JSON export/import, inline rules."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from roleplay import library_io, services
from roleplay.models import Category, Line, Roleplay
from tests.factories import UserFactory
from tests.roleplay.factories import CategoryFactory, make_roleplay

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/roleplay/roleplay/"


@pytest.fixture
def curator(db):
    return UserFactory(email="curator@example.com", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client_(curator) -> Client:
    client = Client()
    client.force_login(curator)
    return client


def test_changelist_filters_and_searches_line_text(alice, admin_client_):
    cafe = CategoryFactory(slug="cafe")
    official = make_roleplay(category=cafe, title="카페 주문")
    english = make_roleplay(category=cafe, title="Coffee order", language="en")
    personal = make_roleplay(owner=alice, title="내 카페")
    Line.objects.filter(roleplay=english, order=1).update(text="A flat white, please.")

    def titles(query: str) -> set[str]:
        response = admin_client_.get(f"{CHANGELIST}?{query}")
        assert response.status_code == 200
        return {str(item) for item in response.context["cl"].result_list}

    assert titles("kind__exact=official") == {str(official), str(english)}
    assert titles("kind__exact=personal") == {str(personal)}
    assert titles("language__exact=en") == {str(english)}
    assert titles(f"category__id__exact={cafe.pk}") == {str(official), str(english)}
    assert titles("status__exact=ready") == set()
    assert titles("q=flat+white") == {str(english)}
    assert titles("q=주문") == {str(official), str(english), str(personal)}  # line text too


def test_change_form_shows_a_video_player_with_captions_for_rendered_lines(admin_client_):
    roleplay = make_roleplay(lines=2, rendered=True)
    line = roleplay.lines.get(order=1)
    html = admin_client_.get(f"{CHANGELIST}{roleplay.pk}/change/").content.decode()
    assert f'src="/media/{line.video.name}"' in html
    assert f'<track kind="captions" src="/media/{line.captions.name}"' in html
    assert html.count("<video") == 2
    assert admin_client_.get(f"/media/{line.video.name}").status_code == 200

    line_html = admin_client_.get(f"/admin/roleplay/line/{line.pk}/change/").content.decode()
    assert f'src="/media/{line.video.name}"' in line_html

    pending = make_roleplay(lines=2)
    assert "<video" not in admin_client_.get(f"{CHANGELIST}{pending.pk}/change/").content.decode()


def test_export_action_returns_library_json_that_imports_back(admin_client_):
    services.library_load()
    selected = list(Roleplay.objects.filter(key__in=["bank-ko-1", "cinema-en-1"]))
    response = admin_client_.post(
        CHANGELIST,
        {"action": "export_json", "_selected_action": [r.pk for r in selected]},
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    bundle = json.loads(response.content)
    assert bundle["format"] == library_io.BUNDLE_FORMAT
    assert {c["slug"] for c in bundle["categories"]} == {"bank", "cinema"}
    library = json.loads((library_io.DEFAULT_DIRECTORY / "roleplays" / "bank.json").read_text())
    original = next(item for item in library if item["key"] == "bank-ko-1")
    assert bundle["roleplays"]["bank"] == [original]  # exactly the library-file format

    # Round trip: delete, import the export, get the same content back.
    Roleplay.objects.filter(pk__in=[r.pk for r in selected]).delete()
    upload = SimpleUploadedFile("export.json", response.content, "application/json")
    result = admin_client_.post(f"{CHANGELIST}import/", {"file": upload})
    assert result.status_code == 302
    again = library_io.export_bundle(
        Roleplay.objects.filter(key__in=["bank-ko-1", "cinema-en-1"]).order_by(
            "category__order", "key"
        )
    )
    assert again == bundle
    assert Roleplay.objects.official().count() == 60


def test_import_a_single_category_file_updates_in_place(admin_client_):
    services.library_load()
    ids = set(Roleplay.objects.values_list("pk", flat=True))
    items = json.loads((library_io.DEFAULT_DIRECTORY / "roleplays" / "bank.json").read_text())
    items[0]["title"] = "새 제목"
    upload = SimpleUploadedFile("bank.json", json.dumps(items).encode(), "application/json")
    response = admin_client_.post(f"{CHANGELIST}import/", {"file": upload}, follow=True)
    assert "1 updated" in response.content.decode()
    assert set(Roleplay.objects.values_list("pk", flat=True)) == ids
    assert Roleplay.objects.get(key=items[0]["key"]).title == "새 제목"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.json", b"{not json", "not valid JSON"),
        ("x.json", b'{"hello": 1}', "Upload a library bundle"),
        ("unknown-cat.json", b"[]", services.UNKNOWN_LIBRARY_CATEGORY),
        (
            "bank.json",
            json.dumps(
                [{"key": "a", "language": "ko", "title": "t", "roles": [], "lines": []}]
            ).encode(),
            "exactly two roles",
        ),
    ],
)
def test_import_rejects_bad_files_with_a_message(admin_client_, name, content, message):
    CategoryFactory(slug="bank")
    upload = SimpleUploadedFile(name, content, "application/json")
    response = admin_client_.post(f"{CHANGELIST}import/", {"file": upload})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Roleplay.objects.count() == 0


def test_import_page_is_staff_only(alice):
    client = Client()
    client.force_login(alice)
    response = client.get(f"{CHANGELIST}import/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    staff = UserFactory(email="viewer@example.com", is_staff=True)  # staff without permissions
    client.force_login(staff)
    assert client.get(f"{CHANGELIST}import/").status_code == 403


def _change_data(roleplay: Roleplay, *, roles=None, lines=None) -> dict:
    """POST data for the roleplay change form, with optional role/line overrides."""
    data = {
        "kind": roleplay.kind,
        "key": roleplay.key or "",
        "owner": roleplay.owner_id or "",
        "language": roleplay.language,
        "category": roleplay.category_id or "",
        "parent": "",
        "title": roleplay.title,
        "emoji": roleplay.emoji,
        "description": roleplay.description,
        "must_words": json.dumps(roleplay.must_words),
        "status": roleplay.status,
        "progress": roleplay.progress,
        "error": "",
    }
    role_rows = roles or [
        {"id": r.pk, "position": r.position, "name": r.name, "voice": r.voice}
        for r in roleplay.roles.order_by("position")
    ]
    data.update(
        {
            "roles-TOTAL_FORMS": len(role_rows),
            "roles-INITIAL_FORMS": 2,
            "roles-MIN_NUM_FORMS": 2,
            "roles-MAX_NUM_FORMS": 2,
        }
    )
    for index, row in enumerate(role_rows):
        for key, value in row.items():
            data[f"roles-{index}-{key}"] = value
        data[f"roles-{index}-roleplay"] = roleplay.pk
        data[f"roles-{index}-description"] = row.get("description", "")
    line_rows = lines or [
        {"id": line.pk, "order": line.order, "role": line.role_id, "text": line.text}
        for line in roleplay.lines.order_by("order")
    ]
    existing = roleplay.lines.count()
    data.update(
        {
            "lines-TOTAL_FORMS": len(line_rows),
            "lines-INITIAL_FORMS": existing,
            "lines-MIN_NUM_FORMS": 0,
            "lines-MAX_NUM_FORMS": 1000,
        }
    )
    for index, row in enumerate(line_rows):
        for key, value in row.items():
            data[f"lines-{index}-{key}"] = value
        data[f"lines-{index}-roleplay"] = roleplay.pk
    return data


def test_swapping_line_orders_in_the_inline_renumbers_them(admin_client_):
    roleplay = make_roleplay(lines=4, rendered=True)
    lines = list(roleplay.lines.order_by("order"))
    rows = [{"id": x.pk, "order": x.order, "role": x.role_id, "text": x.text} for x in lines]
    rows[0]["order"], rows[1]["order"] = 2, 1
    rows[3]["order"] = 3  # a tie with unchanged line 3: the moved line goes first
    response = admin_client_.post(
        f"{CHANGELIST}{roleplay.pk}/change/", _change_data(roleplay, lines=rows)
    )
    assert response.status_code == 302, response.context["errors"]
    after = list(roleplay.lines.order_by("order").values_list("pk", "order"))
    assert [pk for pk, _ in after] == [lines[1].pk, lines[0].pk, lines[3].pk, lines[2].pk]
    assert [order for _, order in after] == [1, 2, 3, 4]
    assert all(line.has_assets for line in roleplay.lines.all())


def test_inline_requires_exactly_two_roles(admin_client_):
    roleplay = make_roleplay(lines=2)
    data = _change_data(roleplay)
    data["roles-1-position"] = 0
    response = admin_client_.post(f"{CHANGELIST}{roleplay.pk}/change/", data)
    assert response.status_code == 200
    assert response.context["errors"]  # the duplicate position is refused
    assert sorted(roleplay.roles.values_list("position", flat=True)) == [0, 1]
    data = _change_data(roleplay)
    data["roles-1-DELETE"] = "on"
    response = admin_client_.post(f"{CHANGELIST}{roleplay.pk}/change/", data)
    assert response.status_code == 200
    assert services.TWO_ROLES in str(
        response.context["inline_admin_formsets"][0].formset.non_form_errors()
    )
    assert roleplay.roles.count() == 2


def test_a_line_cannot_use_another_roleplays_role(admin_client_):
    roleplay = make_roleplay(lines=2)
    other = make_roleplay(lines=1)
    data = _change_data(roleplay)
    data["lines-0-role"] = other.roles.first().pk
    response = admin_client_.post(f"{CHANGELIST}{roleplay.pk}/change/", data)
    assert response.status_code == 200
    assert response.context["errors"]
    assert roleplay.lines.get(order=1).role.roleplay_id == roleplay.pk


def test_category_order_is_editable_in_the_list(admin_client_):
    first, second = CategoryFactory(slug="a", order=1), CategoryFactory(slug="b", order=2)
    data = {
        "form-TOTAL_FORMS": 2,
        "form-INITIAL_FORMS": 2,
        "form-MIN_NUM_FORMS": 0,
        "form-MAX_NUM_FORMS": 1000,
        "_save": "Save",
        "form-0-id": first.pk,
        "form-0-order": 5,
        "form-1-id": second.pk,
        "form-1-order": 2,
    }
    response = admin_client_.post("/admin/roleplay/category/", data)
    assert response.status_code == 302
    assert list(Category.objects.values_list("slug", flat=True)) == ["b", "a"]
