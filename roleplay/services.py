"""Writes for roleplays: structure validation, library import, deletion, line reordering.

The management command, the admin and the APIs call these functions; none of them
writes roleplay rows on its own.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_noop

from lipread.api.exceptions import ApplicationError
from roleplay import library_io
from roleplay.models import Category, Line, Role, Roleplay
from roleplay.selectors import roleplay_lookup

logger = logging.getLogger(__name__)

TWO_ROLES = gettext_noop("A roleplay has exactly two roles, at positions 0 and 1.")
LINE_ROLE_FOREIGN = gettext_noop("Every line must be spoken by one of the roleplay's own roles.")
OFFICIAL_NOT_DELETABLE = gettext_noop(
    "Official roleplays cannot be deleted here; curators use the admin."
)
UNKNOWN_LIBRARY_CATEGORY = "Unknown category in the library data."
UNCATEGORISED = "uncategorised"
KEY_TAKEN = gettext_noop("A library key is already used by a personal roleplay.")
MEDIA_FIELDS = ("video", "captions", "poster", "timeline")
# Above any real line order and within PositiveSmallIntegerField: where the admin parks
# lines while applying edits, so the (roleplay, order) unique constraint never collides.
PARKING_ORDER = 20000


def roleplay_validate_structure(roleplay: Roleplay) -> None:
    """Enforce the two-roles rule on stored rows (raises Django ValidationError).

    The lip-reading exercises alternate two faces and two voices; anything else
    breaks the practice page and the renderer.
    """
    positions = sorted(roleplay.roles.values_list("position", flat=True))
    if positions != [0, 1]:
        raise ValidationError({"roles": [TWO_ROLES]})
    foreign = roleplay.lines.exclude(role__roleplay=roleplay)
    if foreign.exists():
        raise ValidationError({"lines": [LINE_ROLE_FOREIGN]})


def _delete_files_on_commit(names: Iterable[str]) -> None:
    """Remove stored media only once the rows pointing at it are gone for good."""
    names = [name for name in names if name]
    if not names:
        return

    def delete() -> None:
        for name in names:
            try:
                default_storage.delete(name)
            except OSError:  # already gone or unreachable: orphans are harmless
                logger.warning("could not delete media %s", name)

    transaction.on_commit(delete)


def _line_media_names(lines: Iterable[Line]) -> list[str]:
    return [getattr(line, name).name for line in lines for name in MEDIA_FIELDS]


def _line_reset(line: Line) -> list[str]:
    """Drop a line's rendered assets (its text or voice changed); return the file names."""
    names = _line_media_names([line])
    for name in MEDIA_FIELDS:
        setattr(line, name, "")
    line.duration = None
    line.rendered_text = ""
    line.error = ""
    line.status = Line.Status.PENDING
    return names


def roleplay_refresh_status(*, roleplay: Roleplay) -> Roleplay:
    """Official roleplays are `ready` when every line has its assets, else `draft`.

    Jobs in flight (queued/generating) own the status of their roleplay and are left
    alone; a ready roleplay whose lines changed goes back to draft.
    """
    lines = list(roleplay.lines.all())
    if lines and all(line.has_assets for line in lines):
        status, progress = Roleplay.Status.READY, 100
    elif roleplay.status in Roleplay.UNFINISHED:
        return roleplay
    else:
        status, progress = Roleplay.Status.DRAFT, 0
    if (roleplay.status, roleplay.progress) != (status, progress):
        roleplay.status, roleplay.progress = status, progress
        roleplay.save(update_fields=["status", "progress", "updated_at"])
    return roleplay


@dataclass
class LibraryReport:
    """What an import did; printed by `load_library` and shown by the admin import."""

    categories_created: int = 0
    categories_updated: int = 0
    categories_unchanged: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    lines_reset: int = 0
    not_in_files: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = (
            f"categories: {self.categories_created} created, {self.categories_updated} updated, "
            f"{self.categories_unchanged} unchanged; roleplays: {self.created} created, "
            f"{self.updated} updated, {self.unchanged} unchanged; "
            f"{self.lines_reset} lines need re-rendering"
        )
        if self.not_in_files:
            text += f"; kept {len(self.not_in_files)} official roleplays not in the data: " + (
                ", ".join(self.not_in_files)
            )
        return text


