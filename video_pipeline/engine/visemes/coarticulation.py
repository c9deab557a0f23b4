"""Cohen–Massaro dominance coarticulation → per-frame articulation tracks.

Each segment pulls every parameter towards its target with a dominance that
peaks at the segment centre and decays exponentially away from it; the pose at
time t is the dominance-weighted mean of all targets. Two hard rules follow the
blend, because lip-readers rely on them: the lips are fully shut at the middle
of every p/b/m (ㅁㅂㅃㅍ), and in a pause the face relaxes to rest.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from video_pipeline.engine.types import FPS, LANGUAGES, EngineError, Phoneme

from .classes import BILABIAL, CLASSES, PARAMS, REST_TARGET, P, SubTarget, split_unit

#: A silence longer than this is a pause: the mouth returns to rest.
PAUSE_MIN = 0.12
#: Time to relax into rest after speech stops, and to leave it before speech.
RELAX = 0.10
ANTICIPATE = 0.08
#: Sub-samples per frame: the frame value is the mean over the frame's duration.
SUBSAMPLES = 4
#: Lips move slightly ahead of the sound they make (and viewers forgive video
#: leading audio far more than lagging it), so targets are blended this early.
LEAD = 0.015


@dataclass(frozen=True)
class VisemeSegment:
    """A phoneme with its viseme class label (what the timeline JSON lists)."""

    ipa: str
    start: float
    end: float
    viseme: str


@dataclass(frozen=True)
class VisemeTracks:
    """Articulation per video frame: ``values[frame, param]`` in [0, 1]."""

    values: np.ndarray
    fps: int
    duration: float
    segments: tuple[VisemeSegment, ...] = ()
    params: tuple[str, ...] = PARAMS

    @property
    def n_frames(self) -> int:
        return int(self.values.shape[0])

    def __getitem__(self, name: str) -> np.ndarray:
        return self.values[:, P[name]]


def frame_count(duration: float, fps: int = FPS) -> int:
    """ceil(duration × fps), robust to float noise (3.0 s × 25 is 75, not 76)."""
    return max(1, math.ceil(round(duration * fps, 6)))


def _dominance_blend(subs: list[SubTarget], times: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n_par = len(PARAMS)
    num = np.zeros((times.size, n_par))
    den = np.zeros((times.size, n_par))
    for sub in subs:
        cls = CLASSES[sub.cls]
        centre = 0.5 * (sub.start + sub.end)
        half = 0.5 * (sub.end - sub.start)
        # Flat top over the segment core so long vowels hold their target.
        tau = np.maximum(np.abs(times - centre) - 0.5 * half, 0.0)
        dom = np.exp(-cls.rate * tau)[:, None] * np.asarray(cls.dominance)[None, :]
        num += dom * np.asarray(cls.target)[None, :]
        den += dom
    return num, den


def _smoothstep(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3.0 - 2.0 * x)


def _rest_weight(
    times: np.ndarray, spans: list[tuple[float, float]], duration: float
) -> np.ndarray:
    """1 where the face should be at rest: leading/trailing silence and long pauses."""
    weight = np.zeros_like(times)
    if not spans:
        return np.ones_like(times)
    gaps = [(-1.0, spans[0][0])]
    gaps += [(a_end, b_start) for (_, a_end), (b_start, _) in itertools.pairwise(spans)]
    gaps.append((spans[-1][1], duration + 1.0))
    for g0, g1 in gaps:
        if g1 - g0 < PAUSE_MIN:
            continue
        rin = np.ones_like(times) if g0 < 0 else _smoothstep((times - g0) / RELAX)
        rout = _smoothstep((g1 - times) / ANTICIPATE)
        weight = np.maximum(weight, np.minimum(rin, rout))
    return weight


def _closure(times: np.ndarray, segments: list[VisemeSegment], frame: float) -> np.ndarray:
    """1 over the core of every bilabial, falling to 0 one frame outside it.

    The core reaches at least half a frame either side of the segment middle so the
    frame containing the middle (whichever frame a viewer steps to) is shut.
    """
    weight = np.zeros_like(times)
    for seg in segments:
        if seg.viseme != BILABIAL:
            continue
        mid = 0.5 * (seg.start + seg.end)
        core = max(0.3 * (seg.end - seg.start), 0.5 * frame + 1e-3)
        dist = np.abs(times - mid) - core
        weight = np.maximum(weight, 1.0 - _smoothstep(dist / frame))
    return weight


def segments_for(phonemes: list[Phoneme], lang: str) -> tuple[list[VisemeSegment], list[SubTarget]]:
    """Label every phoneme and expand multi-symbol units into timed sub-targets."""
    segments: list[VisemeSegment] = []
    subs: list[SubTarget] = []
    for ph in phonemes:
        if ph.end <= ph.start:
            continue
        label, parts = split_unit(ph.ipa, lang, ph.start, ph.end)
        segments.append(VisemeSegment(ph.ipa, ph.start, ph.end, label))
        subs.extend(parts)
    return segments, subs


def compute_tracks(
    phonemes: list[Phoneme], duration: float, lang: str, fps: int = FPS
) -> VisemeTracks:
    """Per-frame articulation for a phoneme timeline.

    Steps: blend targets by dominance on a grid of ``SUBSAMPLES`` points per frame,
    relax to rest in pauses, force bilabial closure, then average each frame.
    """
    if lang not in LANGUAGES:
        raise EngineError(f"unsupported language {lang!r}: expected one of {', '.join(LANGUAGES)}")
    if not duration > 0:
        raise EngineError("duration must be positive")
    n = frame_count(duration, fps)
    frame = 1.0 / fps
    times = (np.arange(n * SUBSAMPLES) + 0.5) * (frame / SUBSAMPLES)
    ordered = sorted(phonemes, key=lambda p: p.start)
    segments, subs = segments_for(ordered, lang)
    rest = np.broadcast_to(REST_TARGET, (times.size, len(PARAMS)))
    if subs:
        num, den = _dominance_blend(subs, times + LEAD)
        pose = np.where(den > 1e-9, num / np.maximum(den, 1e-12), rest)
    else:
        pose = rest.copy()
    w_rest = _rest_weight(times, [(s.start, s.end) for s in segments], duration)[:, None]
    pose = (1.0 - w_rest) * pose + w_rest * rest
    values = pose.reshape(n, SUBSAMPLES, len(PARAMS)).mean(axis=1)
    centres = (np.arange(n) + 0.5) * frame
    shut = _closure(centres, segments, frame)
    values[:, P["open"]] *= 1.0 - shut
    values[:, P["labdent"]] *= 1.0 - shut
    values[:, P["upper"]] *= 1.0 - shut
    values[shut >= 1.0, P["open"]] = 0.0
    return VisemeTracks(
        values=np.clip(values, 0.0, 1.0).astype(np.float32),
        fps=fps,
        duration=float(duration),
        segments=tuple(segments),
    )


def rest_tracks(duration: float, fps: int = FPS) -> VisemeTracks:
    """A silent face (used for idle clips and blink checks)."""
    n = frame_count(duration, fps)
    values = np.tile(REST_TARGET.astype(np.float32), (n, 1))
    return VisemeTracks(values=values, fps=fps, duration=float(duration))
