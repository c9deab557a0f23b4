"""Phonemes → viseme classes → per-frame articulation tracks."""

from __future__ import annotations

from video_pipeline.engine.types import Speech

from .classes import PARAMS, REST_TARGET, classify, normalize_ipa, tokenize
from .coarticulation import (
    VisemeSegment,
    VisemeTracks,
    compute_tracks,
    frame_count,
    rest_tracks,
)


def visemes(speech: Speech) -> VisemeTracks:
    """Articulation tracks for a synthesised line (25 fps, one row per video frame)."""
    return compute_tracks(speech.phonemes, speech.duration, speech.lang)


__all__ = [
    "PARAMS",
    "REST_TARGET",
    "VisemeSegment",
    "VisemeTracks",
    "classify",
    "compute_tracks",
    "frame_count",
    "normalize_ipa",
    "rest_tracks",
    "tokenize",
    "visemes",
]
