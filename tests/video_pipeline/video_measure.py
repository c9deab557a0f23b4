"""Measurements taken from decoded MP4 files (pixels and samples, not engine state)."""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from video_pipeline.engine.render.avatars import CX, EYE_DX, EYE_Y, MOUTH_Y

FRAME = 0.04


@dataclass
class Decoded:
    frames: np.ndarray  # N×H×W×3
    fps: float
    video_codec: str
    audio_codec: str
    audio: np.ndarray
    sample_rate: int
    audio_start: float


def decode(path: Path) -> Decoded:
    with av.open(str(path)) as c:
        v = c.streams.video[0]
        fps = float(v.average_rate)
        vcodec = v.codec_context.name
        frames = np.stack([f.to_ndarray(format="rgb24") for f in c.decode(v)])
    with av.open(str(path)) as c:
        a = c.streams.audio[0]
        acodec, sr = a.codec_context.name, a.codec_context.sample_rate
        chunks, start = [], None
        for f in c.decode(a):
            if start is None:
                start = float(f.pts * f.time_base)
            chunks.append(f.to_ndarray().reshape(-1))
    return Decoded(frames, fps, vcodec, acodec, np.concatenate(chunks), sr, start or 0.0)


def top_level_boxes(path: Path) -> list[str]:
    """MP4 box types in file order, read from the bytes."""
    data = Path(path).read_bytes()
    out, pos = [], 0
    while pos + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[pos : pos + 8])
        if size == 1:
            size = struct.unpack(">Q", data[pos + 8 : pos + 16])[0]
        elif size == 0:
            size = len(data) - pos
        out.append(kind.decode("latin-1"))
        pos += size
    return out


def timeline(path: Path) -> dict:
    return json.loads(Path(path).with_suffix(".json").read_text(encoding="utf-8"))


def _box(size: int, x0: float, y0: float, x1: float, y1: float) -> tuple[slice, slice]:
    s = size / 512.0
    return slice(int(y0 * s), int(np.ceil(y1 * s))), slice(int(x0 * s), int(np.ceil(x1 * s)))


def mouth_box(size: int) -> tuple[slice, slice]:
    """A fixed region that holds the lips whatever the idle head motion does."""
    return _box(size, CX - 46, MOUTH_Y - 28, CX + 46, MOUTH_Y + 30)


def luminance(frames: np.ndarray) -> np.ndarray:
    f = frames.astype(np.float32)
    return 0.299 * f[..., 0] + 0.587 * f[..., 1] + 0.114 * f[..., 2]


def opening(frames: np.ndarray) -> np.ndarray:
    """Dark mouth-cavity pixels in the mouth region, per frame."""
    rs, cs = mouth_box(frames.shape[1])
    return (luminance(frames[:, rs, cs]) < 60).sum(axis=(1, 2)).astype(float)


def lip_mask(frames: np.ndarray) -> np.ndarray:
    f = frames.astype(np.float32)
    r, g = f[..., 0], f[..., 1]
    return (g < 0.66 * r) & (luminance(frames) > 60)


def lip_width(frames: np.ndarray) -> np.ndarray:
    """Horizontal extent (pixels) of lip-coloured pixels in the mouth region, per frame."""
    rs, cs = mouth_box(frames.shape[1])
    cols = lip_mask(frames[:, rs, cs]).sum(axis=1) >= 2  # N×W: column has lip pixels
    out = np.zeros(len(frames))
    for i, c in enumerate(cols):
        idx = np.flatnonzero(c)
        out[i] = idx[-1] - idx[0] + 1 if idx.size else 0
    return out


def eye_white(frames: np.ndarray) -> np.ndarray:
    """Visible eye-white pixels in both eye regions, per frame."""
    size = frames.shape[1]
    total = np.zeros(len(frames))
    for side in (-1, 1):
        rs, cs = _box(
            size, CX + side * EYE_DX - 30, EYE_Y - 18, CX + side * EYE_DX + 30, EYE_Y + 16
        )
        crop = frames[:, rs, cs].astype(np.int16)
        white = (crop.min(axis=-1) > 200) & (crop.max(axis=-1) - crop.min(axis=-1) < 40)
        total += white.sum(axis=(1, 2))
    return total


def count_blinks(whites: np.ndarray) -> int:
    closed = whites < 0.35 * np.median(whites)
    return int(np.sum(closed[1:] & ~closed[:-1]) + closed[0])


def rms_envelope(audio: np.ndarray, sample_rate: int, start: float, n_frames: int) -> np.ndarray:
    """Audio RMS per 40 ms video frame, aligned on the decoded audio's own timestamps."""
    offset = round(start * sample_rate)
    padded = np.concatenate([np.zeros(max(offset, 0)), audio[max(-offset, 0) :]])
    hop = round(FRAME * sample_rate)
    padded = np.pad(padded, (0, max(0, n_frames * hop - padded.size)))
    return np.sqrt((padded[: n_frames * hop].reshape(n_frames, hop) ** 2).mean(axis=1))


def xcorr_peak_lag(a: np.ndarray, b: np.ndarray, max_lag: int = 6) -> int:
    """Lag (frames) maximising the normalised cross-correlation; >0 means b lags a."""
    a = (a - a.mean()) / (a.std() + 1e-9)
    b = (b - b.mean()) / (b.std() + 1e-9)
    best, best_lag = -np.inf, 0
    for lag in range(-max_lag, max_lag + 1):
        if lag >= 0:
            x, y = a[: a.size - lag], b[lag:]
        else:
            x, y = a[-lag:], b[: b.size + lag]
        c = float(np.mean(x * y))
        if c > best:
            best, best_lag = c, lag
    return best_lag


def mid_frame(seg: dict) -> int:
    return int(0.5 * (seg["start"] + seg["end"]) / FRAME)
