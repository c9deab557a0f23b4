"""Plain values passed between engine stages (no Django here).

Times are seconds from the start of the clip's audio.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

LANGUAGES = ("ko", "en")
VOICES = ("woman", "man", "older_woman", "older_man")
FPS = 25


class EngineError(ValueError):
    """Bad input or a failed stage, with a message a person can act on."""


@dataclass(frozen=True)
class Word:
    text: str
    start: float
    end: float


@dataclass(frozen=True)
class Phoneme:
    ipa: str  # "" never appears here: pauses are gaps between phonemes
    start: float
    end: float


@dataclass
class Speech:
    """Mono float32 PCM in [-1, 1] plus what was said when."""

    samples: np.ndarray
    sample_rate: int
    text: str  # the sentence as written (captions)
    spoken_text: str  # after normalisation (numbers read out), what the voice says
    lang: str
    voice: str
    words: list[Word] = field(default_factory=list)
    phonemes: list[Phoneme] = field(default_factory=list)

    @property
    def duration(self) -> float:
        return len(self.samples) / float(self.sample_rate)
