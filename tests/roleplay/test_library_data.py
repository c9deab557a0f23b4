"""Validate the official roleplay library JSON.

The library is hand-written data that the loader imports idempotently by ``key`` and that
the video pipeline renders line by line, so mistakes here surface late and far away (a
broken render, a silent duplicate, a line too long to lip-read). These checks run on the
raw files with no Django so a content edit fails fast and names the roleplay at fault.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

LIBRARY_DIR = Path(__file__).resolve().parents[2] / "roleplay" / "library"
ROLEPLAYS_DIR = LIBRARY_DIR / "roleplays"

EXPECTED_CATEGORIES = {
    "restaurant": ("음식점", "Restaurant"),
    "transport": ("교통", "Transport"),
    "shopping": ("쇼핑", "Shopping"),
    "medical": ("의료", "Medical"),
    "travel": ("여행", "Travel"),
    "cinema": ("영화관", "Cinema"),
    "school": ("학교", "School"),
    "hair-salon": ("미용실", "Hair salon"),
    "bank": ("은행", "Bank"),
    "socialising": ("친목", "Socialising"),
    "relationships": ("인간관계", "Relationships"),
    "academy": ("학원", "Academy"),
}
LANGUAGES = ("ko", "en")
VOICES = {"woman", "man", "older_woman", "older_man"}
ROLEPLAY_FIELDS = {"key", "language", "title", "description", "emoji", "roles", "lines"}
ROLE_FIELDS = {"name", "description", "voice"}
LINE_FIELDS = {"role", "text"}

MIN_PER_CATEGORY = {"ko": 3, "en": 2}
MIN_TOTAL = 60
MIN_LINES, MAX_LINES = 6, 10
MAX_KO_CHARS = 60
MAX_EN_WORDS = 15
MAX_TITLE_CHARS = 40
# Lines should mostly alternate; a role may speak at most this many lines in a row.
MAX_CONSECUTIVE_SAME_ROLE = 2

HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
LATIN = re.compile(r"[A-Za-z]")


def _load_json(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def _load_categories() -> list[dict[str, Any]]:
    return _load_json(LIBRARY_DIR / "categories.json")


def _load_roleplays() -> list[tuple[str, dict[str, Any]]]:
    """Return ``(category slug from file name, roleplay)`` for every roleplay file."""
    items: list[tuple[str, dict[str, Any]]] = []
    for path in sorted(ROLEPLAYS_DIR.glob("*.json")):
        data = _load_json(path)
        assert isinstance(data, list), f"{path.name} must hold a list of roleplays"
        items.extend((path.stem, roleplay) for roleplay in data)
    return items


CATEGORIES = _load_categories()
ROLEPLAYS = _load_roleplays()


def _roleplay_id(item: tuple[str, dict[str, Any]]) -> str:
    return str(item[1].get("key", f"{item[0]}-<no key>"))


def _is_emoji(value: str) -> bool:
    return any(unicodedata.category(ch) == "So" for ch in value)


def _text_fields(roleplay: dict[str, Any]) -> list[str]:
    """Every learner-visible string of a roleplay, which must be in its language."""
    texts = [roleplay["title"], roleplay["description"]]
    for role in roleplay["roles"]:
        texts += [role["name"], role["description"]]
    texts += [line["text"] for line in roleplay["lines"]]
    return texts


roleplay_cases = pytest.mark.parametrize(
    "item", ROLEPLAYS, ids=[_roleplay_id(i) for i in ROLEPLAYS]
)


def test_categories_are_exactly_the_twelve_expected_slugs_with_names() -> None:
    found = {c["slug"]: (c["name_ko"], c["name_en"]) for c in CATEGORIES}
    assert len(CATEGORIES) == len(EXPECTED_CATEGORIES)
    assert found == EXPECTED_CATEGORIES


def test_categories_have_emoji_and_order_matching_display_position() -> None:
    for position, category in enumerate(CATEGORIES, start=1):
        assert set(category) == {"slug", "name_ko", "name_en", "emoji", "order"}
        assert category["order"] == position, category["slug"]
        assert _is_emoji(category["emoji"]), category["slug"]


def test_every_category_has_a_roleplay_file_and_every_file_a_category() -> None:
    files = {path.stem for path in ROLEPLAYS_DIR.glob("*.json")}
    assert files == set(EXPECTED_CATEGORIES)


def test_roleplay_keys_are_unique() -> None:
    counts = Counter(roleplay.get("key") for _, roleplay in ROLEPLAYS)
    duplicates = sorted(str(key) for key, n in counts.items() if n > 1)
    assert duplicates == []


def test_library_has_enough_roleplays_per_category_and_language() -> None:
    counts = Counter((slug, roleplay["language"]) for slug, roleplay in ROLEPLAYS)
    short = {
        (slug, lang): counts[(slug, lang)]
        for slug in EXPECTED_CATEGORIES
        for lang, minimum in MIN_PER_CATEGORY.items()
        if counts[(slug, lang)] < minimum
    }
    assert short == {}
    assert len(ROLEPLAYS) >= MIN_TOTAL


@pytest.mark.parametrize("language", LANGUAGES)
def test_titles_are_unique_within_a_language(language: str) -> None:
    titles = Counter(r["title"] for _, r in ROLEPLAYS if r["language"] == language)
    assert sorted(t for t, n in titles.items() if n > 1) == []


@roleplay_cases
def test_roleplay_has_exactly_the_expected_fields(item: tuple[str, dict[str, Any]]) -> None:
    _, roleplay = item
    assert set(roleplay) == ROLEPLAY_FIELDS


@roleplay_cases
def test_key_follows_pattern_and_matches_file_and_language(
    item: tuple[str, dict[str, Any]],
) -> None:
    slug, roleplay = item
    assert roleplay["language"] in LANGUAGES
    pattern = rf"{re.escape(slug)}-{roleplay['language']}-[1-9][0-9]*"
    assert re.fullmatch(pattern, roleplay["key"]), roleplay["key"]


@roleplay_cases
def test_title_description_and_emoji_are_present(item: tuple[str, dict[str, Any]]) -> None:
    _, roleplay = item
    assert roleplay["title"].strip() == roleplay["title"] != ""
    assert len(roleplay["title"]) <= MAX_TITLE_CHARS
    assert roleplay["description"].strip() == roleplay["description"] != ""
    assert _is_emoji(roleplay["emoji"])
    assert not any(ch.isspace() for ch in roleplay["emoji"])


@roleplay_cases
def test_roleplay_has_two_distinct_well_formed_roles(item: tuple[str, dict[str, Any]]) -> None:
    _, roleplay = item
    roles = roleplay["roles"]
    assert len(roles) == 2
    for role in roles:
        assert set(role) == ROLE_FIELDS
        assert role["name"].strip() == role["name"] != ""
        assert role["description"].strip() == role["description"] != ""
        assert role["voice"] in VOICES
    assert roles[0]["name"] != roles[1]["name"]


@roleplay_cases
def test_lines_have_valid_roles_and_both_roles_speak(item: tuple[str, dict[str, Any]]) -> None:
    _, roleplay = item
    lines = roleplay["lines"]
    assert MIN_LINES <= len(lines) <= MAX_LINES
    for line in lines:
        assert set(line) == LINE_FIELDS
        assert type(line["role"]) is int and line["role"] in (0, 1)
    assert {line["role"] for line in lines} == {0, 1}


@roleplay_cases
def test_lines_mostly_alternate_between_roles(item: tuple[str, dict[str, Any]]) -> None:
    _, roleplay = item
    run, longest, previous = 0, 0, None
    for line in roleplay["lines"]:
        run = run + 1 if line["role"] == previous else 1
        previous = line["role"]
        longest = max(longest, run)
    assert longest <= MAX_CONSECUTIVE_SAME_ROLE


@roleplay_cases
def test_line_text_is_trimmed_and_fits_lip_reading_length(
    item: tuple[str, dict[str, Any]],
) -> None:
    _, roleplay = item
    for line in roleplay["lines"]:
        text = line["text"]
        assert text != "" and text == text.strip(), repr(text)
        assert "\n" not in text, repr(text)
        if roleplay["language"] == "ko":
            assert len(text) <= MAX_KO_CHARS, text
        else:
            assert len(text.split()) <= MAX_EN_WORDS, text


@roleplay_cases
def test_text_is_written_in_the_roleplay_language(item: tuple[str, dict[str, Any]]) -> None:
    """Korean text must be Hangul without Latin letters (the Korean voice would spell them
    out); English text must contain no Hangul."""
    _, roleplay = item
    for text in _text_fields(roleplay):
        if roleplay["language"] == "ko":
            assert HANGUL.search(text), text
            assert not LATIN.search(text), text
        else:
            assert not HANGUL.search(text), text
            assert LATIN.search(text), text
