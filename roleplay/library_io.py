"""The official library's JSON format: read it from disk or an upload, write it back.

The library lives in `roleplay/library/` as `categories.json` plus one
`roleplays/<category-slug>.json` per category (a list of roleplays; the file name is
the category). `load_library`, the admin import and the admin export all go through
this module so there is exactly one definition of the format:

- category: {"slug", "name_ko", "name_en", "emoji", "order"}
- roleplay: {"key", "language", "title", "description", "emoji",
             "roles": [{"name", "description", "voice"}, x2],
             "lines": [{"role": 0|1, "text"}, ...]}

An export/upload of several categories is one JSON "bundle":
`{"format": "lipread-library", "version": 1, "categories": [...],
"roleplays": {"<slug>": [...]}}`. An upload may also be a single category file (a
list) named `<slug>.json`, exactly like the files in the repository.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lipread.api.exceptions import ApplicationError

BUNDLE_FORMAT = "lipread-library"
BUNDLE_VERSION = 1
DEFAULT_DIRECTORY = Path(__file__).resolve().parent / "library"

LANGUAGES = ("ko", "en")
VOICES = ("woman", "man", "older_woman", "older_man")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

INVALID_LIBRARY = "The library data is not valid."
INVALID_JSON = "The file is not valid JSON."
UNKNOWN_FORMAT = (
    "Upload a library bundle exported from the admin or one category file named <slug>.json."
)


@dataclass
class LibraryData:
    """Parsed, validated library content, ready for `services.library_import`."""

    categories: list[dict[str, Any]] = field(default_factory=list)
    roleplays: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def roleplay_count(self) -> int:
        return sum(len(items) for items in self.roleplays.values())


def _fail(where: str, problem: str) -> None:
    raise ApplicationError(INVALID_LIBRARY, {"fields": {where: [problem]}})


def _text(value: Any, where: str, *, max_length: int, required: bool = True) -> str:
    if not isinstance(value, str):
        _fail(where, "must be a string")
    value = value.strip()
    if required and not value:
        _fail(where, "must not be empty")
    if len(value) > max_length:
        _fail(where, f"must be at most {max_length} characters")
    return value


def _category(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        _fail(where, "must be an object")
    slug = _text(raw.get("slug"), f"{where}.slug", max_length=40)
    if not SLUG.match(slug):
        _fail(f"{where}.slug", "must be lowercase letters, digits and hyphens")
    order = raw.get("order", 0)
    if not isinstance(order, int) or isinstance(order, bool) or not 0 <= order <= 32767:
        _fail(f"{where}.order", "must be a whole number from 0")
    return {
        "slug": slug,
        "name_ko": _text(raw.get("name_ko"), f"{where}.name_ko", max_length=40),
        "name_en": _text(raw.get("name_en"), f"{where}.name_en", max_length=40),
        "emoji": _text(raw.get("emoji", ""), f"{where}.emoji", max_length=16, required=False),
        "order": order,
    }


def _roleplay(raw: Any, where: str) -> dict[str, Any]:
    """Check one roleplay, including the two-roles rule, before anything touches the DB."""
    if not isinstance(raw, dict):
        _fail(where, "must be an object")
    key = _text(raw.get("key"), f"{where}.key", max_length=60)
    if not SLUG.match(key):
        _fail(f"{where}.key", "must be lowercase letters, digits and hyphens")
    where = f"{where}[{key}]"
    language = raw.get("language")
    if language not in LANGUAGES:
        _fail(f"{where}.language", f"must be one of {', '.join(LANGUAGES)}")
    roles = raw.get("roles")
    if not isinstance(roles, list) or len(roles) != 2:
        _fail(f"{where}.roles", "a roleplay has exactly two roles")
    clean_roles = []
    for index, role in enumerate(roles):
        if not isinstance(role, dict):
            _fail(f"{where}.roles[{index}]", "must be an object")
        if role.get("voice") not in VOICES:
            _fail(f"{where}.roles[{index}].voice", f"must be one of {', '.join(VOICES)}")
        clean_roles.append(
            {
                "name": _text(role.get("name"), f"{where}.roles[{index}].name", max_length=40),
                "description": _text(
                    role.get("description", ""),
                    f"{where}.roles[{index}].description",
                    max_length=200,
                    required=False,
                ),
                "voice": role["voice"],
            }
        )
    lines = raw.get("lines")
    if not isinstance(lines, list) or not lines:
        _fail(f"{where}.lines", "must be a non-empty list")
    if len(lines) > 100:
        _fail(f"{where}.lines", "at most 100 lines")
    clean_lines = []
    for index, line in enumerate(lines):
        if not isinstance(line, dict):
            _fail(f"{where}.lines[{index}]", "must be an object")
        role = line.get("role")
        if role not in (0, 1) or isinstance(role, bool):
            _fail(f"{where}.lines[{index}].role", "must be 0 or 1 (the index of a role)")
        text = _text(line.get("text"), f"{where}.lines[{index}].text", max_length=200)
        clean_lines.append({"role": role, "text": text})
    return {
        "key": key,
        "language": language,
        "title": _text(raw.get("title"), f"{where}.title", max_length=80),
        "description": _text(
            raw.get("description", ""), f"{where}.description", max_length=500, required=False
        ),
        "emoji": _text(raw.get("emoji", ""), f"{where}.emoji", max_length=16, required=False),
        "roles": clean_roles,
        "lines": clean_lines,
    }


def parse(categories: Any, roleplays: Any) -> LibraryData:
    """Validate raw decoded JSON; raise ApplicationError naming the first problem."""
    if not isinstance(categories, list):
        _fail("categories", "must be a list")
    if not isinstance(roleplays, dict):
        _fail("roleplays", "must be an object keyed by category slug")
    data = LibraryData()
    seen: set[str] = set()
    for index, raw in enumerate(categories):
        category = _category(raw, f"categories[{index}]")
        if category["slug"] in seen:
            _fail(f"categories[{index}].slug", f"duplicate category {category['slug']}")
        seen.add(category["slug"])
        data.categories.append(category)
    keys: set[str] = set()
    for slug, items in roleplays.items():
        if not isinstance(items, list):
            _fail(f"roleplays.{slug}", "must be a list")
        data.roleplays[slug] = []
        for index, raw in enumerate(items):
            roleplay = _roleplay(raw, f"roleplays.{slug}[{index}]")
            if roleplay["key"] in keys:
                _fail(f"roleplays.{slug}[{index}].key", f"duplicate key {roleplay['key']}")
            keys.add(roleplay["key"])
            data.roleplays[slug].append(roleplay)
    return data


def _read_json(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ApplicationError(INVALID_JSON, {"fields": {str(path.name): [str(error)]}}) from None


def read_directory(directory: Path | str = DEFAULT_DIRECTORY) -> LibraryData:
    """Read `categories.json` + `roleplays/*.json` (category = file name)."""
    directory = Path(directory)
    categories = _read_json(directory / "categories.json")
    roleplays = {
        path.stem: _read_json(path) for path in sorted((directory / "roleplays").glob("*.json"))
    }
    return parse(categories, roleplays)


def read_upload(content: bytes, filename: str) -> LibraryData:
    """Parse an uploaded bundle, or a single `<slug>.json` category file."""
    try:
        decoded = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ApplicationError(INVALID_JSON, {"fields": {"file": [str(error)]}}) from None
    if isinstance(decoded, dict) and decoded.get("format") == BUNDLE_FORMAT:
        if decoded.get("version") != BUNDLE_VERSION:
            _fail("version", f"unsupported version (expected {BUNDLE_VERSION})")
        return parse(decoded.get("categories", []), decoded.get("roleplays", {}))
    if isinstance(decoded, list):
        slug = Path(filename or "").stem
        if not SLUG.match(slug):
            raise ApplicationError(UNKNOWN_FORMAT, {"fields": {"file": [UNKNOWN_FORMAT]}})
        return parse([], {slug: decoded})
    raise ApplicationError(UNKNOWN_FORMAT, {"fields": {"file": [UNKNOWN_FORMAT]}})


def category_to_dict(category) -> dict[str, Any]:
    return {
        "slug": category.slug,
        "name_ko": category.name_ko,
        "name_en": category.name_en,
        "emoji": category.emoji,
        "order": category.order,
    }


def roleplay_to_dict(roleplay) -> dict[str, Any]:
    """One roleplay in the library-file format (roles by position, lines by order)."""
    roles = sorted(roleplay.roles.all(), key=lambda role: role.position)
    lines = sorted(roleplay.lines.all(), key=lambda line: line.order)
    return {
        "key": roleplay.key or f"roleplay-{roleplay.pk}",
        "language": roleplay.language,
        "title": roleplay.title,
        "description": roleplay.description,
        "emoji": roleplay.emoji,
        "roles": [
            {"name": role.name, "description": role.description, "voice": role.voice}
            for role in roles
        ],
        "lines": [{"role": line.role.position, "text": line.text} for line in lines],
    }


def export_bundle(roleplays: Iterable[Any]) -> dict[str, Any]:
    """A bundle of the given roleplays and their categories (uncategorised ones under
    "uncategorised", which import recreates as a category only if the bundle defines it)."""
    categories: dict[str, Any] = {}
    grouped: dict[str, list[dict[str, Any]]] = {}
    for roleplay in roleplays:
        slug = roleplay.category.slug if roleplay.category else "uncategorised"
        if roleplay.category:
            categories[slug] = category_to_dict(roleplay.category)
        grouped.setdefault(slug, []).append(roleplay_to_dict(roleplay))
    ordered = sorted(categories.values(), key=lambda item: (item["order"], item["slug"]))
    return {
        "format": BUNDLE_FORMAT,
        "version": BUNDLE_VERSION,
        "categories": ordered,
        "roleplays": grouped,
    }
