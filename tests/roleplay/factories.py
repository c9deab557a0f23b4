"""Roleplay factories, shared by every app's tests (keep the names and signatures stable).

`make_roleplay(owner=None, lines=6, rendered=False)` is the usual entry point: two
roles, alternating lines and, with rendered=True, small but real media files
(H.264 MP4, WebVTT, JPEG, timeline JSON) in default_storage.
"""

from __future__ import annotations

import functools
import io
import json

import factory
from django.core.files.base import ContentFile

from roleplay.models import Category, Line, Role, Roleplay
from tests.factories import UserFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"category-{n}")
    name_ko = factory.Sequence(lambda n: f"분류 {n}")
    name_en = factory.Sequence(lambda n: f"Category {n}")
    emoji = "☕"
    order = factory.Sequence(lambda n: n)


class RoleplayFactory(factory.django.DjangoModelFactory):
    """Personal by default (owned by a new user); `official=True` for a library one."""

    class Meta:
        model = Roleplay

    class Params:
        official = factory.Trait(
            kind=Roleplay.Kind.OFFICIAL,
            owner=None,
            key=factory.Sequence(lambda n: f"test-official-{n}"),
        )
        personal = factory.Trait(kind=Roleplay.Kind.PERSONAL)

    kind = Roleplay.Kind.PERSONAL
    owner = factory.SubFactory(UserFactory)
    language = "ko"
    title = factory.Sequence(lambda n: f"카페에서 주문하기 {n}")
    description = "손님이 카페에서 음료를 주문해요."
    emoji = "☕"
    category = factory.SubFactory(CategoryFactory)
    status = Roleplay.Status.DRAFT


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    roleplay = factory.SubFactory(RoleplayFactory)
    position = 0
    name = factory.LazyAttribute(lambda role: "손님" if role.position == 0 else "직원")
    description = ""
    voice = factory.LazyAttribute(lambda role: "woman" if role.position == 0 else "man")


class LineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Line

    roleplay = factory.SubFactory(RoleplayFactory)
    order = factory.Sequence(lambda n: n + 1)
    role = factory.LazyAttribute(
        lambda line: (
            line.roleplay.roles.order_by("position").first()
            or RoleFactory(roleplay=line.roleplay, position=0)
        )
    )
    text = factory.Sequence(lambda n: f"아메리카노 한 잔 주세요 {n}")


KO_TEXTS = [
    "안녕하세요. 주문하시겠어요?",
    "아메리카노 한 잔 주세요.",
    "따뜻한 걸로 드릴까요?",
    "네, 따뜻하게 주세요.",
    "사천오백 원입니다.",
    "카드로 계산할게요.",
    "진동벨이 울리면 오세요.",
    "감사합니다.",
    "맛있게 드세요.",
    "안녕히 계세요.",
]


@functools.lru_cache(maxsize=1)
def sample_mp4() -> bytes:
    """A 0.4-second 64x64 H.264 MP4 (10 frames) that browsers can actually play."""
    import av
    import numpy as np

    buffer = io.BytesIO()
    with av.open(buffer, "w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=25)
        stream.width = stream.height = 64
        stream.pix_fmt = "yuv420p"
        stream.options = {"preset": "ultrafast"}
        for index in range(10):
            pixels = np.full((64, 64, 3), 40 + index * 15, np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return buffer.getvalue()


@functools.lru_cache(maxsize=1)
def sample_jpeg() -> bytes:
    """A 64x64 grey baseline JPEG poster."""
    import av
    import numpy as np

    buffer = io.BytesIO()
    with av.open(buffer, "w", format="image2pipe") as container:
        stream = container.add_stream("mjpeg", rate=1)
        stream.width = stream.height = 64
        stream.pix_fmt = "yuvj420p"
        frame = av.VideoFrame.from_ndarray(np.full((64, 64, 3), 128, np.uint8), format="rgb24")
        for packet in stream.encode(frame.reformat(format="yuvj420p")):
            container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return buffer.getvalue()


def sample_vtt(text: str, duration: float = 0.4) -> bytes:
    return f"WEBVTT\n\n00:00:00.000 --> 00:00:{duration:06.3f}\n{text}\n".encode()


def sample_timeline(text: str, duration: float = 0.4) -> bytes:
    return json.dumps(
        {"duration": duration, "words": [{"text": text, "start": 0.0, "end": duration}]},
        ensure_ascii=False,
    ).encode()


def render_line(line: Line) -> Line:
    """Attach real media files to a line, as the video pipeline would."""
    stem = f"rp{line.roleplay_id}-line{line.pk}"
    line.video.save(f"{stem}.mp4", ContentFile(sample_mp4()), save=False)
    line.captions.save(f"{stem}.vtt", ContentFile(sample_vtt(line.text)), save=False)
    line.poster.save(f"{stem}.jpg", ContentFile(sample_jpeg()), save=False)
    line.timeline.save(f"{stem}.json", ContentFile(sample_timeline(line.text)), save=False)
    line.duration = 0.4
    line.status = Line.Status.READY
    line.rendered_text = line.text
    line.save()
    return line


def make_roleplay(owner=None, lines: int = 6, rendered: bool = False, **fields) -> Roleplay:
    """Two roles and `lines` alternating lines; official when owner is None.

    Extra keyword arguments go to RoleplayFactory (title, language, category, ...).
    With rendered=True every line gets media files and the roleplay is `ready`.
    """
    if owner is None:
        roleplay = RoleplayFactory(official=True, **fields)
    else:
        roleplay = RoleplayFactory(owner=owner, **fields)
    roles = [
        RoleFactory(roleplay=roleplay, position=0, name="손님", voice="woman"),
        RoleFactory(roleplay=roleplay, position=1, name="직원", voice="man"),
    ]
    for index in range(lines):
        line = Line.objects.create(
            roleplay=roleplay,
            order=index + 1,
            role=roles[index % 2],
            text=KO_TEXTS[index % len(KO_TEXTS)],
        )
        if rendered:
            render_line(line)
    if rendered and lines:
        roleplay.status = Roleplay.Status.READY
        roleplay.progress = 100
        roleplay.save(update_fields=["status", "progress"])
    return roleplay
