"""Checks that a dialogue is usable for lip-reading practice, whoever wrote it.

The same rules judge the LLM's answer (problems go back to it in a repair round)
and the offline composer's output, so both backends promise the same things.
"""

from __future__ import annotations

import re
from functools import cache

from . import korean
from .types import (
    MAX_EN_WORDS,
    MAX_KO_CHARS,
    MAX_LINES,
    MIN_LINES,
    Dialogue,
    DialogueLine,
    DialogueRequest,
)

_VS16 = 0xFE0F
_ZWJ = 0x200D
_KEYCAP = 0x20E3
_PICTOGRAPHIC_RANGES = (
    (0x00A9, 0x00A9),
    (0x00AE, 0x00AE),
    (0x203C, 0x203C),
    (0x2049, 0x2049),
    (0x2122, 0x2122),
    (0x2139, 0x2139),
    (0x2194, 0x2199),
    (0x21A9, 0x21AA),
    (0x231A, 0x231B),
    (0x2328, 0x2328),
    (0x23CF, 0x23CF),
    (0x23E9, 0x23F3),
    (0x23F8, 0x23FA),
    (0x24C2, 0x24C2),
    (0x25AA, 0x25AB),
    (0x25B6, 0x25B6),
    (0x25C0, 0x25C0),
    (0x25FB, 0x25FE),
    (0x2600, 0x27BF),
    (0x2934, 0x2935),
    (0x2B05, 0x2B07),
    (0x2B1B, 0x2B1C),
    (0x2B50, 0x2B50),
    (0x2B55, 0x2B55),
    (0x3030, 0x3030),
    (0x303D, 0x303D),
    (0x3297, 0x3297),
    (0x3299, 0x3299),
    (0x1F000, 0x1F1E5),
    (0x1F200, 0x1F3FA),
    (0x1F400, 0x1FAFF),
)


def _pictographic(cp: int) -> bool:
    return any(lo <= cp <= hi for lo, hi in _PICTOGRAPHIC_RANGES)


def _regional(cp: int) -> bool:
    return 0x1F1E6 <= cp <= 0x1F1FF


def _decoration(cp: int) -> bool:
    """Code points that attach to an emoji: VS16, skin tones, tag characters."""
    return cp == _VS16 or 0x1F3FB <= cp <= 0x1F3FF or 0xE0020 <= cp <= 0xE007F


def count_emoji(text: str) -> int | None:
    """How many emoji ``text`` holds, or None when it holds anything else.

    ZWJ sequences (👩‍🍳), flags (🇰🇷), keycaps (1️⃣), skin tones and VS16 count as one,
    which a plain ``len`` gets wrong.
    """
    cps = [ord(c) for c in text if not c.isspace()]
    count, i = 0, 0
    while i < len(cps):
        cp = cps[i]
        if _regional(cp):
            if i + 1 >= len(cps) or not _regional(cps[i + 1]):
                return None
            i += 2
        elif chr(cp) in "0123456789#*":
            i += 1
            if i < len(cps) and cps[i] == _VS16:
                i += 1
            if i >= len(cps) or cps[i] != _KEYCAP:
                return None
            i += 1
        elif _pictographic(cp):
            i += 1
            while i < len(cps):
                if _decoration(cps[i]):
                    i += 1
                elif cps[i] == _ZWJ and i + 1 < len(cps) and _pictographic(cps[i + 1]):
                    i += 2
                else:
                    break
        else:
            return None
        count += 1
    return count


def is_single_emoji(text: str) -> bool:
    return isinstance(text, str) and count_emoji(text) == 1


def line_length_problem(text: str, language: str) -> str | None:
    """Why a line is too long to lip-read in one go, or None when it fits."""
    if language == "ko":
        size = len(text.strip())
        if size > MAX_KO_CHARS:
            return f"is too long ({size} characters; at most {MAX_KO_CHARS})"
        return None
    words = len(text.split())
    if words > MAX_EN_WORDS:
        return f"is too long ({words} words; at most {MAX_EN_WORDS})"
    return None


