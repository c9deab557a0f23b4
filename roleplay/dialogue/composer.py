"""Offline dialogue writer: the closest library conversation, adapted to the learner's request.

Used when no LLM is configured. Steps:
1. pick the library roleplay (same language) most similar to the request's text;
2. put the requested role names where the library lines name their roles;
3. write each must-word the conversation lacks into a phrase-bank sentence and work
   it in, as an inserted line plus reply or in place of a middle line, so the
   result keeps 6-10 lines and the A/B turn order.
The output is a pure function of the request and the library: no randomness.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Sequence
from pathlib import Path

from . import korean
from .library import DEFAULT_LIBRARY_DIR, LibraryRoleplay, load_library
from .phrasebank import load_phrasebank
from .sentences import MustLine, build_line, finish_sentence, single_line_options, word_class
from .similarity import TfidfIndex, features
from .types import (
    MAX_LINES,
    MSG_COMPOSER_FAILED,
    MSG_NO_SCENARIO,
    Dialogue,
    DialogueError,
    DialogueLine,
    DialogueRequest,
    RoleSpec,
)
from .validate import line_length_problem, missing_must_words, must_word_in_text, validate_dialogue

# Role texts hint at the scene (바리스타, teller) but the title and description decide it.
ROLE_WEIGHT = 0.3
_KO_PARTICLE = re.compile(r"이에요|예요|이랑|랑|으로|로|은|는|이|가|을|를|과|와|아|야")
_PARTICLE_PAIRS = {
    form: pair
    for pair in ("이에요/예요", "이랑/랑", "으로/로", "은/는", "이/가", "을/를", "과/와", "아/야")
    for form in pair.split("/")
}


class OfflineComposer:
    """Writes dialogues from the curated library; ``library_dir`` defaults to the real one."""

    def __init__(self, library_dir: str | Path | None = None) -> None:
        self.library_dir = Path(library_dir) if library_dir else DEFAULT_LIBRARY_DIR
        self._indexes: dict[str, tuple[list[LibraryRoleplay], TfidfIndex]] = {}

    def _index(self, language: str) -> tuple[list[LibraryRoleplay], TfidfIndex]:
        if language not in self._indexes:
            scenarios = [rp for rp in load_library(self.library_dir) if rp.language == language]
            if not scenarios:
                raise DialogueError(
                    "no_scenario", MSG_NO_SCENARIO, f"{self.library_dir} has no {language} roleplay"
                )
            names = self._category_names(language)
            keywords = load_phrasebank(language)["category_keywords"]
            docs = [
                " ".join(
                    [rp.title, rp.description, names.get(rp.category, "")]
                    + [keywords.get(rp.category, "")]
                    + [f"{r.name} {r.description}" for r in rp.roles]
                    + [ln.text for ln in rp.lines]
                )
                for rp in scenarios
            ]
            self._indexes[language] = (scenarios, TfidfIndex(docs))
        return self._indexes[language]

    def _category_names(self, language: str) -> dict[str, str]:
        path = self.library_dir / "categories.json"
        try:
            categories = json.loads(path.read_text(encoding="utf-8"))
            return {c["slug"]: str(c.get(f"name_{language}", "")) for c in categories}
        except (OSError, ValueError, KeyError, TypeError):
            return {}

    def choose_scenario(self, req: DialogueRequest) -> LibraryRoleplay:
        """The library roleplay closest to the request (ties: the first key)."""
        scenarios, index = self._index(req.language)
        situation = " ".join([req.title, req.description, *req.must_words])
        roles = " ".join(f"{r.name} {r.description}" for r in req.roles)
        scores = index.scores(situation) + ROLE_WEIGHT * index.scores(roles)
        return scenarios[int(scores.argmax())]

    def compose(self, req: DialogueRequest) -> Dialogue:
        scenario = self.choose_scenario(req)
        swap = int(roles_crossed(scenario.roles, req.roles))
        old = [r.name for r in scenario.roles]
        new = [req.roles[i ^ swap].name for i in range(2)]
        lines = [
            DialogueLine(ln.role ^ swap, rename_roles(ln.text, old, new, req.language))
            for ln in scenario.lines
        ]
        missing = missing_must_words(lines, req)
        if missing:
            seed = f"{req.language}|{req.title}|{req.description}"
            lines = _work_in(lines, missing, req, seed)
        dialogue = Dialogue(emoji=scenario.emoji, lines=_alternate(lines))
        problems = validate_dialogue(dialogue, req)
        if problems:
            raise DialogueError("composer_failed", MSG_COMPOSER_FAILED, "; ".join(problems))
        return dialogue


def roles_crossed(library: Sequence[RoleSpec], requested: Sequence[RoleSpec]) -> bool:
    """Whether the requested roles match the library's in reverse order.

    Roles map 0→0 and 1→1 unless the names and descriptions clearly say otherwise:
    a learner asking for (손님, 직원) over a library scene written as (직원, 손님)
    should speak the customer's lines, not the waiter's.
    """

    def affinity(a: RoleSpec, b: RoleSpec) -> float:
        fa, fb = features(f"{a.name} {a.description}"), features(f"{b.name} {b.description}")
        dot = sum(count * fb[term] for term, count in fa.items())
        norm = math.sqrt(sum(v * v for v in fa.values()) * sum(v * v for v in fb.values()))
        return dot / norm if norm else 0.0

    straight = affinity(library[0], requested[0]) + affinity(library[1], requested[1])
    crossed = affinity(library[0], requested[1]) + affinity(library[1], requested[0])
    return crossed > straight


def rename_roles(text: str, old: Sequence[str], new: Sequence[str], language: str) -> str:
    """Replace mentions of the library's role names with the requested ones.

    Korean particles after a name are re-chosen for the new name (손님이 → 민수가).
    One pass over all names, so swapped names (직원↔손님) do not collide. A line
    that would become too long keeps its original wording.
    """
    mapping = {o: n for o, n in zip(old, new, strict=True) if o and o != n}
    if not mapping:
        return text
    alternatives = "|".join(re.escape(o) for o in sorted(mapping, key=len, reverse=True))
    if language == "ko":
        pattern = re.compile(
            rf"(?<![가-힣A-Za-z])(?P<name>{alternatives})"
            rf"(?P<particle>{_KO_PARTICLE.pattern})?(?=[\s.,!?~]|$)"
        )

        def replace(m: re.Match[str]) -> str:
            name = mapping[m["name"]]
            if not m["particle"]:
                return name
            return korean.with_particle(name, _PARTICLE_PAIRS[m["particle"]])

    else:
        pattern = re.compile(rf"(?<![\w])(?P<name>{alternatives})(?![\w])")

        def replace(m: re.Match[str]) -> str:
            return mapping[m["name"]]

    renamed = pattern.sub(replace, text)
    return text if line_length_problem(renamed, language) else renamed


def _fits(text: str, language: str) -> bool:
    return line_length_problem(text, language) is None


def _fitting_line(words: Sequence[str], language: str, seed: str) -> MustLine | None:
    """A must-line for ``words`` within the length limit, or None if they need splitting."""
    first = build_line(words, language, seed)
    if _fits(first.text, language):
        return first
    if len(words) == 1:
        options = sorted(single_line_options(words[0], language), key=lambda o: len(o.text))
        bare = MustLine(finish_sentence(words[0]), options[0].reply, (words[0],))
        return next((o for o in [*options, bare] if _fits(o.text, language)), None)
    shortest = [min(single_line_options(w, language), key=lambda o: len(o.text)) for w in words]
    joined = MustLine(" ".join(o.text for o in shortest), shortest[0].reply, tuple(words))
    return joined if _fits(joined.text, language) else None


def _plan(
    words: list[str], language: str, seed: str, capacity: int, preferred: int
) -> list[MustLine]:
    """Group the words into as few lines as needed: one per line while there is room,
    otherwise pairs (same word class together, for the nicer pair templates)."""
    by_class: dict[str, list[str]] = {}
    for word in words:
        by_class.setdefault(word_class(word, language), []).append(word)
    ordered = [w for group in by_class.values() for w in group]
    if len(ordered) <= preferred:
        size = 1
    elif math.ceil(len(ordered) / 2) <= capacity:
        size = 2
    else:
        size = math.ceil(len(ordered) / max(capacity, 1))
    queue = [ordered[i : i + size] for i in range(0, len(ordered), size)]
    planned: list[MustLine] = []
    while queue:
        group = queue.pop(0)
        line = _fitting_line(group, language, seed)
        if line is not None:
            planned.append(line)
        elif len(group) > 1:
            half = len(group) // 2
            queue[:0] = [group[:half], group[half:]]
        else:
            raise DialogueError(
                "composer_failed", MSG_COMPOSER_FAILED, f"no line fits the word {group[0]!r}"
            )
    if len(planned) > capacity:
        raise DialogueError(
            "composer_failed",
            MSG_COMPOSER_FAILED,
            f"{len(planned)} must-lines, room for {capacity}",
        )
    return planned


def _spread(candidates: Sequence[int], count: int) -> list[int]:
    """``count`` items of ``candidates`` spaced evenly (deterministic)."""
    if count <= 0:
        return []
    step = len(candidates) / count
    return [candidates[int(step * k + step / 2)] for k in range(count)]


def _work_in(
    lines: list[DialogueLine], missing: list[str], req: DialogueRequest, seed: str
) -> list[DialogueLine]:
    """Insert must-line + reply pairs while there is room, then replace middle lines.

    Lines already holding a must-word, and the first and last line (greeting and
    closing), are never replaced.
    """
    total = len(lines)
    protected = {
        i
        for i, ln in enumerate(lines)
        if any(must_word_in_text(w, ln.text, req.language) for w in req.must_words)
    }
    replaceable = [i for i in range(1, total - 1) if i not in protected]
    pair_slots = max(0, (MAX_LINES - total) // 2)
    must_lines = _plan(
        missing,
        req.language,
        seed,
        capacity=pair_slots + len(replaceable),
        preferred=pair_slots + len(replaceable) // 2,
    )
    n_insert = min(len(must_lines), pair_slots)
    insert_before = set(_spread(range(1, total), n_insert))
    replace_at = set(_spread(replaceable, len(must_lines) - n_insert))
    pending = iter(must_lines)
    result: list[DialogueLine] = []
    for j, line in enumerate(lines):
        if j in insert_before:
            speaker = 1 - result[-1].role
            must = next(pending)
            result += [DialogueLine(speaker, must.text), DialogueLine(1 - speaker, must.reply)]
        if j in replace_at:
            result.append(DialogueLine(line.role, next(pending).text))
        else:
            result.append(line)
    return result


def _alternate(lines: list[DialogueLine]) -> list[DialogueLine]:
    """Make turns alternate A, B, A... (keeping who speaks first) if they do not already."""
    if all(a.role != b.role for a, b in itertools.pairwise(lines)):
        return lines
    first = lines[0].role
    return [DialogueLine((first + i) % 2, ln.text) for i, ln in enumerate(lines)]
