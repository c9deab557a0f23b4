"""The moving part of the face: jaw contour, lips, teeth, tongue and mouth cavity.

Lips are drawn as curves over columns (a height field): for every column the
renderer knows where the upper lip's outer and inner edges and the lower lip's
inner and outer edges are, so a pixel only needs a few subtractions to know what
it shows. That keeps the per-frame cost at a few dozen tensor operations over a
small box, which is what lets a CPU render well above a thousand frames a second.
"""

from __future__ import annotations

import torch

from .avatars import CX, FACE_CY, MOUTH_Y, Avatar
from .canvas import coverage

#: Largest lip gap and chin drop, in design units.
MAX_GAP = 24.0
MAX_DROP = 14.0
TEETH_HALF_WIDTH = 29.0
#: Design box (relative to the mouth centre) that the lips can reach.
LIPS_BOX = (-52.0, -26.0, 52.0, 44.0)


def jaw_box(av: Avatar) -> tuple[float, float, float, float]:
    """Design box redrawn every frame: lower face from above the lips to below the chin."""
    return (
        CX - av.face_half_width - 3,
        MOUTH_Y + LIPS_BOX[1],
        CX + av.face_half_width + 3,
        FACE_CY + av.face_half_height + MAX_DROP + 4,
    )


def face_distance(x: torch.Tensor, y: torch.Tensor, av: Avatar) -> torch.Tensor:
    """Signed distance to the face outline (egg shape: the chin narrower than the cheeks)."""
    dy = y - FACE_CY
    t = (dy / av.face_half_height).clamp(0.0, 1.0)
    hw = av.face_half_width * (1.0 - av.jaw_taper * t * t)
    dx = x - CX
    u = dx / hw
    v = dy / av.face_half_height
    k0 = torch.sqrt(u * u + v * v)
    k1 = torch.sqrt((u / hw) ** 2 + (v / av.face_half_height) ** 2).clamp_min(1e-6)
    return k0 * (k0 - 1.0) / k1


def _colors(av: Avatar, device: torch.device) -> dict[str, torch.Tensor]:
    lips = torch.tensor(av.lips, dtype=torch.float32, device=device)
    return {
        "upper": lips * 0.86,
        "lower": lips,
        "shine": torch.clamp(lips * 1.18 + 18.0, max=255.0),
        "seam": lips * 0.68,
        "cavity": torch.tensor((46.0, 14.0, 20.0), device=device),
        "tongue": torch.tensor((196.0, 92.0, 102.0), device=device),
        "teeth_up": torch.tensor((244.0, 240.0, 230.0), device=device),
        "teeth_low": torch.tensor((214.0, 208.0, 196.0), device=device),
    }


def render_jaw(
    params: torch.Tensor,
    ys: torch.Tensor,
    xs: torch.Tensor,
    under: torch.Tensor,
    skin: torch.Tensor,
    av: Avatar,
    scale: float,
    lips_slice: tuple[slice, slice],
) -> torch.Tensor:
    """Draw B frames of the lower face into a float tensor B×h×w×3.

    ``params`` is B×8 (see visemes.PARAMS); ``under`` and ``skin`` are the cached
    background and skin layers for this box; ``lips_slice`` picks the sub-box where
    the lips can be, so the expensive part runs over as few pixels as possible.
    """
    b = params.shape[0]
    jaw = params[:, 0].view(b, 1, 1)
    drop = jaw * MAX_DROP
    g = ((ys - MOUTH_Y + 4.0) / 30.0).clamp(0.0, 1.0)
    g = (g * g * (3.0 - 2.0 * g)).view(1, -1, 1)
    yw = ys.view(1, -1, 1) - drop * g
    a_face = coverage(face_distance(xs.view(1, 1, -1), yw, av), scale)
    out = under + a_face.unsqueeze(-1) * (skin - under)
    rs, cs = lips_slice
    out[:, rs, cs] = _render_lips(params, ys[rs], xs[cs], out[:, rs, cs], av, scale)
    return out