@cache
def _english_pattern(word: str) -> re.Pattern[str]:
    """Matches the word or phrase with simple inflections on its last word.

    book → books/booked/booking; bake → baked/baking; stop → stopped;
    carry → carries/carried.
    """
    *head, last = word.lower().split()
    forms = {last, last + "s", last + "es", last + "ed", last + "ing"}
    if last.endswith("e"):
        forms |= {last + "d", last[:-1] + "ing"}
    if len(last) >= 2 and last[-1] not in "aeiouwxy" and last[-2] in "aeiou":
        forms |= {last + last[-1] + "ed", last + last[-1] + "ing"}
    if len(last) >= 2 and last.endswith("y") and last[-2] not in "aeiou":
        forms |= {last[:-1] + "ies", last[:-1] + "ied"}
    tail = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    prefix = "".join(re.escape(h) + r"[\s-]+" for h in head)
    return re.compile(rf"(?<![\w]){prefix}(?:{tail})(?![\w])", re.IGNORECASE)


def _korean_forms(word: str) -> tuple[str, ...]:
    """Jamo sequences any of which shows the word: 먹다 → 먹, 먹어; 마시다 → 마시, 마셔."""
    forms = [korean.jamo(word)]
    if korean.is_predicate(word):
        forms.append(korean.jamo(korean.stem(word)))
        try:
            forms.append(korean.jamo(korean.infinitive(word)))
        except ValueError:
            pass
    return tuple(f for f in forms if f)


def must_word_in_text(word: str, text: str, language: str) -> bool:
    """Whether ``text`` uses ``word``, allowing particles, endings and inflections."""
    if language == "ko":
        haystack = korean.jamo(text.casefold())
        return any(form in haystack for form in _korean_forms(word.casefold()))
    return _english_pattern(word.strip()).search(text) is not None


def missing_must_words(lines: list[DialogueLine], req: DialogueRequest) -> list[str]:
    return [
        w
        for w in req.must_words
        if not any(must_word_in_text(w, line.text, req.language) for line in lines)
    ]


def _in_language(text: str, req: DialogueRequest) -> bool:
    """Korean lines contain Hangul; English lines contain none beyond the must-words."""
    if req.language == "ko":
        return korean.is_hangul(text)
    for word in req.must_words:
        text = re.sub(re.escape(word), " ", text, flags=re.IGNORECASE)
    return not korean.is_hangul(text)


def validate_dialogue(d: Dialogue, req: DialogueRequest) -> list[str]:
    """Problems that make ``d`` unfit for ``req`` (empty list: fine).

    Messages are English sentences because they are also sent back to the LLM
    in the repair round; lines are numbered from 1.
    """
    problems: list[str] = []
    lines = list(d.lines)
    if not MIN_LINES <= len(lines) <= MAX_LINES:
        problems.append(f"The dialogue has {len(lines)} lines; it needs {MIN_LINES}-{MAX_LINES}.")
    for number, line in enumerate(lines, start=1):
        if line.role not in (0, 1) or isinstance(line.role, bool):
            problems.append(f"Line {number} has role {line.role!r}; it must be A or B.")
        if not isinstance(line.text, str) or not line.text.strip():
            problems.append(f"Line {number} is empty.")
            continue
        too_long = line_length_problem(line.text, req.language)
        if too_long:
            problems.append(f"Line {number} {too_long}: {line.text!r}.")
        if not _in_language(line.text, req):
            language = "Korean" if req.language == "ko" else "English"
            problems.append(f"Line {number} is not written in {language}: {line.text!r}.")
    if lines and {line.role for line in lines} != {0, 1}:
        problems.append("Both roles must speak (A and B).")
    texts = [ln for ln in lines if isinstance(ln.text, str)]
    for word in missing_must_words(texts, req):
        problems.append(f"The must-word {word!r} does not appear in any line.")
    if not is_single_emoji(d.emoji):
        problems.append(f"The emoji must be exactly one emoji; got {d.emoji!r}.")
    return problems
