"""The parts of a head that never move, drawn once per avatar, size and view.

Steps: background, hair behind the head, neck, clothes and ears (the *under*
layer, kept for the jaw box); the shaded skin layer; face; nose, brows, eye
creases (the *no-eyes* copy, kept for blinks); eyes; hair in front and glasses;
finally the mouth at rest. The jaw box and eye boxes keep crops of the layers
they need, so per frame only those small boxes are redrawn.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from video_pipeline.engine.visemes import REST_TARGET

from .avatars import CX, EYE_DX, EYE_Y, FACE_CY, MOUTH_Y, NOSE_Y, Avatar
from .canvas import View, band, coverage, ellipse, paint, smoothstep
from .mouth import LIPS_BOX, face_distance, jaw_box, render_jaw

Box = tuple[int, int, int, int]


@dataclass
class StaticHead:
    """Cached layers for one avatar in one view (all on the render device)."""

    avatar: Avatar
    view: View
    frame: torch.Tensor  # padded canvas, uint8 H×W×3, mouth at rest, eyes open
    jaw_box: Box
    lips_slice: tuple[slice, slice]
    jaw_under: torch.Tensor
    jaw_skin: torch.Tensor
    jaw_ys: torch.Tensor
    jaw_xs: torch.Tensor
    eye_boxes: list[Box]
    eyes_open: list[torch.Tensor]
    eyes_lidded: list[torch.Tensor]
    eye_coords: list[tuple[torch.Tensor, torch.Tensor]]


def eye_curves(
    x: torch.Tensor, ex: float, av: Avatar
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Upper and lower eyelid edges (y for each x) of an almond-shaped eye, and q≥0 inside."""
    v = (x - ex) / av.eye_half_width
    side = math.copysign(1.0, ex - CX)
    q = (1.0 - v * v).clamp_min(0.0)
    top = EYE_Y - av.eye_half_height * q**0.65 * (1.0 + 0.12 * side * v)
    bottom = EYE_Y + 0.72 * av.eye_half_height * q**0.85
    return top, bottom, q


