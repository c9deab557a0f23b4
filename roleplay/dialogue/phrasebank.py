"""Loads the phrase bank: word lists and sentence templates kept as data, not code.

Curators can extend the lists (a verb the heuristics misclassify, a new irregular
verb) without touching the composer.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"

_REQUIRED = {
    "ko": (
        "nouns_ending_da",
        "adjectives",
        "verbs",
        "adjective_endings",
        "irregular_polite",
        "regular_bieup",
        "templates",
        "pair_templates",
        "category_keywords",
    ),
    "en": (
        "verbs",
        "adjectives",
        "feelings",
        "mass_nouns",
        "nouns",
        "an_words",
        "a_words",
        "templates",
        "pair_templates",
        "category_keywords",
    ),
}


@cache
def load_phrasebank(language: str) -> dict[str, Any]:
    """The phrase bank for ``language`` ("ko" or "en"), checked for the keys code relies on."""
    if language not in _REQUIRED:
        raise ValueError(f"No phrase bank for language {language!r}.")
    path = DATA_DIR / f"phrasebank_{language}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    missing = [key for key in _REQUIRED[language] if key not in data]
    if missing:
        raise ValueError(f"Phrase bank {path.name} lacks keys: {', '.join(missing)}.")
    return data
