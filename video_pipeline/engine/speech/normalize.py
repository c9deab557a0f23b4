"""Read numbers, times, money and percentages the way people say them.

A synthesiser reading "3시 30분" digit by digit teaches the wrong mouth shapes, so
the text is rewritten before synthesis ("세 시 삼십 분"). Captions must still show
what was written, so the rewrite is done per whitespace token and the result keeps
which written token became which spoken words.

The rules for each language live in :mod:`.normalize_ko` and :mod:`.normalize_en`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from video_pipeline.engine.types import LANGUAGES, EngineError

CLOSING_SPACE = re.compile(r"\s+([.,!?;:…)\]}\"'”’%]+)(?=\s|$)")
OPENING_SPACE = re.compile(r"(?:(?<=\s)|^)([(\[{\"'“‘]+)\s+")


@dataclass(frozen=True)
class Normalized:
    """``tokens`` pairs each written whitespace token with what is said for it."""

    written: str
    spoken: str
    tokens: list[tuple[str, str]]


def normalize(text: str, lang: str) -> Normalized:
    """Rewrite ``text`` for speaking in ``lang`` ("ko" or "en")."""
    if lang == "ko":
        from video_pipeline.engine.speech.normalize_ko import say_token
    elif lang == "en":
        from video_pipeline.engine.speech.normalize_en import say_token
    else:
        raise EngineError(f"Unsupported language {lang!r}; choose one of {', '.join(LANGUAGES)}.")
    written = text.split()
    tokens: list[tuple[str, str]] = []
    for index, token in enumerate(written):
        following = written[index + 1] if index + 1 < len(written) else ""
        spoken = _tidy(say_token(token, following))
        tokens.append((token, spoken))
    return Normalized(text, " ".join(s for _, s in tokens if s), tokens)


def _tidy(spoken: str) -> str:
    """Glue punctuation back onto words so every spoken word is something to say."""
    spoken = " ".join(spoken.split())
    spoken = CLOSING_SPACE.sub(r"\1", spoken)
    return OPENING_SPACE.sub(r"\1", spoken)


def say_text(text: str, lang: str) -> str:
    """Just the spoken form of ``text``."""
    return normalize(text, lang).spoken
