"""Make every clip equally loud and equally framed in silence.

Learners switch between lines and voices constantly; a quiet line followed by a
loud one makes them reach for the volume. So each clip is measured with ITU-R
BS.1770 (pyloudnorm), brought to one integrated loudness, peak-limited below
-1 dBFS, and trimmed so speech starts and ends exactly ``SILENCE_PAD`` seconds in.
Trimming moves the audio, so the timeline is shifted by the same amount.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pyloudnorm
from scipy.ndimage import minimum_filter1d, uniform_filter1d

from video_pipeline.engine.types import EngineError, Phoneme, Speech, Word

TARGET_LUFS = -20.0
PEAK_CEILING_DBFS = -1.0
SILENCE_PAD = 0.150
SILENCE_THRESHOLD_DBFS = -50.0  # frames quieter than this (RMS) count as silence
MIN_MEASURE_SECONDS = 0.4  # BS.1770 gating blocks are 400 ms long
LIMITER_WINDOW = 0.005
MAX_LOUDNESS_PASSES = 4
LOUDNESS_TOLERANCE = 0.2  # LU


def db_to_amplitude(db: float) -> float:
    return float(10.0 ** (db / 20.0))


def integrated_loudness(samples: np.ndarray, sample_rate: int) -> float:
    """BS.1770 integrated loudness in LUFS; clips shorter than 400 ms are measured looped.

    Looping a short clip keeps its loudness (the measure is a gated mean square),
    where padding with silence would change it. Silence measures ``-inf``.
    """
    audio = np.asarray(samples, dtype=np.float64)
    if audio.size == 0:
        return float("-inf")
    minimum = int(np.ceil(MIN_MEASURE_SECONDS * sample_rate)) + 1
    if audio.size < minimum:
        audio = np.tile(audio, int(np.ceil(minimum / audio.size)))
    return float(pyloudnorm.Meter(sample_rate).integrated_loudness(audio))


def limit_peaks(samples: np.ndarray, sample_rate: int, ceiling_dbfs: float) -> np.ndarray:
    """Smooth gain reduction so no sample exceeds the ceiling (no hard clipping).

    The needed gain per sample is spread with a minimum filter and then averaged
    over half that width, which keeps every sample's gain at or below what it needs
    while avoiding clicks.
    """
    ceiling = db_to_amplitude(ceiling_dbfs)
    magnitude = np.abs(samples)
    if magnitude.size == 0 or magnitude.max() <= ceiling:
        return samples
    needed = np.minimum(1.0, ceiling / np.maximum(magnitude, 1e-12))
    half = max(1, int(LIMITER_WINDOW * sample_rate) // 2)
    gain = uniform_filter1d(minimum_filter1d(needed, 4 * half + 1), 2 * half + 1)
    limited = samples * gain
    return np.clip(limited, -ceiling, ceiling).astype(np.float32)


def speech_bounds(samples: np.ndarray, sample_rate: int) -> tuple[int, int] | None:
    """First and last sample of the audible part, by 10 ms RMS frames; None if silent."""
    frame = max(1, sample_rate // 100)
    count = len(samples) // frame
    if count == 0:
        return None
    frames = samples[: count * frame].reshape(count, frame).astype(np.float64)
    rms = np.sqrt(np.mean(frames**2, axis=1))
    loud = np.flatnonzero(rms > db_to_amplitude(SILENCE_THRESHOLD_DBFS))
    if loud.size == 0:
        return None
    return int(loud[0] * frame), int(min(len(samples), (loud[-1] + 1) * frame))


def _normalise(samples: np.ndarray, rate: int, loudness: float, target: float) -> np.ndarray:
    """Gain to the target, limit peaks, and repeat while limiting pulled loudness down.

    A click far louder than the speech dominates the measurement; once limited, the
    speech is left too quiet, so the gain is corrected on the limited result.
    """
    gain_db = target - loudness
    out = samples
    for _ in range(MAX_LOUDNESS_PASSES):
        scaled = (samples * np.float32(db_to_amplitude(gain_db))).astype(np.float32)
        out = limit_peaks(scaled, rate, PEAK_CEILING_DBFS)
        error = target - integrated_loudness(out, rate)
        if not np.isfinite(error) or abs(error) < LOUDNESS_TOLERANCE:
            break
        gain_db += error
    return out


def finish(speech: Speech, *, target_lufs: float = TARGET_LUFS) -> Speech:
    """Loudness-normalise, peak-limit and trim ``speech``; returns a new Speech."""
    rate = speech.sample_rate
    samples = np.asarray(speech.samples, dtype=np.float32)
    loudness = integrated_loudness(samples, rate)
    if not np.isfinite(loudness):
        raise EngineError("The synthesiser returned silence for this text.")
    samples = _normalise(samples, rate, loudness, target_lufs)
    bounds = speech_bounds(samples, rate)
    if bounds is None:
        raise EngineError("The synthesiser returned silence for this text.")
    start, stop = bounds
    pad = round(SILENCE_PAD * rate)
    body = samples[start:stop]
    silence = np.zeros(pad, dtype=np.float32)
    out = np.concatenate([silence, body, silence]).astype(np.float32)
    shift = (pad - start) / rate
    duration = len(out) / rate
    return dataclasses.replace(
        speech,
        samples=out,
        phonemes=_shift(speech.phonemes, shift, duration, Phoneme),
        words=_shift(speech.words, shift, duration, Word),
    )


def _shift(items: list, shift: float, duration: float, kind: type) -> list:
    """Move timed items by ``shift`` seconds, clamped into the clip, dropping empty ones."""
    moved = []
    for item in items:
        start = min(max(item.start + shift, 0.0), duration)
        end = min(max(item.end + shift, 0.0), duration)
        if end > start:
            first = item.ipa if kind is Phoneme else item.text
            moved.append(kind(first, start, end))
    return moved
