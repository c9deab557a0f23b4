"""OpenAI text-to-speech (or any server speaking its API), timed by espeak + DTW.

The OpenAI voices sound far more natural than espeak, but the API returns only
audio. Times come from an espeak rendering of the same text at the same rate,
aligned to the returned audio (:mod:`.align`). Word times come for free: they are
indices into the phoneme list, which the transfer keeps in order.

Failures a person can act on become :class:`EngineError` with a plain message:
no API key, server unreachable, timed out, refused, returned something that is not
audio. Retries with backoff are the ``openai`` client's own (``max_retries``).
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import av
import numpy as np
import openai

from video_pipeline.engine.speech import espeak
from video_pipeline.engine.speech.align import transfer_phonemes
from video_pipeline.engine.speech.espeak import Rendering
from video_pipeline.engine.types import VOICES, EngineError

DEFAULT_MODEL = "tts-1-hd"
DEFAULT_VOICES: dict[str, str] = {
    "woman": "nova",
    "man": "echo",
    "older_woman": "alloy",
    "older_man": "onyx",
}
RESPONSE_FORMATS = ("wav", "mp3")


class OpenAITTS:
    """A configured connection to an OpenAI-compatible ``/v1/audio/speech`` endpoint."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        model: str = DEFAULT_MODEL,
        voices: Mapping[str, str] | None = None,
        timeout: float = 60.0,
        max_retries: int = 2,
        response_format: str = "wav",
    ) -> None:
        if response_format not in RESPONSE_FORMATS:
            raise EngineError(f"response_format must be one of {', '.join(RESPONSE_FORMATS)}.")
        unknown = set(voices or {}) - set(VOICES)
        if unknown:
            raise EngineError(f"Unknown role(s) in voices: {', '.join(sorted(unknown))}.")
        self.model = model
        self.voices = {**DEFAULT_VOICES, **(voices or {})}
        self.timeout = timeout
        self.response_format = response_format
        try:
            self.client = openai.OpenAI(
                api_key=api_key, base_url=base_url, timeout=timeout, max_retries=max_retries
            )
        except openai.OpenAIError as error:
            raise EngineError(
                "OpenAI TTS needs an API key (pass api_key or set OPENAI_API_KEY)."
            ) from error
        self.max_retries = max_retries

    def fetch_audio(self, text: str, *, voice: str, rate: float = 1.0) -> bytes:
        """The server's encoded audio for ``text`` spoken by the role ``voice``."""
        where = str(self.client.base_url)
        tries = self.max_retries + 1
        try:
            response = self.client.audio.speech.create(
                model=self.model,
                voice=self.voices[voice],
                input=text,
                response_format=self.response_format,
                speed=rate,
            )
            return response.read()
        except openai.APITimeoutError as error:
            raise EngineError(
                f"The TTS server at {where} did not answer within {self.timeout:g} s "
                f"({tries} tries)."
            ) from error
        except openai.APIConnectionError as error:
            raise EngineError(
                f"Could not reach the TTS server at {where} ({tries} tries)."
            ) from error
        except openai.AuthenticationError as error:
            raise EngineError("The TTS server refused the API key (HTTP 401).") from error
        except openai.APIStatusError as error:
            code = error.status_code
            if code >= 500:
                raise EngineError(
                    f"The TTS server failed (HTTP {code}) after {tries} tries; try again later."
                ) from error
            raise EngineError(
                f"The TTS server rejected the request (HTTP {code}): {error.message}"
            ) from error

    def synthesize(self, text: str, *, lang: str, voice: str, rate: float = 1.0) -> Rendering:
        """Fetch, decode to espeak's sample rate, and time by aligning an espeak rendering."""
        reference = espeak.synthesize(text, lang=lang, voice=voice, rate=rate)
        samples = decode_audio(
            self.fetch_audio(text, voice=voice, rate=rate), reference.sample_rate
        )
        phonemes = transfer_phonemes(
            reference.phonemes, reference.samples, samples, reference.sample_rate
        )
        marks = reference.word_marks
        if len(phonemes) != len(reference.phonemes):
            marks = []  # indices no longer line up; words fall back to sharing
        return Rendering(samples, reference.sample_rate, phonemes, marks)


def decode_audio(data: bytes, sample_rate: int) -> np.ndarray:
    """Mono float32 at ``sample_rate`` from encoded audio (wav, mp3, ...)."""
    try:
        with av.open(io.BytesIO(data)) as container:
            stream = next(s for s in container.streams if s.type == "audio")
            resampler = av.AudioResampler(format="flt", layout="mono", rate=sample_rate)
            chunks = []
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray().reshape(-1))
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
    except (av.FFmpegError, StopIteration, ValueError) as error:
        raise EngineError("The TTS server's reply is not audio that can be decoded.") from error
    if not chunks:
        raise EngineError("The TTS server returned empty audio.")
    return np.concatenate(chunks).astype(np.float32)


def synthesize_openai(
    text: str, *, lang: str, voice: str, rate: float = 1.0, **options: object
) -> Rendering:
    """One request with a client built from ``options`` (see :class:`OpenAITTS`)."""
    try:
        backend = OpenAITTS(**options)  # type: ignore[arg-type]
    except TypeError as error:
        raise EngineError(f"Unknown option for the OpenAI backend: {error}") from error
    return backend.synthesize(text, lang=lang, voice=voice, rate=rate)
