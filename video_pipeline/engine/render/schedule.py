"""Seeded, smooth life signs: blinks and idle head motion.

People blink every 2–6 s and never hold their head perfectly still; a face that
does neither looks dead. Both come from a seeded generator so that the same
input always gives the same frames.
"""

from __future__ import annotations

import numpy as np

#: Eyelid closure over the frames of one blink (0 open, 1 shut), ~200 ms at 25 fps.
BLINK_SHAPE = np.array([0.45, 0.95, 1.0, 0.7, 0.3], dtype=np.float32)
BLINK_GAP = (2.0, 4.0)  # seconds between blink starts → 2.5–5 blinks per 10 s


def blink_track(n_frames: int, fps: int, seed: int) -> np.ndarray:
    """Per-frame eyelid closure with blinks at seeded random intervals."""
    rng = np.random.default_rng([seed, 1])
    track = np.zeros(n_frames, dtype=np.float32)
    t = rng.uniform(0.4, 1.8)
    while True:
        start = round(t * fps)
        if start >= n_frames:
            break
        stop = min(n_frames, start + BLINK_SHAPE.size)
        track[start:stop] = BLINK_SHAPE[: stop - start]
        t += rng.uniform(*BLINK_GAP)
    return track


def head_motion(n_frames: int, fps: int, seed: int, amplitude_px: float) -> np.ndarray:
    """Per-frame whole-pixel (dx, dy) offsets: a slow seeded sway of a few pixels."""
    rng = np.random.default_rng([seed, 2])
    t = np.arange(n_frames) / fps
    out = np.zeros((n_frames, 2))
    for axis, amp in ((0, amplitude_px), (1, 0.6 * amplitude_px)):
        freqs = rng.uniform(0.08, 0.3, size=3)
        phases = rng.uniform(0, 2 * np.pi, size=3)
        weights = np.array([0.6, 0.3, 0.1])
        out[:, axis] = amp * (
            weights[:, None] * np.sin(2 * np.pi * freqs[:, None] * t + phases[:, None])
        ).sum(0)
    return np.rint(out).astype(np.int64)