def _category_upsert(data: dict, report: LibraryReport) -> Category:
    category = Category.objects.filter(slug=data["slug"]).first()
    if category is None:
        category = Category(**data)
        category.full_clean()
        category.save()
        report.categories_created += 1
        return category
    changed = [name for name, value in data.items() if getattr(category, name) != value]
    if changed:
        for name in changed:
            setattr(category, name, data[name])
        category.full_clean()
        category.save(update_fields=changed)
        report.categories_updated += 1
    else:
        report.categories_unchanged += 1
    return category


def _roleplay_create(data: dict, category: Category | None) -> Roleplay:
    roleplay = Roleplay(
        kind=Roleplay.Kind.OFFICIAL,
        key=data["key"],
        owner=None,
        language=data["language"],
        title=data["title"],
        description=data["description"],
        emoji=data["emoji"],
        category=category,
        status=Roleplay.Status.DRAFT,
    )
    roleplay.full_clean()
    roleplay.save()
    roles = [
        Role.objects.create(roleplay=roleplay, position=position, **role)
        for position, role in enumerate(data["roles"])
    ]
    Line.objects.bulk_create(
        Line(roleplay=roleplay, order=order, role=roles[line["role"]], text=line["text"])
        for order, line in enumerate(data["lines"], start=1)
    )
    roleplay_validate_structure(roleplay)
    return roleplay


def _roleplay_update(roleplay: Roleplay, data: dict, category: Category | None) -> tuple[int, int]:
    """Bring an existing official roleplay in line with `data`, keeping what still fits.

    Steps: scalar fields; roles in place by position (a new voice invalidates that
    role's videos); lines in place by order — a line whose text, role and voice are
    unchanged keeps its rendered assets, a changed one is reset, extra ones deleted.
    Returns (number of changes, 0 = unchanged; number of lines whose assets were dropped).
    """
    changes = 0
    scalars = {
        "language": data["language"],
        "title": data["title"],
        "description": data["description"],
        "emoji": data["emoji"],
        "category": category,
    }
    language_changed = roleplay.language != data["language"]
    dirty = [name for name, value in scalars.items() if getattr(roleplay, name) != value]
    if dirty:
        for name in dirty:
            setattr(roleplay, name, scalars[name])
        roleplay.full_clean()
        roleplay.save(update_fields=[*dirty, "updated_at"])
        changes += 1

    roles = {role.position: role for role in roleplay.roles.all()}
    revoiced: set[int] = set()
    for position, wanted in enumerate(data["roles"]):
        role = roles.get(position)
        if role is None:
            roles[position] = Role.objects.create(roleplay=roleplay, position=position, **wanted)
            changes += 1
            continue
        role_dirty = [name for name, value in wanted.items() if getattr(role, name) != value]
        if role_dirty:
            if "voice" in role_dirty:
                revoiced.add(position)
            for name in role_dirty:
                setattr(role, name, wanted[name])
            role.save(update_fields=role_dirty)
            changes += 1

    existing = {line.order: line for line in roleplay.lines.select_related("role")}
    stale_files: list[str] = []
    reset = 0
    for order, wanted in enumerate(data["lines"], start=1):
        role = roles[wanted["role"]]
        line = existing.pop(order, None)
        if line is None:
            Line.objects.create(roleplay=roleplay, order=order, role=role, text=wanted["text"])
            changes += 1
            continue
        same_words = line.text == wanted["text"] and line.role_id == role.pk
        if same_words and not language_changed and role.position not in revoiced:
            continue
        line.text, line.role = wanted["text"], role
        if line.has_assets or line.status != Line.Status.PENDING:
            stale_files += _line_reset(line)
            reset += 1
        line.save()
        changes += 1
    if existing:
        stale_files += _line_media_names(existing.values())
        Line.objects.filter(pk__in=[line.pk for line in existing.values()]).delete()
        changes += 1
    _delete_files_on_commit(stale_files)
    roleplay_validate_structure(roleplay)
    return changes, reset


