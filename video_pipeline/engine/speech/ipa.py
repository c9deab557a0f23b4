"""Turn espeak-ng's phoneme strings into clean IPA units for the viseme mapper.

espeak reports one string per phoneme event, in its own dialect of IPA: stress
marks (``ˈa``), length marks (``iː``), Korean tense consonants as ``t-``, Korean
coda /k/ as ``q``, aspiration sometimes as a separate ``h`` event after the stop,
syllabic consonants glued to a schwa (``əl``). The mapper should not have to know
any of that, so every unit leaving this module is plain IPA:

* stress and length marks are dropped (timing already carries length);
* affricates and diphthongs stay single units (``tʃ``, ``aɪ``, ``tɕ``);
* Korean: ``X-`` → ``X͈`` (tense), ``q`` → ``k``, ``Xh``/``X h`` → ``Xʰ``,
  ``tʃ`` → ``tɕ``, ``ɫ`` → ``l``.
"""

from __future__ import annotations

STRESS_AND_LENGTH = "ˈˌːˑ'-"
TENSE = "\u0348"  # combining double vertical line below: k͈ t͈ p͈ s͈ tɕ͈
ASPIRATED = "ʰ"

# Multi-character units that must not be split (longest first when matching).
MULTI_UNITS = (
    "tʃ",
    "dʒ",
    "tɕ",
    "dʑ",
    "ts",
    "dz",
    "aɪ",
    "aʊ",
    "eɪ",
    "oʊ",
    "əʊ",
    "ɔɪ",
    "eə",
    "ɪə",
    "iə",
    "ʊə",
)
# Characters that modify the unit before them rather than starting a new one.
MODIFIERS = frozenset("ʰʲʷ̩͈̃̚ʼ")
KOREAN_STOPS = frozenset({"p", "t", "k", "tɕ"})


def split_units(ipa: str) -> list[str]:
    """Split a cleaned IPA string into phoneme units (affricates/diphthongs kept whole)."""
    units: list[str] = []
    i = 0
    while i < len(ipa):
        for multi in MULTI_UNITS:
            if ipa.startswith(multi, i):
                unit = multi
                break
        else:
            unit = ipa[i]
        i += len(unit)
        while i < len(ipa) and ipa[i] in MODIFIERS:
            unit += ipa[i]
            i += 1
        if unit[0] in MODIFIERS and units:
            units[-1] += unit
        elif not unit.isspace():
            units.append(unit)
    return units


def clean_event(raw: str, lang: str) -> list[str]:
    """Units for one espeak phoneme event string; ``[]`` for a pause."""
    tense = lang == "ko" and raw.endswith("-") and len(raw.strip("ˈˌ-")) > 0
    text = "".join(ch for ch in raw if ch not in STRESS_AND_LENGTH)
    if not text:
        return []
    if lang == "ko":
        text = text.replace("tʃ", "tɕ").replace("ɫ", "l").replace("q", "k")
        if text in ("kh", "ph", "th", "tɕh"):
            text = text[:-1] + ASPIRATED
    units = split_units(text)
    if tense and units:
        units[-1] += TENSE
    return units


def merge_korean_aspiration(
    timed: list[tuple[str, int, int]],
) -> list[tuple[str, int, int]]:
    """Fold an ``h`` that directly follows a Korean stop into that stop.

    espeak renders ㅌ/ㅊ as two events (``t``, ``h``); the aspiration belongs to the
    consonant, and a separate /h/ would make the mapper show a breathy open mouth.
    Items are ``(unit, start, end)`` in samples.
    """
    merged: list[tuple[str, int, int]] = []
    for unit, start, end in timed:
        if unit == "h" and merged:
            previous, p_start, p_end = merged[-1]
            base = previous.rstrip(TENSE)
            if base in KOREAN_STOPS and p_end == start:
                merged[-1] = (base + ASPIRATED, p_start, end)
                continue
        merged.append((unit, start, end))
    return merged
