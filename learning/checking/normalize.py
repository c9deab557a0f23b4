"""Text normalisation shared by both sides of a check.

Learners type on phones, paste from chats and add emoji; none of that is what they
read from the lips. Both the input and the answer go through the same function so
that only the words themselves are compared.
"""

from __future__ import annotations

import unicodedata

# Unicode general-category prefixes that carry no lip-readable content:
# P* punctuation, S* symbols (emoji, currency, maths, modifiers such as skin tones),
# C* controls / format characters (zero-width joiners inside emoji sequences).
_DROPPED_CATEGORY_PREFIXES = ("P", "S", "C")

# Marks that only change how the preceding character is drawn (emoji presentation
# selectors, the keycap in "3️⃣"); dropping them keeps "3️⃣" equal to "3".
_DROPPED_MARKS = frozenset({"\u20e3"}) | {chr(c) for c in range(0xFE00, 0xFE10)}


def _is_dropped(ch: str) -> bool:
    if ch in _DROPPED_MARKS or 0xE0100 <= ord(ch) <= 0xE01EF:
        return True
    return unicodedata.category(ch).startswith(_DROPPED_CATEGORY_PREFIXES)


def normalize_text(text: str) -> str:
    """Return `text` as it is compared: NFKC, case folded, no punctuation or symbols.

    Steps:
    1. NFKC, so full-width letters, ligatures and compatibility jamo become their
       plain forms; case folding, then NFKC again because folding can denormalise.
    2. Every whitespace character becomes a space (before controls are dropped, so a
       newline still separates words).
    3. Punctuation, symbols, controls and presentation marks are removed.
    4. Runs of spaces collapse to one; leading and trailing spaces go.
    """
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    kept = []
    for ch in folded:
        if ch.isspace():
            kept.append(" ")
        elif not _is_dropped(ch):
            kept.append(ch)
    return " ".join("".join(kept).split())
