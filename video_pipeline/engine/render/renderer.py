"""Frames from articulation tracks: cached still head + small moving boxes.

Per batch of frames: copy the cached head (shifted by the idle head motion),
draw the jaw box (lips, teeth, tongue, chin) for every frame and the eye boxes
only for frames inside a blink, then hand back uint8 RGB. Frames come out in
batches so a long line never needs all its frames in memory.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

import numpy as np
import torch

from video_pipeline.engine.types import EngineError
from video_pipeline.engine.visemes import VisemeTracks

from .avatars import CX, EYE_DX, MOUTH_Y, get_avatar
from .canvas import View, coverage
from .mouth import render_jaw
from .schedule import blink_track, head_motion
from .static import StaticHead, build_static, eye_curves

MIN_SIZE, MAX_SIZE = 256, 1024
#: Idle sway in design units (≈ 3 px at 512×512).
SWAY = 3.2
LASH = (34.0, 26.0, 24.0)


def resolve_device(device: str) -> torch.device:
    """``auto`` picks CUDA when present; the same code runs on both."""
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if device not in ("cpu", "cuda") and not device.startswith("cuda:"):
        raise EngineError(f"unknown device {device!r}: expected auto, cpu or cuda")
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise EngineError("device 'cuda' requested but no CUDA GPU is available")
    return torch.device(device)


def check_size(size: int) -> None:
    if not isinstance(size, int) or not MIN_SIZE <= size <= MAX_SIZE:
        raise EngineError(
            f"size must be an integer from {MIN_SIZE} to {MAX_SIZE} pixels, got {size!r}"
        )


@lru_cache(maxsize=8)
def _static(voice: str, size: int, closeup: bool, device: str) -> StaticHead:
    view = View.closeup(size, CX, MOUTH_Y + 6) if closeup else View.full(size)
    with torch.no_grad():
        return build_static(get_avatar(voice), view, torch.device(device))


def default_seed(*parts: object) -> int:
    """A stable seed from the input (same line → same blinks and sway)."""
    return zlib.crc32("\x1f".join(map(str, parts)).encode("utf-8"))


class Renderer:
    """Renders one avatar at one size; reuse it for many lines."""

    def __init__(self, voice: str, size: int = 512, *, closeup: bool = False, device: str = "auto"):
        check_size(size)
        get_avatar(voice)
        self.voice = voice
        self.size = size
        self.closeup = closeup
        self.device = resolve_device(device)
        self.head = _static(voice, size, closeup, str(self.device))

    def frames(
        self, tracks: VisemeTracks, *, seed: int = 0, batch: int = 32
    ) -> Iterator[np.ndarray]:
        """Yield uint8 arrays of shape (B, size, size, 3), B ≤ batch, in frame order."""
        n = tracks.n_frames
        view = self.head.view
        amp = min(SWAY * view.scale, view.margin - 1)
        offsets = head_motion(n, tracks.fps, seed, amp)
        blinks = blink_track(n, tracks.fps, seed)
        values = torch.from_numpy(np.ascontiguousarray(tracks.values, dtype=np.float32))
        for start in range(0, n, batch):
            stop = min(n, start + batch)
            with torch.no_grad(), _cpu_threads(self.device):
                out = self._batch(
                    values[start:stop].to(self.device), offsets[start:stop], blinks[start:stop]
                )
            yield out

    def render(self, tracks: VisemeTracks, *, seed: int = 0) -> np.ndarray:
        """All frames at once (N, size, size, 3); fine for short clips and tests."""
        parts = list(self.frames(tracks, seed=seed))
        return np.concatenate(parts, axis=0)

    def _batch(self, params: torch.Tensor, offsets: np.ndarray, blinks: np.ndarray) -> np.ndarray:
        head, view, size = self.head, self.head.view, self.size
        m = view.margin
        b = params.shape[0]
        out = torch.empty((b, size, size, 3), dtype=torch.uint8, device=self.device)
        for i, (dx, dy) in enumerate(offsets):
            out[i] = head.frame[m + dy : m + dy + size, m + dx : m + dx + size]
        r0, r1, c0, c1 = head.jaw_box
        if r1 > r0 and c1 > c0:
            jaw = render_jaw(
                params,
                head.jaw_ys,
                head.jaw_xs,
                head.jaw_under,
                head.jaw_skin,
                head.avatar,
                view.scale,
                head.lips_slice,
            )
            self._paste(out, _to_uint8(jaw), (r0, c0), offsets, range(b))
        closing = [i for i in range(b) if blinks[i] > 0.0]
        if closing:
            closure = torch.from_numpy(blinks[closing]).to(self.device)
            for k, box in enumerate(head.eye_boxes):
                patch = self._eye(k, closure)
                self._paste(out, _to_uint8(patch), (box[0], box[2]), offsets, closing)
        return out.cpu().numpy()

    def _eye(self, k: int, closure: torch.Tensor) -> torch.Tensor:
        head = self.head
        av = head.avatar
        ys, xs = head.eye_coords[k]
        box = head.eye_boxes[k]
        centre_x = float(xs[len(xs) // 2])
        ex = CX + (EYE_DX if centre_x > CX else -EYE_DX)
        top, bottom, _q = eye_curves(xs, ex, av)
        b = closure.view(-1, 1, 1)
        y_lid = top.view(1, 1, -1) + b * (bottom.view(1, 1, -1) + 0.6 - top.view(1, 1, -1))
        y = ys.view(1, -1, 1)
        s = head.view.scale
        lid = coverage(y - y_lid, s).unsqueeze(-1)
        opened, lidded = head.eyes_open[k], head.eyes_lidded[k]
        out = opened + lid * (lidded - opened)
        inside = ((xs - ex).abs() - av.eye_half_width).view(1, 1, -1)
        d_lash = torch.maximum((y - y_lid).abs() - (0.8 + 0.7 * b), inside)
        lash = (coverage(d_lash, s) * (b > 0.05)).unsqueeze(-1)
        lash_col = torch.tensor(LASH, device=out.device)
        del box
        return out + lash * (lash_col - out)

    def _paste(
        self,
        out: torch.Tensor,
        patch: torch.Tensor,
        corner: tuple[int, int],
        offsets: np.ndarray,
        frames,
    ) -> None:
        """Copy per-frame patches into the shifted frames, clipped to the picture."""
        m, size = self.head.view.margin, self.size
        h, w = patch.shape[1:3]
        for j, i in enumerate(frames):
            dx, dy = offsets[i]
            r, c = corner[0] - m - dy, corner[1] - m - dx
            rr0, cc0 = max(r, 0), max(c, 0)
            rr1, cc1 = min(r + h, size), min(c + w, size)
            if rr1 <= rr0 or cc1 <= cc0:
                continue
            out[i, rr0:rr1, cc0:cc1] = patch[j, rr0 - r : rr1 - r, cc0 - c : cc1 - c]


@contextmanager
def _cpu_threads(device: torch.device) -> Iterator[None]:
    """One intra-op thread on CPU while drawing the small boxes.

    The boxes are too small to gain from more threads, and OpenMP workers spinning
    between operations starve the H.264 encoder running beside the renderer (the
    whole pipeline ran 5-20x slower with two threads on a 2-core machine).
    """
    if device.type != "cpu":
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def _to_uint8(x: torch.Tensor) -> torch.Tensor:
    return (x + 0.5).clamp_(0.0, 255.0).to(torch.uint8)


def render_frames(
    tracks: VisemeTracks,
    voice: str,
    *,
    size: int = 512,
    closeup: bool = False,
    device: str = "auto",
    seed: int = 0,
    batch: int = 32,
) -> Iterator[np.ndarray]:
    """Convenience wrapper: batches of uint8 RGB frames for a track set."""
    return Renderer(voice, size, closeup=closeup, device=device).frames(
        tracks, seed=seed, batch=batch
    )