def _grid(view: View, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    ys, xs = view.coords(0, view.padded, 0, view.padded, device)
    return xs.view(1, -1).expand(view.padded, -1), ys.view(-1, 1).expand(-1, view.padded)


def _rgb(color, k: float = 1.0, add: float = 0.0) -> tuple[float, float, float]:
    return tuple(min(255.0, max(0.0, c * k + add)) for c in color)


def _draw_under(cv: torch.Tensor, x: torch.Tensor, y: torch.Tensor, av: Avatar, s: float) -> None:
    fw, fh = av.face_half_width, av.face_half_height
    shade = smoothstep(0.0, 512.0, y).unsqueeze(-1)
    bg_top = torch.tensor(_rgb(av.background, 1.04, 4.0), device=cv.device)
    bg_bot = torch.tensor(_rgb(av.background, 0.9), device=cv.device)
    cv.copy_(bg_top + shade * (bg_bot - bg_top))
    if av.hair_style == "long":
        d_rect = torch.maximum((x - CX).abs() - (fw + 24), torch.maximum(y - 470.0, 200.0 - y))
        d = torch.minimum(ellipse(x, y, CX, FACE_CY - 30, fw + 30, fh + 10), d_rect)
        paint(cv, coverage(d, s), _rgb(av.hair, 0.85))
    elif av.hair_style == "bob":
        paint(
            cv, coverage(ellipse(x, y, CX, FACE_CY - 40, fw + 30, fh + 4), s), _rgb(av.hair, 0.88)
        )
    neck_w = 0.46 * fw
    d_neck = torch.maximum((x - CX).abs() - neck_w, FACE_CY + 40 - y)
    paint(cv, coverage(d_neck, s), av.skin_shade)
    chin_y = FACE_CY + fh
    paint(
        cv,
        coverage(d_neck, s) * 0.35 * (1.0 - smoothstep(chin_y - 10, chin_y + 30, y)),
        _rgb(av.skin_shade, 0.7),
    )
    d_body = ellipse(x, y, CX, 640.0, 250.0, 190.0)
    paint(cv, coverage(d_body, s), av.clothes)
    d_collar = torch.maximum(d_body, (x - CX).abs() * 0.9 - (y - 458.0) * 0.9 - neck_w * 0.8)
    paint(cv, coverage(d_collar, s), av.skin_shade)
    for side in (-1.0, 1.0):
        ex = CX + side * (fw - 2.0)
        paint(cv, coverage(ellipse(x, y, ex, 262.0, 14.0, 27.0), s), av.skin_shade)
        paint(
            cv,
            coverage(ellipse(x, y, ex + side * 2, 262.0, 7.0, 16.0), s) * 0.5,
            _rgb(av.skin_shade, 0.85),
        )


def _skin_layer(x: torch.Tensor, y: torch.Tensor, av: Avatar, s: float) -> torch.Tensor:
    skin = torch.tensor(av.skin, dtype=torch.float32, device=x.device)
    shade = torch.tensor(av.skin_shade, dtype=torch.float32, device=x.device)
    r = torch.sqrt(
        ((x - CX) / av.face_half_width) ** 2 + ((y - FACE_CY) / av.face_half_height) ** 2
    )
    layer = skin + smoothstep(0.55, 1.05, r).unsqueeze(-1) * (shade - skin)
    if av.blush:
        for side in (-1.0, 1.0):
            d = ellipse(x, y, CX + side * 58, 300.0, 26.0, 16.0)
            a = (1.0 - smoothstep(-14.0, 6.0, d)) * av.blush * 0.35
            paint(layer, a, (226.0, 120.0, 120.0))
    philtrum = band(x, y, CX - 7, CX + 7, lambda t: 0 * t + 338.0, lambda t: 0 * t + 13.0)
    paint(layer, coverage(philtrum, 0.25) * 0.06, _rgb(av.skin_shade, 0.85))
    paint(
        layer,
        coverage(ellipse(x, y, CX, FACE_CY + av.face_half_height - 26, 30, 15), 0.2) * 0.12,
        _rgb(av.skin, 1.06, 6),
    )
    if av.wrinkles:
        for side in (-1.0, 1.0):
            xs0 = CX + side * 30
            d = _segment(x, y, xs0, 322.0, CX + side * (av.mouth_half_width + 12), 372.0) - 1.3
            paint(layer, coverage(d, s) * 0.35, _rgb(av.skin_shade, 0.8))
        for k in range(2):
            d = band(
                x,
                y,
                CX - 55,
                CX + 55,
                lambda t, k=k: 178.0 + 9 * k + 0.002 * (t - CX) ** 2,
                lambda t: 1.0 - 0.9 * ((t - CX) / 55.0) ** 2,
            )
            paint(layer, coverage(d, s) * 0.3, _rgb(av.skin_shade, 0.85))
    return layer


def _segment(x, y, x0, y0, x1, y1) -> torch.Tensor:
    px, py = x - x0, y - y0
    bx, by = x1 - x0, y1 - y0
    h = ((px * bx + py * by) / (bx * bx + by * by)).clamp(0.0, 1.0)
    return torch.sqrt((px - h * bx) ** 2 + (py - h * by) ** 2)


def _draw_features(
    cv: torch.Tensor, x: torch.Tensor, y: torch.Tensor, av: Avatar, s: float
) -> None:
    nose_shade = _rgb(av.skin_shade, 0.92)
    paint(
        cv,
        coverage(_segment(x, y, CX + 9, EYE_Y + 8, CX + 13, NOSE_Y - 14) - 2.0, s) * 0.16,
        nose_shade,
    )
    for side in (-1.0, 1.0):
        paint(
            cv, coverage(ellipse(x, y, CX + side * 14, NOSE_Y - 6, 9.0, 7.5), s) * 0.55, nose_shade
        )
        paint(
            cv,
            coverage(ellipse(x, y, CX + side * 8, NOSE_Y - 1, 5.0, 2.6, side * 0.35), s),
            _rgb(av.skin_shade, 0.55),
        )
    paint(cv, coverage(ellipse(x, y, CX, NOSE_Y - 12, 9.0, 7.0), s) * 0.35, _rgb(av.skin, 1.05, 8))
    for side in (-1.0, 1.0):
        ex = CX + side * EYE_DX
        bw = av.eye_half_width + 7

        def brow_c(t, ex=ex, side=side, bw=bw):
            v = (t - ex) / bw
            return EYE_Y - 25.0 - 7.0 * (1.0 - v * v) + 3.0 * side * v

        def brow_h(t, ex=ex, side=side, bw=bw):
            v = (t - ex) / bw
            return av.brow_thickness * (0.9 - 0.45 * (side * v).clamp(0.0, 1.0) ** 2)

        d = band(x, y, ex - bw, ex + bw, brow_c, brow_h)
        paint(cv, coverage(d, s), av.brows)
        _top, _, _q = eye_curves(x, ex, av)
        crease = band(
            x,
            y,
            ex - av.eye_half_width * 0.85,
            ex + av.eye_half_width * 0.85,
            lambda t, ex=ex: eye_curves(t, ex, av)[0] - 4.0,
            lambda t: 0.8 + 0 * t,
        )
        paint(cv, coverage(crease, s) * 0.45, _rgb(av.skin_shade, 0.8))


def _draw_eyes(cv: torch.Tensor, x: torch.Tensor, y: torch.Tensor, av: Avatar, s: float) -> None:
    for side in (-1.0, 1.0):
        ex = CX + side * EYE_DX
        top, bottom, _q = eye_curves(x, ex, av)
        d_eye = torch.maximum(
            torch.maximum(top - y, y - bottom), (x - ex).abs() - av.eye_half_width
        )
        a_eye = coverage(d_eye, s)
        paint(cv, a_eye, (240.0, 238.0, 234.0))
        ir = av.eye_half_height * 0.95
        paint(cv, coverage(ellipse(x, y, ex, EYE_Y + 0.5, ir, ir), s) * a_eye, av.iris)
        paint(
            cv,
            coverage(ellipse(x, y, ex, EYE_Y + 0.5, ir * 0.45, ir * 0.45), s) * a_eye,
            (18.0, 14.0, 14.0),
        )
        paint(
            cv,
            coverage(ellipse(x, y, ex + ir * 0.3, EYE_Y - ir * 0.3, ir * 0.2, ir * 0.2), s) * a_eye,
            (252.0, 252.0, 252.0),
        )
        lash = band(
            x,
            y,
            ex - av.eye_half_width,
            ex + av.eye_half_width,
            lambda t, ex=ex: eye_curves(t, ex, av)[0],
            lambda t, ex=ex, side=side: (
                1.0 + 0.9 * (side * (t - ex) / av.eye_half_width).clamp(0, 1)
            ),
        )
        paint(cv, coverage(lash, s), (34.0, 26.0, 24.0))
        lower = band(
            x,
            y,
            ex - av.eye_half_width * 0.9,
            ex + av.eye_half_width * 0.9,
            lambda t, ex=ex: eye_curves(t, ex, av)[1],
            lambda t: 0.6 + 0 * t,
        )
        paint(cv, coverage(lower, s) * 0.5, _rgb(av.skin_shade, 0.75))


def _hairline(t: torch.Tensor, av: Avatar) -> torch.Tensor:
    r = ((t - CX) / av.face_half_width).abs()
    if av.hair_style == "long":
        return (
            142.0
            + 14.0 * torch.exp(-(((t - CX - 22.0) / 26.0) ** 2))
            + 150.0 * smoothstep(0.62, 1.0, r)
        )
    if av.hair_style == "short":
        return (
            132.0 + 8.0 * torch.exp(-(((r - 0.45) / 0.15) ** 2)) + 120.0 * smoothstep(0.78, 1.02, r)
        )
    return 150.0 + 6.0 * torch.sin((t - CX) / 9.0) + 120.0 * smoothstep(0.6, 1.0, r)


def _draw_top(cv: torch.Tensor, x: torch.Tensor, y: torch.Tensor, av: Avatar, s: float) -> None:
    fw, fh = av.face_half_width, av.face_half_height
    if av.hair_style == "balding":
        for side in (-1.0, 1.0):
            d = torch.maximum(
                ellipse(x, y, CX + side * (fw - 4), 228.0, 20.0, 52.0),
                ellipse(x, y, CX, FACE_CY - 6, fw + 9, fh + 4),
            )
            paint(cv, coverage(d, s), av.hair)
        d = band(
            x, y, CX - 60, CX + 60, lambda t: 104.0 + 0.0025 * (t - CX) ** 2, lambda t: 2.5 + 0 * t
        )
        paint(cv, coverage(d, s) * 0.5, av.hair)
        return
    grow = {"long": 14.0, "short": 8.0, "bob": 22.0}[av.hair_style]
    d_outer = ellipse(x, y, CX, FACE_CY - 14, fw + grow, fh + grow - 6)
    if av.hair_style == "bob":
        ang = torch.atan2(y - FACE_CY, x - CX)
        d_outer = d_outer - 3.0 * torch.sin(ang * 14.0).abs()
    eps = 0.5
    slope = (_hairline(x + eps, av) - _hairline(x - eps, av)) / (2 * eps)
    d_line = (y - _hairline(x, av)) / torch.sqrt(1.0 + slope * slope)
    # Hair hugs the face: above the hairline, or anywhere beside the face.
    d = torch.maximum(d_outer, torch.minimum(d_line, 0.5 - face_distance(x, y, av)))
    if av.hair_style != "long":
        d = torch.maximum(d, y - (FACE_CY + (45.0 if av.hair_style == "bob" else 20.0)))
    a = coverage(d, s)
    hair = torch.tensor(av.hair, dtype=torch.float32, device=cv.device)
    light = torch.tensor(_rgb(av.hair, 1.25, 12), device=cv.device)
    strands = 0.5 + 0.5 * torch.sin((x - CX) * 0.55 + torch.sin(y * 0.05) * 3.0)
    colour = hair + (0.18 * strands * smoothstep(260.0, 90.0, y)).unsqueeze(-1) * (light - hair)
    cv.add_(a.unsqueeze(-1) * (colour - cv))


def _draw_glasses(cv: torch.Tensor, x: torch.Tensor, y: torch.Tensor, av: Avatar, s: float) -> None:
    if not av.glasses:
        return
    frame = (118.0, 62.0, 64.0)
    for side in (-1.0, 1.0):
        ex = CX + side * EYE_DX
        qx = (x - ex).abs() - 22.0
        qy = (y - (EYE_Y + 2.0)).abs() - 14.0
        r = 8.0
        qx, qy = qx + r, qy + r
        d = (
            torch.sqrt(qx.clamp_min(0) ** 2 + qy.clamp_min(0) ** 2)
            + torch.maximum(qx, qy).clamp_max(0)
            - r
        )
        paint(cv, coverage(d.abs() - 1.6, s), frame)
    bridge = band(
        x, y, CX - 16, CX + 16, lambda t: EYE_Y - 4.0 + 0.004 * (t - CX) ** 2, lambda t: 1.5 + 0 * t
    )
    paint(cv, coverage(bridge, s), frame)


def build_static(av: Avatar, view: View, device: torch.device) -> StaticHead:
    """Draw the still head once and crop the layers that the moving boxes need."""
    n = view.padded
    x, y = _grid(view, device)
    s = view.scale
    under = torch.empty((n, n, 3), dtype=torch.float32, device=device)
    _draw_under(under, x, y, av, s)
    skin = _skin_layer(x, y, av, s)
    cv = under + coverage(face_distance(x, y, av), s).unsqueeze(-1) * (skin - under)
    _draw_features(cv, x, y, av, s)
    no_eyes = cv.clone()
    _draw_eyes(cv, x, y, av, s)
    for layer in (cv, no_eyes):
        _draw_top(layer, x, y, av, s)
        _draw_glasses(layer, x, y, av, s)

    jb = view.region(*jaw_box(av))
    r0, r1, c0, c1 = jb
    jaw_ys, jaw_xs = view.coords(r0, r1, c0, c1, device)
    lb = view.region(
        CX + LIPS_BOX[0], MOUTH_Y + LIPS_BOX[1], CX + LIPS_BOX[2], MOUTH_Y + LIPS_BOX[3]
    )
    lips_slice = (
        slice(max(lb[0], r0) - r0, min(lb[1], r1) - r0),
        slice(max(lb[2], c0) - c0, min(lb[3], c1) - c0),
    )
    jaw_under = under[r0:r1, c0:c1].contiguous()
    jaw_skin = skin[r0:r1, c0:c1].contiguous()
    head = StaticHead(
        avatar=av,
        view=view,
        frame=cv,
        jaw_box=jb,
        lips_slice=lips_slice,
        jaw_under=jaw_under,
        jaw_skin=jaw_skin,
        jaw_ys=jaw_ys,
        jaw_xs=jaw_xs,
        eye_boxes=[],
        eyes_open=[],
        eyes_lidded=[],
        eye_coords=[],
    )
    if r1 > r0 and c1 > c0:
        rest = torch.tensor(REST_TARGET, dtype=torch.float32, device=device).view(1, -1)
        cv[r0:r1, c0:c1] = render_jaw(rest, jaw_ys, jaw_xs, jaw_under, jaw_skin, av, s, lips_slice)[
            0
        ]
    for side in (-1.0, 1.0):
        ex = CX + side * EYE_DX
        box = view.region(
            ex - av.eye_half_width - 4,
            EYE_Y - av.eye_half_height - 5,
            ex + av.eye_half_width + 4,
            EYE_Y + av.eye_half_height + 4,
        )
        if box[1] <= box[0] or box[3] <= box[2]:
            continue
        head.eye_boxes.append(box)
        head.eyes_open.append(cv[box[0] : box[1], box[2] : box[3]].clone())
        head.eyes_lidded.append(no_eyes[box[0] : box[1], box[2] : box[3]].clone())
        head.eye_coords.append(view.coords(*box, device))
    head.frame = cv.round().clamp(0, 255).to(torch.uint8)
    return head
