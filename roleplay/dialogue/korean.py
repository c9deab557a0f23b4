"""Hangul arithmetic: particles that agree with the final consonant, and polite verb endings.

Korean particles change with the last sound of the word (우산**을**, 커피**를**) and verbs
given in dictionary form (먹다) must be conjugated before they can be said (먹어요).
Both the offline composer (to write lines) and the validator (to recognise a verb in
its conjugated form) need the same rules, so they live here once.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from .phrasebank import load_phrasebank

_SYLLABLE_BASE = 0xAC00
_SYLLABLE_LAST = 0xD7A3

# Vowel indices in the Unicode syllable table.
(
    V_A,
    V_AE,
    V_YA,
    V_YAE,
    V_EO,
    V_E,
    V_YEO,
    V_YE,
    V_O,
    V_WA,
    V_WAE,
    V_OE,
    V_YO,
    V_U,
    V_WO,
    V_WE,
    V_WI,
    V_YU,
    V_EU,
    V_UI,
    V_I,
) = range(21)
RIEUL = 8
BIEUP = 17
_BRIGHT = {V_A, V_YA, V_O}

# Particles whose first form follows a final consonant.
_AFTER_FINAL = {"은", "이", "을", "과", "이랑", "으로", "아", "이에요", "이나", "이라도"}

# How letters and digits are read aloud decides their particle: 3(삼)을, 2(이)를, M(엠)을.
_DIGIT_HAS_FINAL = dict(zip("0123456789", [1, 1, 0, 1, 0, 0, 1, 1, 1, 0], strict=True))
_LETTER_HAS_FINAL = set("LMNR")
_LOWER_FINAL_ENDINGS = ("l", "m", "n", "ng", "k", "p", "b", "t", "d", "g", "ck")


def decompose(char: str) -> tuple[int, int, int] | None:
    """(initial, vowel, final) indices of a precomposed syllable, or None for other chars."""
    code = ord(char)
    if not _SYLLABLE_BASE <= code <= _SYLLABLE_LAST:
        return None
    offset = code - _SYLLABLE_BASE
    return offset // 588, (offset % 588) // 28, offset % 28


def compose(initial: int, vowel: int, final: int = 0) -> str:
    return chr(_SYLLABLE_BASE + (initial * 21 + vowel) * 28 + final)


def is_hangul(text: str) -> bool:
    return any(decompose(c) is not None for c in text)


def final_of(word: str) -> int | None:
    """Final-consonant index of the word's last sound (0 = none), None when unknowable."""
    stripped = word.rstrip(" .,!?~)]}\"'")
    if not stripped:
        return None
    last = stripped[-1]
    parts = decompose(last)
    if parts is not None:
        return parts[2]
    if last in _DIGIT_HAS_FINAL:
        return RIEUL if last in "178" else _DIGIT_HAS_FINAL[last]
    if last.isupper() and last.isascii():
        return RIEUL if last in "LR" else (1 if last in _LETTER_HAS_FINAL else 0)
    if last.isascii() and last.isalpha():
        return 1 if stripped.lower().endswith(_LOWER_FINAL_ENDINGS) else 0
    return None


def with_particle(word: str, pair: str) -> str:
    """Attach the particle of ``pair`` ("을/를", "와/과", "으로/로"...) that fits ``word``."""
    first, sep, second = pair.partition("/")
    if not sep or not first or not second:
        raise ValueError(f"Particle pair must look like '을/를', got {pair!r}.")
    after_final, after_vowel = (first, second) if first in _AFTER_FINAL else (second, first)
    if after_final not in _AFTER_FINAL:
        raise ValueError(f"Unknown particle pair {pair!r}.")
    final = final_of(word)
    use_final = final not in (None, 0, RIEUL) if after_final == "으로" else bool(final)
    return word + (after_final if use_final else after_vowel)


def is_predicate(word: str) -> bool:
    """True for a verb/adjective in dictionary form (먹다, 공부하다, 춥다).

    Nouns that happen to end in 다 (바다, 사이다) and sentence-final forms (감사합니다)
    are excluded: they are said as they are.
    """
    word = word.strip()
    if len(word) < 2 or not word.endswith("다") or decompose(word[-2]) is None:
        return False
    if word.endswith("습니다"):
        return False
    before_ni = decompose(word[-3]) if len(word) >= 3 and word.endswith("니다") else None
    if before_ni is not None and before_ni[2] == BIEUP:
        return False
    bank = load_phrasebank("ko")
    return not any(word.endswith(noun) for noun in bank["nouns_ending_da"])


def is_adjective(word: str) -> bool:
    """Descriptive verbs get a different carrier sentence ("오늘은 정말 추워요")."""
    bank = load_phrasebank("ko")
    if word in bank["adjectives"]:
        return True
    if word in bank["verbs"]:
        return False
    return word.endswith(tuple(bank["adjective_endings"]))


def stem(word: str) -> str:
    if not is_predicate(word):
        raise ValueError(f"{word!r} is not a verb in dictionary form (…다).")
    return word[:-1]


@cache
def polite(word: str) -> str:
    """Present polite (해요체) form: 먹다→먹어요, 가다→가요, 하다→해요, 춥다→추워요."""
    base = stem(word)
    bank = load_phrasebank("ko")
    for key in sorted(bank["irregular_polite"], key=len, reverse=True):
        if word.endswith(key):
            return word[: -len(key)] + bank["irregular_polite"][key]
    head, last = base[:-1], base[-1]
    parts = decompose(last)
    if parts is None:
        raise ValueError(f"{word!r} does not end in a Hangul verb stem.")
    initial, vowel, final = parts
    if last == "하":
        return head + "해요"
    if final:
        regular_b = any(word.endswith(v) for v in bank["regular_bieup"])
        if final == BIEUP and not regular_b:
            return head + compose(initial, vowel) + "워요"
        return base + ("아요" if vowel in _BRIGHT else "어요")
    if vowel == V_EU:
        prev = decompose(head[-1]) if head else None
        bright = prev is not None and prev[1] in _BRIGHT
        if last == "르" and prev is not None and prev[2] == 0:
            return head[:-1] + compose(prev[0], prev[1], RIEUL) + ("라요" if bright else "러요")
        return head + compose(initial, V_A if bright else V_EO) + "요"
    contracted = {V_O: V_WA, V_U: V_WO, V_I: V_YEO, V_OE: V_WAE}
    if vowel in contracted:
        return head + compose(initial, contracted[vowel]) + "요"
    if vowel in (V_A, V_EO, V_YEO, V_AE, V_E, V_YAE, V_YE):
        return base + "요"
    return base + "어요"


def infinitive(word: str) -> str:
    """The 아/어 form (먹어, 해, 마셔) that past and polite endings are built on."""
    return polite(word)[:-1]


def jamo(text: str) -> str:
    """Text as conjoining jamo without spaces, so 갑니다 contains the stem 가."""
    return unicodedata.normalize("NFD", "".join(text.split()))
