"""Measurements on audio used by the speech tests (not assertions, just numbers)."""

from __future__ import annotations

import itertools

import numpy as np

from video_pipeline.engine.types import Speech


def envelope_db(samples: np.ndarray, sample_rate: int, hop: float = 0.005) -> np.ndarray:
    """RMS level per ``hop`` seconds, in dB relative to the loudest frame."""
    size = int(hop * sample_rate)
    count = len(samples) // size
    frames = samples[: count * size].reshape(count, size).astype(np.float64)
    rms = np.sqrt(np.mean(frames**2, axis=1) + 1e-12)
    return 20 * np.log10(rms / rms.max())


def median_f0(samples: np.ndarray, sample_rate: int) -> float:
    """Median pitch of the voiced 40 ms frames, by normalised autocorrelation."""
    frame, hop = int(0.04 * sample_rate), int(0.01 * sample_rate)
    low, high = int(sample_rate / 400), int(sample_rate / 60)
    pitches = []
    for start in range(0, len(samples) - frame, hop):
        window = samples[start : start + frame].astype(np.float64)
        window = window - window.mean()
        if np.sqrt(np.mean(window**2)) < 0.01:
            continue
        corr = np.correlate(window, window, "full")[frame - 1 :]
        corr /= corr[0]
        lag = low + int(np.argmax(corr[low:high]))
        if corr[lag] > 0.5:
            pitches.append(sample_rate / lag)
    return float(np.median(pitches))


def silence_around(
    speech: Speech, moment: float, threshold_db: float = -40.0
) -> tuple[float, float]:
    """The silent stretch of the audio that contains ``moment`` (seconds)."""
    hop = 0.005
    level = envelope_db(speech.samples, speech.sample_rate, hop)
    start = stop = int(moment / hop)
    assert level[start] < threshold_db, f"audio is not silent at {moment:.3f} s"
    while start > 0 and level[start - 1] < threshold_db:
        start -= 1
    while stop < len(level) and level[stop] < threshold_db:
        stop += 1
    return start * hop, stop * hop


def longest_gap(speech: Speech) -> tuple[float, float]:
    """The longest pause between two consecutive phonemes of the timeline."""
    phonemes = speech.phonemes
    gaps = [(a.end, b.start) for a, b in itertools.pairwise(phonemes)]
    return max(gaps, key=lambda gap: gap[1] - gap[0])
