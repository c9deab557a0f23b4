"""Reads the curated roleplay library (JSON files) into plain values for the composer.

The files are edited by people; an entry that does not fit the format is skipped
with a warning rather than breaking every offline dialogue.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from .types import MAX_LINES, MIN_LINES, DialogueLine, RoleSpec
from .validate import is_single_emoji, line_length_problem

logger = logging.getLogger(__name__)

DEFAULT_LIBRARY_DIR = Path(__file__).resolve().parent.parent / "library"


@dataclass(frozen=True)
class LibraryRoleplay:
    key: str
    category: str
    language: str
    title: str
    description: str
    emoji: str
    roles: tuple[RoleSpec, RoleSpec]
    lines: tuple[DialogueLine, ...]


def _parse(entry: object, category: str) -> LibraryRoleplay:
    if not isinstance(entry, dict):
        raise ValueError("entry is not an object")
    roles = tuple(
        RoleSpec(r["name"], r.get("description", ""), r.get("voice", "")) for r in entry["roles"]
    )
    lines = tuple(DialogueLine(int(ln["role"]), str(ln["text"])) for ln in entry["lines"])
    language = entry["language"]
    if len(roles) != 2:
        raise ValueError("needs two roles")
    if not MIN_LINES <= len(lines) <= MAX_LINES:
        raise ValueError(f"has {len(lines)} lines")
    if any(ln.role not in (0, 1) or not ln.text.strip() for ln in lines):
        raise ValueError("has a line with a bad role or no text")
    too_long = [ln.text for ln in lines if line_length_problem(ln.text, language)]
    if too_long:
        raise ValueError(f"has lines too long to lip-read: {too_long}")
    if not is_single_emoji(entry["emoji"]):
        raise ValueError("emoji is not a single emoji")
    return LibraryRoleplay(
        key=str(entry["key"]),
        category=category,
        language=language,
        title=str(entry["title"]),
        description=str(entry.get("description", "")),
        emoji=entry["emoji"].strip(),
        roles=(roles[0], roles[1]),
        lines=lines,
    )


def load_library(library_dir: Path) -> list[LibraryRoleplay]:
    """Every usable roleplay under ``library_dir/roleplays/<category>.json``, sorted by key."""
    found: list[LibraryRoleplay] = []
    for path in sorted((library_dir / "roleplays").glob("*.json")):
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            logger.warning("Skipping unreadable library file %s: %s", path, exc)
            continue
        if isinstance(entries, dict):
            entries = entries.get("roleplays", [])
        for entry in entries if isinstance(entries, list) else []:
            try:
                found.append(_parse(entry, path.stem))
            except (KeyError, TypeError, ValueError) as exc:
                key = entry.get("key", "?") if isinstance(entry, dict) else "?"
                logger.warning("Skipping library roleplay %s in %s: %s", key, path.name, exc)
    return sorted(found, key=lambda rp: rp.key)
