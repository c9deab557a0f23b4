"""Articulatory 2D talking head drawn with torch (CPU or CUDA)."""

from __future__ import annotations

from .avatars import AVATARS, Avatar, get_avatar
from .renderer import (
    MAX_SIZE,
    MIN_SIZE,
    Renderer,
    check_size,
    default_seed,
    render_frames,
    resolve_device,
)
from .schedule import blink_track, head_motion

__all__ = [
    "AVATARS",
    "MAX_SIZE",
    "MIN_SIZE",
    "Avatar",
    "Renderer",
    "blink_track",
    "check_size",
    "default_seed",
    "get_avatar",
    "head_motion",
    "render_frames",
    "resolve_device",
]
