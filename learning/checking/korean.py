"""Korean syllables seen as lip shapes.

A lip-reader sees a syllable as three mouth positions: the onset consonant, the vowel
and the final consonant. Syllables are decomposed arithmetically (Unicode Hangul
syllables are laid out as ``0xAC00 + (initial * 21 + medial) * 28 + final``) and each
part is mapped to its viseme group (Choi et al. 2017, lip-reading without sound):

- initials: {ㄱㄲㅋㅎ} {ㄴㄷㄸㅌ} {ㅁㅂㅃㅍ} {ㅅㅆㅈㅉㅊ} {ㄹ} {ㅇ} (initial ㅇ is silent);
- vowels: {ㅣㅡㅢ} {ㅟ} {ㅗㅛ} {ㅏㅑ} {ㅜㅠ} {ㅓㅕ} {ㅘㅚㅙㅝㅞ} {ㅐㅒㅔㅖ}. The study did not
  place ㅝ, ㅞ and ㅒ: ㅝ and ㅞ start rounded and open like ㅘ/ㅙ (and ㅚ is spoken [we],
  the same as ㅞ), so they join that group; ㅒ is ㅐ with a glide and joins ㅐ/ㅔ;
- finals by the sound they are pronounced with: none, {ㄱㅇ}, {ㄴㄷ}, {ㄹ}, {ㅁㅂ}.
  ㄲㅋㄳㄺ→ㄱ; ㅅㅆㅈㅊㅌㅎ→ㄷ; ㄵㄶ→ㄴ; ㄼㄽㄾㅀ→ㄹ; ㄻ→ㅁ; ㅍㄿㅄ→ㅂ.

Characters that are not complete Hangul syllables (digits, Latin letters, lone jamo)
are their own group.
"""

from __future__ import annotations

_BASE = 0xAC00
_LAST = 0xD7A3
_MEDIALS = 21
_FINALS = 28

INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
MEDIALS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
FINALS = "\0ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"


def _group_table(groups: list[str], alphabet: str) -> dict[str, int]:
    table = {jamo: index for index, members in enumerate(groups) for jamo in members}
    missing = set(alphabet) - set(table)
    if missing:  # a typo in the tables must fail at import, not mis-score silently
        raise RuntimeError(f"jamo without viseme group: {sorted(missing)}")
    return table


_INITIAL_GROUP = _group_table(
    ["ㄱㄲㅋㅎ", "ㄴㄷㄸㅌ", "ㅁㅂㅃㅍ", "ㅅㅆㅈㅉㅊ", "ㄹ", "ㅇ"], INITIALS
)
_MEDIAL_GROUP = _group_table(
    ["ㅣㅡㅢ", "ㅟ", "ㅗㅛ", "ㅏㅑ", "ㅜㅠ", "ㅓㅕ", "ㅘㅚㅙㅝㅞ", "ㅐㅒㅔㅖ"], MEDIALS
)
_FINAL_GROUP = _group_table(
    ["\0", "ㄱㄲㄳㅋㄺㅇ", "ㄴㄵㄶㄷㅅㅆㅈㅊㅌㅎ", "ㄹㄼㄽㄾㅀ", "ㅁㄻㅂㅍㄿㅄ"], FINALS
)


def decompose(ch: str) -> tuple[str, str, str] | None:
    """Split a Hangul syllable into (initial, medial, final); final is "" when absent.

    Returns None for anything that is not a precomposed Hangul syllable.
    """
    if len(ch) != 1 or not _BASE <= ord(ch) <= _LAST:
        return None
    offset = ord(ch) - _BASE
    initial, rest = divmod(offset, _MEDIALS * _FINALS)
    medial, final = divmod(rest, _FINALS)
    return INITIALS[initial], MEDIALS[medial], FINALS[final].strip("\0")


def viseme_key(ch: str) -> tuple[int, int, int] | str:
    """The lip shape of one character: its three group numbers, or the character itself."""
    parts = decompose(ch)
    if parts is None:
        return ch
    initial, medial, final = parts
    return _INITIAL_GROUP[initial], _MEDIAL_GROUP[medial], _FINAL_GROUP[final or "\0"]


def lip_text(text: str) -> list[tuple[int, int, int] | str]:
    """`text` as a sequence of lip shapes, for edit distances that ignore look-alikes."""
    return [viseme_key(ch) for ch in text]


def lip_equivalent(a: str, b: str) -> bool:
    """True when two characters look the same on the lips (identical ones included)."""
    return a == b or viseme_key(a) == viseme_key(b)


def substitution_cost(a: str, b: str) -> float:
    """Alignment cost of reading `b` where `a` was said.

    Identical 0, lip-equivalent 0.25, otherwise 0.5 plus a share for each of the three
    parts in a different group, so that the alignment pairs syllables that share most
    of their mouth shape (밥/방) before unrelated ones.
    """
    if a == b:
        return 0.0
    key_a, key_b = viseme_key(a), viseme_key(b)
    if key_a == key_b:
        return 0.25
    if isinstance(key_a, str) or isinstance(key_b, str):
        return 1.0
    differing = sum(x != y for x, y in zip(key_a, key_b, strict=True))
    return 0.5 + differing / 6
