"""The four role avatars: clearly different people for the four voice types.

Geometry is in design units on a 512×512 canvas (the renderer scales it); colours
are sRGB 0–255. Lip, cavity and teeth colours are kept well apart in brightness so
the mouth stays readable after H.264 compression.
"""

from __future__ import annotations

from dataclasses import dataclass

from video_pipeline.engine.types import VOICES, EngineError

Color = tuple[int, int, int]


@dataclass(frozen=True)
class Avatar:
    name: str
    skin: Color
    skin_shade: Color
    lips: Color
    hair: Color
    hair_style: str  # long | short | bob | balding
    brows: Color
    brow_thickness: float
    iris: Color
    background: Color
    clothes: Color
    face_half_width: float
    face_half_height: float
    jaw_taper: float  # how much narrower the chin is than the cheeks
    eye_half_width: float
    eye_half_height: float
    lip_thickness: float  # scales both lips
    mouth_half_width: float
    wrinkles: bool = False
    glasses: bool = False
    blush: float = 0.0


AVATARS: dict[str, Avatar] = {
    "woman": Avatar(
        name="woman",
        skin=(241, 204, 182),
        skin_shade=(222, 178, 156),
        lips=(196, 84, 98),
        hair=(58, 38, 30),
        hair_style="long",
        brows=(70, 48, 38),
        brow_thickness=3.6,
        iris=(86, 56, 38),
        background=(206, 222, 236),
        clothes=(92, 132, 186),
        face_half_width=112,
        face_half_height=160,
        jaw_taper=0.42,
        eye_half_width=21,
        eye_half_height=10.5,
        lip_thickness=1.08,
        mouth_half_width=33,
        blush=0.35,
    ),
    "man": Avatar(
        name="man",
        skin=(214, 166, 132),
        skin_shade=(190, 140, 108),
        lips=(170, 96, 88),
        hair=(28, 24, 22),
        hair_style="short",
        brows=(34, 28, 24),
        brow_thickness=5.6,
        iris=(52, 36, 28),
        background=(220, 214, 198),
        clothes=(60, 76, 96),
        face_half_width=122,
        face_half_height=166,
        jaw_taper=0.22,
        eye_half_width=19,
        eye_half_height=8.5,
        lip_thickness=0.92,
        mouth_half_width=36,
    ),
    "older_woman": Avatar(
        name="older_woman",
        skin=(236, 200, 180),
        skin_shade=(214, 174, 154),
        lips=(176, 92, 106),
        hair=(196, 194, 200),
        hair_style="bob",
        brows=(130, 116, 110),
        brow_thickness=3.0,
        iris=(74, 60, 48),
        background=(226, 212, 226),
        clothes=(150, 70, 90),
        face_half_width=114,
        face_half_height=158,
        jaw_taper=0.34,
        eye_half_width=18,
        eye_half_height=7.5,
        lip_thickness=0.86,
        mouth_half_width=32,
        wrinkles=True,
        glasses=True,
        blush=0.2,
    ),
    "older_man": Avatar(
        name="older_man",
        skin=(200, 150, 118),
        skin_shade=(176, 126, 98),
        lips=(160, 92, 86),
        hair=(168, 166, 164),
        hair_style="balding",
        brows=(150, 146, 140),
        brow_thickness=6.0,
        iris=(60, 44, 34),
        background=(200, 218, 206),
        clothes=(110, 96, 80),
        face_half_width=124,
        face_half_height=164,
        jaw_taper=0.18,
        eye_half_width=17,
        eye_half_height=7.0,
        lip_thickness=0.8,
        mouth_half_width=35,
        wrinkles=True,
    ),
}

# Fixed anatomy shared by all avatars (design units).
CX = 256.0
FACE_CY = 252.0
EYE_Y = 246.0
EYE_DX = 46.0
NOSE_Y = 318.0
MOUTH_Y = 356.0


def get_avatar(voice: str) -> Avatar:
    """The avatar for a voice/role type; a clear error for anything else."""
    try:
        return AVATARS[voice]
    except KeyError:
        raise EngineError(f"unknown voice {voice!r}: expected one of {', '.join(VOICES)}") from None
