"""load_library: idempotent, keyed by slug/key, keeps videos of unchanged lines."""

from __future__ import annotations

import copy
import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.utils import translation

from lipread.api.exceptions import ApplicationError
from roleplay import library_io, services
from roleplay.models import Category, Line, Role, Roleplay
from tests.roleplay.factories import make_roleplay, render_line

pytestmark = pytest.mark.django_db


def _snapshot() -> dict:
    return {
        "categories": sorted(Category.objects.values_list("id", "slug")),
        "roleplays": sorted(Roleplay.objects.values_list("id", "key")),
        "roles": sorted(Role.objects.values_list("id", "roleplay_id", "position")),
        "lines": sorted(Line.objects.values_list("id", "roleplay_id", "order", "text")),
    }


def test_load_library_twice_duplicates_nothing():
    out = StringIO()
    call_command("load_library", stdout=out)
    assert "roleplays: 60 created, 0 updated, 0 unchanged" in out.getvalue()
    first = _snapshot()

    out = StringIO()
    call_command("load_library", stdout=out)
    assert "roleplays: 0 created, 0 updated, 60 unchanged" in out.getvalue()
    assert "categories: 0 created, 0 updated, 12 unchanged" in out.getvalue()
    assert _snapshot() == first

    assert Category.objects.count() == 12
    official = Roleplay.objects.official()
    assert official.count() == 60
    assert not official.filter(owner__isnull=False).exists()
    assert set(official.values_list("status", flat=True)) == {Roleplay.Status.DRAFT}
    for roleplay in official.prefetch_related("roles"):
        services.roleplay_validate_structure(roleplay)
        assert roleplay.category is not None
    assert official.filter(language="ko").count() >= 36
    assert official.filter(language="en").count() >= 24


@pytest.fixture
def library_copy(tmp_path) -> Path:
    target = tmp_path / "library"
    shutil.copytree(library_io.DEFAULT_DIRECTORY, target)
    return target


def _edit(directory: Path, slug: str, change) -> None:
    path = directory / "roleplays" / f"{slug}.json"
    items = json.loads(path.read_text(encoding="utf-8"))
    change(items)
    path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")


def test_reload_keeps_videos_of_unchanged_lines_and_resets_changed_ones(
    library_copy, django_capture_on_commit_callbacks
):
    services.library_load(directory=library_copy)
    roleplay = Roleplay.objects.get(key="bank-ko-1")
    lines = list(roleplay.lines.order_by("order"))
    for line in lines:
        render_line(line)
    services.roleplay_refresh_status(roleplay=roleplay)
    roleplay.refresh_from_db()
    assert roleplay.status == Roleplay.Status.READY
    old_video = lines[1].video.name
    kept_video = lines[0].video.name

    def change(items):
        item = next(i for i in items if i["key"] == "bank-ko-1")
        item["lines"][1]["text"] = "적금 상품을 알아보러 왔어요."
        item["title"] = "은행 새 제목"

    _edit(library_copy, "bank", change)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.library_load(directory=library_copy)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 59)
    assert report.lines_reset == 1

    roleplay.refresh_from_db()
    assert roleplay.title == "은행 새 제목"
    assert roleplay.status == Roleplay.Status.DRAFT
    after = list(roleplay.lines.order_by("order"))
    assert [line.pk for line in after] == [line.pk for line in lines]
    assert after[0].video.name == kept_video and after[0].has_assets
    assert after[1].text == "적금 상품을 알아보러 왔어요."
    assert not after[1].video and after[1].status == Line.Status.PENDING
    assert not default_storage.exists(old_video)
    assert default_storage.exists(kept_video)


def test_reload_applies_fewer_lines_and_new_voice(library_copy):
    services.library_load(directory=library_copy)
    roleplay = Roleplay.objects.get(key="bank-ko-1")
    count = roleplay.lines.count()
    for line in roleplay.lines.all():
        render_line(line)

    def change(items):
        item = next(i for i in items if i["key"] == "bank-ko-1")
        item["lines"] = item["lines"][:-2]
        item["roles"][1]["voice"] = "older_man"

    _edit(library_copy, "bank", change)
    services.library_load(directory=library_copy)
    assert roleplay.lines.count() == count - 2
    role = roleplay.roles.get(position=1)
    assert role.voice == "older_man"
    assert all(not line.video for line in roleplay.lines.filter(role=role))
    assert all(line.video for line in roleplay.lines.filter(role__position=0))


