"""Speech stage: text in, loudness-normalised audio plus word and phoneme times out.

``speak()`` is the only entry point the rest of the engine needs. Steps:

1. validate the request (clear :class:`EngineError` for each kind of bad input);
2. normalise the text so numbers, times and money are read as people say them,
   keeping which written word became which spoken words (captions show the
   written text);
3. synthesise with a backend — ``"espeak"`` (offline, exact phoneme times) or
   ``"openai"`` (natural voice, times transferred from espeak by DTW);
4. time the written words from the phonemes;
5. normalise loudness, limit peaks and trim silence, shifting the timeline.
"""

from __future__ import annotations

from typing import Any

from video_pipeline.engine.speech import espeak, loudness
from video_pipeline.engine.speech.normalize import normalize
from video_pipeline.engine.speech.words import spoken_word_spans, written_words
from video_pipeline.engine.types import LANGUAGES, VOICES, EngineError, Speech

MAX_TEXT_LENGTH = 500
MIN_RATE, MAX_RATE = 0.5, 1.5
BACKENDS = ("espeak", "openai")

ERROR_EMPTY_TEXT = "There is nothing to say: the text is empty."
ERROR_TEXT_TOO_LONG = f"The text is longer than {MAX_TEXT_LENGTH} characters; split it into lines."

__all__ = ["BACKENDS", "MAX_TEXT_LENGTH", "speak", "validate"]


def validate(text: str, *, lang: str, voice: str, rate: float, backend: str) -> None:
    """Raise :class:`EngineError` naming the first problem with a speech request."""
    if not isinstance(text, str) or not text.strip():
        raise EngineError(ERROR_EMPTY_TEXT)
    if len(text) > MAX_TEXT_LENGTH:
        raise EngineError(ERROR_TEXT_TOO_LONG)
    if lang not in LANGUAGES:
        raise EngineError(f"Unsupported language {lang!r}; choose one of {', '.join(LANGUAGES)}.")
    if voice not in VOICES:
        raise EngineError(f"Unknown voice {voice!r}; choose one of {', '.join(VOICES)}.")
    if (
        isinstance(rate, bool)
        or not isinstance(rate, int | float)
        or not (MIN_RATE <= rate <= MAX_RATE)
    ):
        raise EngineError(f"Speaking rate must be between {MIN_RATE} and {MAX_RATE}, not {rate!r}.")
    if backend not in BACKENDS:
        raise EngineError(
            f"Unknown speech backend {backend!r}; choose one of {', '.join(BACKENDS)}."
        )


def speak(
    text: str,
    *,
    lang: str,
    voice: str,
    rate: float = 1.0,
    backend: str = "espeak",
    **backend_options: Any,
) -> Speech:
    """Say ``text`` in ``lang`` with a role ``voice``; see the module docstring."""
    validate(text, lang=lang, voice=voice, rate=rate, backend=backend)
    normalized = normalize(text, lang)
    if backend == "espeak":
        if backend_options:
            names = ", ".join(sorted(backend_options))
            raise EngineError(f"The espeak backend takes no options (got {names}).")
        rendering = espeak.synthesize(normalized.spoken, lang=lang, voice=voice, rate=rate)
        samples, phonemes, marks = rendering.samples, rendering.phonemes, rendering.word_marks
        sample_rate = rendering.sample_rate
    else:
        from video_pipeline.engine.speech.openai_tts import synthesize_openai

        rendering = synthesize_openai(
            normalized.spoken, lang=lang, voice=voice, rate=rate, **backend_options
        )
        samples, phonemes, marks = rendering.samples, rendering.phonemes, rendering.word_marks
        sample_rate = rendering.sample_rate
    spans = spoken_word_spans(normalized.spoken, lang, phonemes, marks)
    speech = Speech(
        samples=samples,
        sample_rate=sample_rate,
        text=text,
        spoken_text=normalized.spoken,
        lang=lang,
        voice=voice,
        words=written_words(normalized.tokens, phonemes, spans),
        phonemes=list(phonemes),
    )
    return loudness.finish(speech)