@transaction.atomic
def library_import(*, data: library_io.LibraryData, report_missing: bool = True) -> LibraryReport:
    """Upsert categories (by slug) and official roleplays (by key) from parsed data.

    Idempotent: running it twice changes nothing the second time. Official roleplays
    whose key is not in the data are kept (learners may have practice history on
    them) and listed in `report.not_in_files` so a curator can delete them in the admin.
    """
    report = LibraryReport()
    categories = {item["slug"]: _category_upsert(item, report) for item in data.categories}
    for slug, items in data.roleplays.items():
        category = categories.get(slug) or Category.objects.filter(slug=slug).first()
        if category is None and slug != UNCATEGORISED:
            raise ApplicationError(
                UNKNOWN_LIBRARY_CATEGORY,
                {"fields": {"category": [f"No category with slug {slug!r}."]}},
            )
        for item in items:
            roleplay = Roleplay.objects.filter(key=item["key"]).first()
            if roleplay is not None and not roleplay.is_official:
                raise ApplicationError(
                    KEY_TAKEN, {"fields": {"key": [f"{item['key']!r} is a personal roleplay."]}}
                )
            if roleplay is None:
                _roleplay_create(item, category)
                report.created += 1
                continue
            changes, reset = _roleplay_update(roleplay, item, category)
            if changes:
                report.updated += 1
                report.lines_reset += reset
                roleplay_refresh_status(roleplay=roleplay)
            else:
                report.unchanged += 1
    if report_missing:
        keys = {item["key"] for items in data.roleplays.values() for item in items}
        report.not_in_files = sorted(
            Roleplay.objects.official()
            .exclude(key__isnull=True)
            .exclude(key__in=keys)
            .values_list("key", flat=True)
        )
    return report


def library_load(*, directory: Path | str = library_io.DEFAULT_DIRECTORY) -> LibraryReport:
    """Load the whole library from its directory (categories.json + roleplays/*.json)."""
    return library_import(data=library_io.read_directory(directory))


def roleplay_get_deletable(*, user, roleplay_id) -> Roleplay:
    """The roleplay `user` may delete; 404 when not visible, 403 for official ones."""
    roleplay = roleplay_lookup(Roleplay.objects.visible_to(user), roleplay_id)
    if roleplay.kind != Roleplay.Kind.PERSONAL or roleplay.owner_id != user.pk:
        raise ApplicationError(OFFICIAL_NOT_DELETABLE, status=403)
    return roleplay


@transaction.atomic
def roleplay_delete(*, user, roleplay_id) -> None:
    """Delete the user's own personal roleplay and (after commit) its media files."""
    roleplay = roleplay_get_deletable(user=user, roleplay_id=roleplay_id)
    _delete_files_on_commit(_line_media_names(roleplay.lines.all()))
    roleplay.delete()


@transaction.atomic
def roleplay_lines_reorder(*, roleplay: Roleplay, line_ids: list[int]) -> None:
    """Give the roleplay's lines the orders 1..n in the sequence of `line_ids`.

    Two phases — park every line above the highest order in use, then write the final
    orders — so swapping two lines never trips the (roleplay, order) unique constraint.
    """
    current = set(roleplay.lines.values_list("pk", flat=True))
    if set(line_ids) != current or len(line_ids) != len(current):
        raise ApplicationError("The new order must list every line of the roleplay once.")
    parking = max(roleplay.lines.aggregate(top=Max("order"))["top"] or 0, len(line_ids)) + 1
    for index, pk in enumerate(line_ids):
        Line.objects.filter(pk=pk).update(order=parking + index)
    for order, pk in enumerate(line_ids, start=1):
        Line.objects.filter(pk=pk).update(order=order)