def test_roleplays_missing_from_the_files_are_kept_and_reported(library_copy):
    services.library_load(directory=library_copy)
    _edit(library_copy, "bank", lambda items: items.pop(0))
    report = services.library_load(directory=library_copy)
    assert Roleplay.objects.filter(key="bank-ko-1").exists()
    assert report.not_in_files == ["bank-ko-1"]
    assert "bank-ko-1" in report.summary()


def test_invalid_library_data_is_rejected_before_any_write(library_copy):
    def break_roles(items):
        items[0]["roles"] = items[0]["roles"][:1]

    _edit(library_copy, "bank", break_roles)
    with pytest.raises(CommandError, match="exactly two roles"):
        call_command("load_library", directory=str(library_copy), stdout=StringIO())
    assert Roleplay.objects.count() == 0


@pytest.mark.parametrize(
    ("path", "value", "problem"),
    [
        (("lines", 0, "role"), 2, "must be 0 or 1"),
        (("language",), "jp", "must be one of"),
        (("roles", 0, "voice"), "robot", "must be one of"),
        (("lines", 0, "text"), "", "must not be empty"),
        (("key",), "Not A Slug", "lowercase"),
    ],
)
def test_parse_names_the_problem(path, value, problem):
    raw = {
        "key": "cafe-ko-1",
        "language": "ko",
        "title": "카페",
        "description": "",
        "emoji": "☕",
        "roles": [
            {"name": "손님", "description": "", "voice": "woman"},
            {"name": "직원", "description": "", "voice": "man"},
        ],
        "lines": [{"role": 0, "text": "안녕하세요."}, {"role": 1, "text": "어서 오세요."}],
    }
    broken = copy.deepcopy(raw)
    target = broken
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    library_io.parse([], {"bank": [raw]})
    with pytest.raises(ApplicationError) as error:
        library_io.parse([], {"bank": [broken]})
    assert problem in json.dumps(error.value.extra, ensure_ascii=False)


def test_validate_structure_rejects_a_third_role_and_a_foreign_line(alice):
    roleplay = make_roleplay(owner=alice, lines=2)
    services.roleplay_validate_structure(roleplay)

    other = make_roleplay(owner=alice, lines=2)
    line = roleplay.lines.first()
    line.role = other.roles.first()
    line.save()
    with pytest.raises(ValidationError, match="own roles"):
        services.roleplay_validate_structure(roleplay)

    Role.objects.filter(roleplay=other, position=1).delete()
    with pytest.raises(ValidationError, match="exactly two roles"):
        services.roleplay_validate_structure(other)


def test_lines_reorder_swaps_without_breaking_the_unique_order(alice):
    roleplay = make_roleplay(owner=alice, lines=4)
    ids = list(roleplay.lines.order_by("order").values_list("pk", flat=True))
    swapped = [ids[1], ids[0], ids[3], ids[2]]
    services.roleplay_lines_reorder(roleplay=roleplay, line_ids=swapped)
    assert list(roleplay.lines.order_by("order").values_list("pk", flat=True)) == swapped
    assert list(roleplay.lines.order_by("order").values_list("order", flat=True)) == [1, 2, 3, 4]
    with pytest.raises(ApplicationError):
        services.roleplay_lines_reorder(roleplay=roleplay, line_ids=ids[:3])


def test_a_key_used_by_a_personal_roleplay_is_not_taken_over(alice):
    make_roleplay(owner=alice, key="bank-ko-1")
    with translation.override("en"), pytest.raises(ApplicationError, match="personal roleplay"):
        services.library_load()
    assert Roleplay.objects.get(key="bank-ko-1").owner == alice
    assert Roleplay.objects.count() == 1


def test_export_library_command_writes_the_library_back(tmp_path):
    services.library_load()
    target = tmp_path / "bundle.json"
    call_command("export_library", output=str(target))
    bundle = json.loads(target.read_text(encoding="utf-8"))
    assert bundle["categories"] == json.loads(
        (library_io.DEFAULT_DIRECTORY / "categories.json").read_text(encoding="utf-8")
    )
    for slug, items in bundle["roleplays"].items():
        on_disk = json.loads(
            (library_io.DEFAULT_DIRECTORY / "roleplays" / f"{slug}.json").read_text(
                encoding="utf-8"
            )
        )
        assert sorted(items, key=lambda i: i["key"]) == sorted(on_disk, key=lambda i: i["key"])
