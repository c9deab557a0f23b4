"""Carry a phoneme timeline from one recording of a sentence to another by DTW.

Cloud TTS returns audio without timing. espeak can say the same text with exact
phoneme times, so the two recordings are aligned frame by frame and every espeak
time is mapped through the warping path. Steps:

1. features: 13 MFCCs (without c0, so level does not matter) from a 40-band log-mel
   spectrogram, 25 ms windows every 10 ms, each coefficient normalised to zero mean
   and unit variance per recording (removes most of the voice difference);
2. dynamic time warping with steps (1,0), (0,1), (1,1) from the first frame pair to
   the last; each row of the cost table is one vectorised min-plus scan;
3. a reference time becomes the mean target frame its reference frame is paired
   with, interpolated between frames.
"""

from __future__ import annotations

import numpy as np
from scipy.fft import dct, rfft

from video_pipeline.engine.types import EngineError, Phoneme

HOP_SECONDS = 0.010
WINDOW_SECONDS = 0.025
MEL_BANDS = 40
MFCC_COUNT = 13
MAX_FRAMES = 6000  # one minute; the cost table grows with the square of this


def mel_filterbank(sample_rate: int, n_fft: int, bands: int = MEL_BANDS) -> np.ndarray:
    """Triangular mel filters (bands x n_fft//2+1), 60 Hz to 8 kHz or Nyquist."""
    high = min(8000.0, sample_rate / 2)

    def to_mel(hz: np.ndarray | float) -> np.ndarray:
        return 2595.0 * np.log10(1.0 + np.asarray(hz) / 700.0)

    def to_hz(mel: np.ndarray) -> np.ndarray:
        return 700.0 * (10.0 ** (mel / 2595.0) - 1.0)

    edges = to_hz(np.linspace(to_mel(60.0), to_mel(high), bands + 2))
    bins = np.fft.rfftfreq(n_fft, 1.0 / sample_rate)
    filters = np.zeros((bands, len(bins)))
    for k in range(bands):
        left, centre, right = edges[k], edges[k + 1], edges[k + 2]
        rising = (bins - left) / (centre - left)
        falling = (right - bins) / (right - centre)
        filters[k] = np.clip(np.minimum(rising, falling), 0.0, None)
    return filters


def mfcc(samples: np.ndarray, sample_rate: int) -> np.ndarray:
    """Normalised MFCC frames (frames x MFCC_COUNT), one every ``HOP_SECONDS``."""
    hop = HOP_SECONDS * sample_rate
    window = round(WINDOW_SECONDS * sample_rate)
    n_fft = 1 << (window - 1).bit_length()
    count = max(1, int(np.ceil(len(samples) / hop)))
    padded = np.concatenate([np.zeros(window // 2), samples, np.zeros(window)])
    starts = np.round(np.arange(count) * hop).astype(int)
    frames = padded[starts[:, None] + np.arange(window)[None, :]] * np.hanning(window)
    power = np.abs(rfft(frames, n=n_fft, axis=1)) ** 2
    log_mel = np.log(power @ mel_filterbank(sample_rate, n_fft).T + 1e-10)
    coefficients = dct(log_mel, type=2, norm="ortho", axis=1)[:, 1 : MFCC_COUNT + 1]
    spread = coefficients.std(axis=0)
    return (coefficients - coefficients.mean(axis=0)) / np.where(spread > 0, spread, 1.0)


def dtw_path(reference: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Minimal-cost monotone path (pairs of frame indices) from (0, 0) to the last pair."""
    rows, cols = len(reference), len(target)
    if max(rows, cols) > MAX_FRAMES:
        raise EngineError("The recording is too long to align (over a minute).")
    cost = (
        (reference**2).sum(axis=1)[:, None]
        + (target**2).sum(axis=1)[None, :]
        - 2.0 * reference @ target.T
    )
    cost = np.sqrt(np.maximum(cost, 0.0)).astype(np.float32)
    total = np.empty((rows, cols), dtype=np.float32)
    total[0] = np.cumsum(cost[0])
    for i in range(1, rows):
        previous = total[i - 1]
        # Entering row i from above (i-1, j) or diagonally (i-1, j-1) ...
        entry = previous.copy()
        entry[1:] = np.minimum(previous[1:], previous[:-1])
        # ... then walking right along the row: a running min-plus scan.
        prefix = np.cumsum(cost[i])
        shifted = np.concatenate([[0.0], prefix[:-1]]).astype(np.float32)
        total[i] = prefix + np.minimum.accumulate(entry - shifted)
    return _backtrack(total)


def _backtrack(total: np.ndarray) -> np.ndarray:
    i, j = total.shape[0] - 1, total.shape[1] - 1
    path = [(i, j)]
    while i > 0 or j > 0:
        if i == 0:
            j -= 1
        elif j == 0:
            i -= 1
        else:
            options = (total[i - 1, j - 1], total[i - 1, j], total[i, j - 1])
            step = int(np.argmin(options))
            i, j = (i - 1, j - 1) if step == 0 else (i - 1, j) if step == 1 else (i, j - 1)
        path.append((i, j))
    return np.array(path[::-1])


def time_map(path: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Reference frame -> mean target frame along the path (both increasing)."""
    ref_frames = np.unique(path[:, 0])
    sums = np.bincount(path[:, 0], weights=path[:, 1])
    counts = np.bincount(path[:, 0])
    target = sums[ref_frames] / counts[ref_frames]
    return ref_frames.astype(float), np.maximum.accumulate(target)


def transfer_phonemes(
    phonemes: list[Phoneme],
    reference: np.ndarray,
    target: np.ndarray,
    sample_rate: int,
) -> list[Phoneme]:
    """Times of ``phonemes`` (in ``reference`` audio) moved onto ``target`` audio."""
    path = dtw_path(mfcc(reference, sample_rate), mfcc(target, sample_rate))
    ref_frames, target_frames = time_map(path)
    duration = len(target) / sample_rate

    def move(t: float) -> float:
        frame = np.interp(t / HOP_SECONDS, ref_frames, target_frames)
        return float(min(max(frame * HOP_SECONDS, 0.0), duration))

    moved = []
    for phoneme in phonemes:
        start, end = move(phoneme.start), move(phoneme.end)
        if moved and start < moved[-1].end:
            start = moved[-1].end
        if end > start:
            moved.append(Phoneme(phoneme.ipa, start, end))
    return moved
