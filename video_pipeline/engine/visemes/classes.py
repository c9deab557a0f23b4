"""IPA phoneme units → viseme classes and their articulatory targets.

Lip-readers cannot tell apart sounds that look the same on the lips, so the face
only needs one target per *visual* class. The Korean groups follow Choi et al.
(2017); the English ones the MPEG-4 visemes. espeak-ng writes IPA with stress,
length, aspiration and tenseness marks that do not change the lip shape, so they
are stripped before lookup; anything unknown falls back to a neutral consonant
(logged once) instead of failing a whole video over one odd symbol.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass

import numpy as np

logger = logging.getLogger(__name__)

#: Track columns, all in [0, 1]: jaw opening, lip opening (0 = lips touching),
#: lip width (0.5 neutral), rounding/protrusion, upper-lip raise, lower lip to
#: upper teeth (f/v), tongue tip visible, teeth visibility.
PARAMS: tuple[str, ...] = (
    "jaw",
    "open",
    "width",
    "round",
    "upper",
    "labdent",
    "tongue",
    "teeth",
)
P = {name: i for i, name in enumerate(PARAMS)}

BILABIAL = "BMP"
REST = "REST"
NEUTRAL = "X"


@dataclass(frozen=True)
class VisemeClass:
    """Target pose plus Cohen–Massaro dominance (how hard it pulls each param)."""

    name: str
    target: tuple[float, ...]
    dominance: tuple[float, ...]
    rate: float  # θ in 1/s: how fast the dominance decays away from the centre
    vowel: bool = False


def _cls(
    name: str,
    target: dict[str, float],
    key: tuple[str, ...],
    *,
    vowel: bool = False,
    weak: float = 0.12,
    rate: float | None = None,
) -> VisemeClass:
    rest = {
        "jaw": 0.1,
        "open": 0.15,
        "width": 0.5,
        "round": 0.0,
        "upper": 0.0,
        "labdent": 0.0,
        "tongue": 0.0,
        "teeth": 0.2,
    }
    rest.update(target)
    dom = tuple(1.0 if p in key else (0.9 if vowel else weak) for p in PARAMS)
    return VisemeClass(
        name=name,
        target=tuple(rest[p] for p in PARAMS),
        dominance=dom,
        rate=rate if rate is not None else (16.0 if vowel else 28.0),
        vowel=vowel,
    )


_LIPS = ("open", "width", "round")
CLASSES: dict[str, VisemeClass] = {
    c.name: c
    for c in (
        _cls(BILABIAL, {"jaw": 0.08, "open": 0.0, "teeth": 0.0}, ("open", "jaw", "labdent")),
        _cls(
            "FV",
            {"jaw": 0.1, "open": 0.05, "upper": 0.45, "labdent": 1.0, "teeth": 0.9},
            ("open", "labdent", "upper", "teeth"),
        ),
        _cls(
            "TH",
            {"jaw": 0.22, "open": 0.35, "width": 0.55, "tongue": 1.0, "teeth": 0.8},
            ("open", "tongue", "jaw", "teeth"),
        ),
        _cls(
            "TDNL",
            {"jaw": 0.2, "open": 0.25, "width": 0.55, "tongue": 0.35, "teeth": 0.6},
            ("jaw", "open", "tongue"),
            weak=0.1,
        ),
        _cls(
            "L",
            {"jaw": 0.28, "open": 0.38, "width": 0.55, "tongue": 0.9, "teeth": 0.5},
            ("jaw", "open", "tongue"),
            weak=0.1,
        ),
        _cls(
            "SZ",
            {"jaw": 0.06, "open": 0.14, "width": 0.66, "upper": 0.2, "teeth": 1.0},
            ("jaw", "open", "teeth", "width"),
        ),
        _cls(
            "SH",
            {"jaw": 0.1, "open": 0.24, "width": 0.28, "round": 0.8, "upper": 0.15, "teeth": 0.8},
            ("jaw", "open", "width", "round", "teeth"),
        ),
        _cls("KG", {"jaw": 0.25, "open": 0.28, "teeth": 0.3}, ("jaw",), weak=0.08),
        _cls("H", {"jaw": 0.3, "open": 0.3}, (), weak=0.03),
        _cls("WR", {"jaw": 0.1, "open": 0.12, "width": 0.15, "round": 1.0, "teeth": 0.0}, _LIPS),
        _cls("J", {"jaw": 0.15, "open": 0.2, "width": 0.85, "teeth": 0.7}, ("width",), weak=0.2),
        _cls(NEUTRAL, {"jaw": 0.2, "open": 0.25}, ("jaw",), weak=0.08),
        _cls(
            "A",
            {"jaw": 0.95, "open": 0.95, "width": 0.62, "upper": 0.2, "teeth": 0.4},
            PARAMS,
            vowel=True,
        ),
        _cls(
            "EO",
            {"jaw": 0.65, "open": 0.6, "width": 0.45, "round": 0.25, "upper": 0.1, "teeth": 0.3},
            PARAMS,
            vowel=True,
        ),
        _cls(
            "E",
            {"jaw": 0.5, "open": 0.52, "width": 0.78, "upper": 0.2, "teeth": 0.6},
            PARAMS,
            vowel=True,
        ),
        _cls(
            "I",
            {"jaw": 0.18, "open": 0.24, "width": 1.0, "upper": 0.2, "teeth": 0.85},
            PARAMS,
            vowel=True,
        ),
        _cls(
            "SCHWA",
            {"jaw": 0.4, "open": 0.4, "width": 0.52, "round": 0.1, "teeth": 0.3},
            PARAMS,
            vowel=True,
            rate=22.0,
        ),
        _cls(
            "O",
            {"jaw": 0.45, "open": 0.42, "width": 0.18, "round": 0.85, "teeth": 0.1},
            PARAMS,
            vowel=True,
        ),
        _cls(
            "U",
            {"jaw": 0.22, "open": 0.2, "width": 0.05, "round": 1.0, "teeth": 0.0},
            PARAMS,
            vowel=True,
        ),
        _cls(
            "WI",
            {"jaw": 0.2, "open": 0.2, "width": 0.12, "round": 0.9, "teeth": 0.2},
            PARAMS,
            vowel=True,
        ),
    )
}
REST_TARGET = np.array(
    [0.04, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0], dtype=np.float64
)  # lips lightly closed, jaw relaxed

# Symbol → class. Consonant groups by language where they differ.
_COMMON = {
    "p": BILABIAL,
    "b": BILABIAL,
    "m": BILABIAL,
    "ɸ": BILABIAL,
    "β": BILABIAL,
    "k": "KG",
    "g": "KG",
    "ɡ": "KG",
    "ŋ": "KG",
    "x": "KG",
    "ɣ": "KG",
    "q": "KG",
    "h": "H",
    "ɦ": "H",
    "ʔ": "H",
    "t": "TDNL",
    "d": "TDNL",
    "n": "TDNL",
    "ɲ": "TDNL",
    "s": "SZ",
    "z": "SZ",
    "ts": "SZ",
    "dz": "SZ",
    "ʃ": "SH",
    "ʒ": "SH",
    "tʃ": "SH",
    "dʒ": "SH",
    "ɕ": "SH",
    "ʑ": "SH",
    "tɕ": "SH",
    "dʑ": "SH",
    "f": "FV",
    "v": "FV",
    "θ": "TH",
    "ð": "TH",
    "l": "TDNL",
    "ɫ": "TDNL",
    "ɾ": "TDNL",
    "ɹ": "WR",
    "r": "WR",
    "ɻ": "WR",
    "w": "WR",
    "ʍ": "WR",
    "j": "J",
    "ɥ": "WR",
    "ɰ": "J",
    "a": "A",
    "ɑ": "A",
    "æ": "A",
    "ɒ": "O",
    "ɔ": "O",
    "o": "O",
    "ɐ": "SCHWA",
    "ə": "SCHWA",
    "ɜ": "SCHWA",
    "ɚ": "SCHWA",
    "ɝ": "SCHWA",
    "ɵ": "SCHWA",
    "ʌ": "EO",
    "e": "E",
    "ɛ": "E",
    "i": "I",
    "ɪ": "I",
    "ɨ": "I",
    "ɯ": "I",
    "y": "WI",
    "ʏ": "WI",
    "ø": "WI",
    "œ": "E",
    "u": "U",
    "ʊ": "U",
}
_KOREAN = {
    # Choi et al.: {ㅅㅆㅈㅊ} is one group, ㄹ shows the tongue tip, ㅓ is its own vowel.
    "tɕ": "SZ",
    "dʑ": "SZ",
    "ɕ": "SZ",
    "ʑ": "SZ",
    "ts": "SZ",
    "dz": "SZ",
    "ɾ": "L",
    "l": "L",
    "r": "L",
    "ɭ": "L",
    "ʌ": "EO",
    "ɐ": "A",
}
_ENGLISH = {"ʌ": "SCHWA"}
# Korean glide+vowel units whose look is one Choi group rather than a sequence.
_KOREAN_WHOLE = {
    "wi": "WI",
    "ɥi": "WI",
    "ɰi": "I",
    "wa": "WA",
    "we": "WA",
    "wɛ": "WA",
    "wø": "WA",
    "ø": "WA",
}
_GLIDES = {"j", "w", "ɥ", "ɰ"}
_STRIP = set("ˈˌːˑ'ʰʲʷˠˤ͈̃̚ʼ-_|‿.,")

_warned: set[str] = set()


def normalize_ipa(ipa: str) -> str:
    """Drop stress, length, aspiration, tenseness and combining marks: none change the lips."""
    text = unicodedata.normalize("NFD", ipa)
    out = [ch for ch in text if ch not in _STRIP and not unicodedata.combining(ch)]
    return "".join(out).replace("ɡ", "g").strip()


def _table(lang: str) -> dict[str, str]:
    table = dict(_COMMON)
    table.update(_KOREAN if lang == "ko" else _ENGLISH)
    return table


def tokenize(ipa: str, lang: str) -> list[str]:
    """Split one phoneme unit into symbols, longest match first (tʃ before t)."""
    table = _table(lang)
    text = normalize_ipa(ipa)
    out: list[str] = []
    i = 0
    while i < len(text):
        for size in (2, 1):
            piece = text[i : i + size]
            if len(piece) == size and piece in table:
                out.append(piece)
                i += size
                break
        else:
            out.append(text[i])
            i += 1
    return out


@dataclass(frozen=True)
class SubTarget:
    """Part of a phoneme segment that pulls towards one class (diphthongs have two)."""

    cls: str
    start: float
    end: float


def symbol_class(symbol: str, lang: str) -> str:
    cls = _table(lang).get(symbol)
    if cls is None:
        if symbol not in _warned:
            _warned.add(symbol)
            logger.warning("unknown IPA symbol %r (%s): using neutral viseme", symbol, lang)
        return NEUTRAL
    return cls


def split_unit(ipa: str, lang: str, start: float, end: float) -> tuple[str, list[SubTarget]]:
    """Class label of a phoneme unit and its timed sub-targets.

    Steps: Korean glide+vowel units that Choi et al. treat as one group (ㅟ, ㅢ, ㅘ…)
    keep one label but still move (ㅘ rounds, then opens); other multi-symbol units
    (diphthongs, glide+vowel, affricates written apart) share the segment, the main
    vowel taking the larger part.
    """
    symbols = tokenize(ipa, lang) or ["?"]
    classes = [symbol_class(s, lang) for s in symbols]
    norm = "".join(symbols)
    label = _KOREAN_WHOLE.get(norm) if lang == "ko" else None
    if label == "WA":
        classes = ["WR", "A" if "a" in norm else "E"]
    elif label is not None:
        classes = [label]
    if len(classes) == 1:
        return label or classes[0], [SubTarget(classes[0], start, end)]
    vowels = [i for i, c in enumerate(classes) if CLASSES.get(c, CLASSES[NEUTRAL]).vowel]
    main = vowels[0] if vowels else len(classes) - 1
    if vowels and symbols[0] in _GLIDES and len(vowels) >= 1:
        main = vowels[0]
    weights = np.full(len(classes), 0.4 / max(len(classes) - 1, 1))
    weights[main] = 0.6
    edges = start + np.concatenate([[0.0], np.cumsum(weights)]) * (end - start)
    spans = zip(classes, edges[:-1], edges[1:], strict=True)
    subs = [SubTarget(c, float(a), float(b)) for c, a, b in spans]
    return label or classes[main], subs


def classify(ipa: str, lang: str) -> str:
    """The viseme class label of one phoneme unit (what the timeline JSON records)."""
    return split_unit(ipa, lang, 0.0, 1.0)[0]
