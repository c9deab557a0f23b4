"""Viewport maths and anti-aliased signed-distance primitives (torch).

Every shape is a signed distance ``d`` in design units (negative inside); its
coverage is a smoothstep over about one output pixel, so edges are anti-aliased
at any size and the same code runs on CPU or CUDA.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

DESIGN = 512.0


@dataclass(frozen=True)
class View:
    """Maps design units to output pixels; ``margin`` pads for idle head motion."""

    size: int
    scale: float  # output pixels per design unit
    ox: float  # design coordinate of the output's left edge
    oy: float  # design coordinate of the output's top edge
    margin: int

    @classmethod
    def full(cls, size: int) -> View:
        scale = size / DESIGN
        return cls(size, scale, 0.0, 0.0, math.ceil(0.014 * size) + 1)

    @classmethod
    def closeup(cls, size: int, cx: float, cy: float, span: float = 190.0) -> View:
        """A square window of ``span`` design units around (cx, cy), drawn at full size."""
        scale = size / span
        return cls(size, scale, cx - span / 2, cy - span / 2, math.ceil(0.014 * size) + 1)

    @property
    def padded(self) -> int:
        return self.size + 2 * self.margin

    def to_px(self, x: float, y: float) -> tuple[float, float]:
        """Padded-canvas pixel coordinates of a design point."""
        return (x - self.ox) * self.scale + self.margin, (y - self.oy) * self.scale + self.margin

    def region(self, x0: float, y0: float, x1: float, y1: float) -> tuple[int, int, int, int]:
        """Padded pixel box (row0, row1, col0, col1) covering a design box, clipped."""
        c0, r0 = self.to_px(x0, y0)
        c1, r1 = self.to_px(x1, y1)
        lim = self.padded
        return (
            max(0, math.floor(r0)),
            min(lim, math.ceil(r1)),
            max(0, math.floor(c0)),
            min(lim, math.ceil(c1)),
        )

    def coords(
        self, r0: int, r1: int, c0: int, c1: int, device: torch.device
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Design coordinates of pixel centres: ys (rows) and xs (columns), 1-D."""
        ys = torch.arange(r0, r1, device=device, dtype=torch.float32) - self.margin + 0.5
        xs = torch.arange(c0, c1, device=device, dtype=torch.float32) - self.margin + 0.5
        return ys / self.scale + self.oy, xs / self.scale + self.ox


def coverage(d: torch.Tensor, scale: float) -> torch.Tensor:
    """Smoothstep from inside (1) to outside (0) across ~1 pixel around d = 0."""
    t = (0.5 - d * scale).clamp_(0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def ellipse(
    x: torch.Tensor, y: torch.Tensor, cx: float, cy: float, rx: float, ry: float, angle: float = 0.0
) -> torch.Tensor:
    """Approximate signed distance to an ellipse (gradient-normalised implicit form)."""
    dx, dy = x - cx, y - cy
    if angle:
        c, s = math.cos(angle), math.sin(angle)
        dx, dy = c * dx + s * dy, -s * dx + c * dy
    k0 = torch.sqrt((dx / rx) ** 2 + (dy / ry) ** 2)
    k1 = torch.sqrt((dx / rx**2) ** 2 + (dy / ry**2) ** 2).clamp_min(1e-6)
    return k0 * (k0 - 1.0) / k1


def band(x: torch.Tensor, y: torch.Tensor, x0: float, x1: float, centre, half) -> torch.Tensor:
    """Signed distance to a thick curve y = centre(x) with half-thickness half(x).

    ``centre`` and ``half`` take a tensor of x; the slope correction keeps the edge
    about one pixel wide where the curve tilts. The ends are rounded off by the taper.
    """
    xc = x.clamp(x0, x1)
    c = centre(xc)
    h = half(xc)
    eps = 0.5
    slope = (centre(xc + eps) - centre(xc - eps)) / (2 * eps)
    d_line = (y - c).abs() / torch.sqrt(1.0 + slope * slope) - h
    d_end = (x - xc).abs() - 0.0
    return torch.maximum(d_line, d_end)


def paint(canvas: torch.Tensor, alpha: torch.Tensor, color) -> None:
    """In-place ``canvas = lerp(canvas, color, alpha)``; alpha is H×W, canvas H×W×3."""
    col = torch.as_tensor(color, dtype=canvas.dtype, device=canvas.device)
    if col.ndim == 1:
        col = col.view(1, 1, 3)
    canvas.add_(alpha.unsqueeze(-1) * (col - canvas))


def smoothstep(edge0: float, edge1: float, x: torch.Tensor) -> torch.Tensor:
    t = ((x - edge0) / (edge1 - edge0)).clamp(0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)