def _render_lips(
    params: torch.Tensor,
    ys: torch.Tensor,
    xs: torch.Tensor,
    base: torch.Tensor,
    av: Avatar,
    scale: float,
) -> torch.Tensor:
    b = params.shape[0]
    dev = params.device

    def col(i: int) -> torch.Tensor:
        return params[:, i].view(b, 1, 1)

    jaw, opening, width, rnd = col(0), col(1), col(2), col(3)
    upper, labdent, tongue, teeth = col(4), col(5), col(6), col(7)
    x = xs.view(1, 1, -1)
    y = ys.view(1, -1, 1)
    dx = x - CX
    c = _colors(av, dev)

    hw = av.mouth_half_width * (0.74 + 0.5 * width - 0.14 * rnd)
    u = (dx / hw).clamp(-1.0, 1.0)
    q = (1.0 - u * u).clamp_min(0.0)
    gap = opening * MAX_GAP
    prof = q ** (0.8 - 0.35 * rnd)
    retract = teeth * 1.2 * (opening * 4.0).clamp(0.0, 1.0)
    y_teeth_up = MOUTH_Y + 1.0 - 2.5 * (dx / 30.0) ** 2
    # The upper lip only lifts off a parted mouth (or off the lower lip for f/v):
    # closed lips stay closed whatever the neighbouring vowels ask for.
    lift = upper * 5.0 * (4.0 * opening + labdent).clamp(0.0, 1.0)
    y_ui = MOUTH_Y - lift - (0.32 * gap + retract) * prof
    y_li = MOUTH_Y + (0.68 * gap + retract) * prof
    y_li = y_li + labdent * (y_teeth_up - 1.2 - y_li)
    au = u.abs()
    bow = 0.88 + 0.22 * torch.exp(-(((au - 0.32) / 0.2) ** 2)) - 0.18 * torch.exp(-((u / 0.1) ** 2))
    thick_u = 7.0 * av.lip_thickness * (1.0 + 0.35 * rnd) * q**0.45 * bow
    thick_l = 9.0 * av.lip_thickness * (1.0 + 0.3 * rnd) * (1.0 - 0.25 * labdent) * q**0.55
    y_uo = y_ui - thick_u
    y_lo = y_li + thick_l
    hc = coverage(dx.abs() - hw, scale)  # B×1×w
    gap_px = ((y_li - y_ui) * scale).clamp(0.0, 1.0)

    # Lips as one region, coloured upper/lower with a soft shine on the lower lip.
    a_lips = coverage(y_uo - y, scale) * coverage(y - y_lo, scale) * hc
    y_mid = 0.5 * (y_ui + y_li)
    lower = coverage(y_mid - y, scale).unsqueeze(-1)
    shine = torch.exp(
        -(((y - (y_li + 0.42 * thick_l)) / (0.24 * thick_l + 0.5)) ** 2) - 3.0 * u * u
    )
    lipcol = c["upper"] + lower * (c["lower"] - c["upper"])
    lipcol = lipcol + (0.35 * shine).unsqueeze(-1) * (c["shine"] - lipcol)
    out = base + a_lips.unsqueeze(-1) * (lipcol - base)
    seam = coverage((y - y_mid).abs() - 0.6 / scale, scale) * (1.0 - gap_px) * hc * (q > 0.02)
    out = out + seam.unsqueeze(-1) * (c["seam"] - out)

    # Inside the mouth: dark cavity, tongue, lower then upper teeth.
    a_cav = coverage(y_ui - y, scale) * coverage(y - y_li, scale) * hc * gap_px
    teeth_cols = coverage(dx.abs() - TEETH_HALF_WIDTH, scale) * _tooth_gaps(dx)
    y_teeth_low = MOUTH_Y + 4.5 + jaw * 16.0 + 2.5 * (dx / 30.0) ** 2
    t_y = MOUTH_Y + 7.5 + jaw * 16.0 - tongue * 9.0
    tdx = dx / 15.0
    a_tongue = coverage((torch.sqrt(tdx * tdx + ((y - t_y) / 8.0) ** 2) - 1.0) * 8.0, scale)
    a_low = coverage(y_teeth_low - y, scale) * teeth_cols * (1.0 - a_tongue * tongue)
    a_up = coverage(y - y_teeth_up, scale) * teeth_cols
    inner = c["cavity"] + a_tongue.unsqueeze(-1) * (c["tongue"] - c["cavity"])
    inner = inner + a_low.unsqueeze(-1) * (c["teeth_low"] - inner)
    inner = inner + a_up.unsqueeze(-1) * (c["teeth_up"] - inner)
    return out + a_cav.unsqueeze(-1) * (inner - out)


def _tooth_gaps(dx: torch.Tensor) -> torch.Tensor:
    """Faint gaps between teeth (per column, so nearly free)."""
    pos = (dx.abs() + 4.5) / 9.0
    frac = pos - torch.floor(pos)
    return 1.0 - 0.14 * torch.exp(-(((frac - 0.5) / 0.06) ** 2))
