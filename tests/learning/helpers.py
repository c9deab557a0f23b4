"""Roleplays, rendered media and encoded recordings for the learning tests."""

from __future__ import annotations

import io
import json
from typing import Any

import av
import numpy as np
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from roleplay.models import Line, Role, Roleplay

KO_LINES = ["안녕하세요 어서 오세요", "커피 한 잔 주세요", "여기서 드시고 가세요", "네 감사합니다"]
EN_LINES = ["good morning how are you", "a cup of coffee please", "for here or to go", "thank you"]


def make_roleplay(
    *,
    owner: Any = None,
    language: str = "ko",
    lines: int = 4,
    title: str = "카페에서",
    rendered: bool = False,
) -> Roleplay:
    """A ready roleplay: official without owner, personal with one."""
    roleplay = Roleplay.objects.create(
        kind=Roleplay.Kind.PERSONAL if owner else Roleplay.Kind.OFFICIAL,
        owner=owner,
        language=language,
        title=title,
        emoji="☕",
        status=Roleplay.Status.READY,
        progress=100,
    )
    roles = [
        Role.objects.create(
            roleplay=roleplay,
            position=0,
            name="손님" if language == "ko" else "Guest",
            voice="woman",
        ),
        Role.objects.create(
            roleplay=roleplay, position=1, name="직원" if language == "ko" else "Clerk", voice="man"
        ),
    ]
    texts = KO_LINES if language == "ko" else EN_LINES
    for index in range(lines):
        line = Line.objects.create(
            roleplay=roleplay,
            order=index,
            role=roles[index % 2],
            text=texts[index % len(texts)],
            status=Line.Status.READY if rendered else Line.Status.PENDING,
        )
        if rendered:
            render_line_assets(line)
    return roleplay


def mp4_bytes(
    *, seconds: float = 1.0, size: int = 64, color: tuple[int, int, int] = (200, 120, 90)
) -> bytes:
    """A small real MP4: solid-colour H.264 frames and a silent AAC track."""
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="mp4") as container:
        video = container.add_stream("libx264", rate=25)
        video.width = video.height = size
        video.pix_fmt = "yuv420p"
        audio = container.add_stream("aac", rate=48000)
        audio.layout = "mono"
        picture = np.zeros((size, size, 3), dtype=np.uint8)
        picture[:] = color
        for index in range(int(seconds * 25)):
            frame = av.VideoFrame.from_ndarray(picture, format="rgb24")
            frame.pts = index
            for packet in video.encode(frame):
                container.mux(packet)
        for packet in video.encode(None):
            container.mux(packet)
        samples = np.zeros((1, 1024), dtype=np.float32)
        for index in range(int(seconds * 48000 / 1024)):
            frame = av.AudioFrame.from_ndarray(samples, format="fltp", layout="mono")
            frame.sample_rate = 48000
            frame.pts = index * 1024
            for packet in audio.encode(frame):
                container.mux(packet)
        for packet in audio.encode(None):
            container.mux(packet)
    return buffer.getvalue()


def jpeg_bytes(size: int = 64) -> bytes:
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="mjpeg") as container:
        stream = container.add_stream("mjpeg", rate=1)
        stream.width = stream.height = size
        stream.pix_fmt = "yuvj420p"
        picture = np.full((size, size, 3), 160, dtype=np.uint8)
        frame = av.VideoFrame.from_ndarray(picture, format="rgb24").reformat(format="yuvj420p")
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            container.mux(packet)
    return buffer.getvalue()


def render_line_assets(line: Line) -> None:
    """Store a real MP4, WebVTT captions, a poster and a timeline for a line."""
    stem = f"lines/test-{line.roleplay_id}-{line.order}"
    line.video.name = default_storage.save(f"{stem}.mp4", ContentFile(mp4_bytes()))
    vtt = f"WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n{line.text}\n"
    line.captions.name = default_storage.save(f"{stem}.vtt", ContentFile(vtt.encode()))
    line.poster.name = default_storage.save(f"{stem}.jpg", ContentFile(jpeg_bytes()))
    timeline = json.dumps({"words": [], "phonemes": [], "duration": 1.0}).encode()
    line.timeline.name = default_storage.save(f"{stem}.json", ContentFile(timeline))
    line.duration = 1.0
    line.rendered_text = line.text
    line.status = Line.Status.READY
    line.save()


def opus_webm(samples: np.ndarray, sample_rate: int) -> bytes:
    """Encode float mono samples as WebM/Opus at 48 kHz, as a browser's MediaRecorder does."""
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="webm") as container:
        stream = container.add_stream("libopus", rate=48000)
        stream.layout = "mono"
        resampler = av.AudioResampler(format="s16", layout="mono", rate=48000)
        pcm = (np.clip(samples, -1, 1) * 32767).astype(np.int16)[None, :]
        frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
        frame.sample_rate = sample_rate
        for chunk in [*resampler.resample(frame), *resampler.resample(None)]:
            for packet in stream.encode(chunk):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return buffer.getvalue()


def wav_bytes(samples: np.ndarray, sample_rate: int) -> bytes:
    import wave

    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(sample_rate)
        out.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return buffer.getvalue()
