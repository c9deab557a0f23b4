"""MP4 (H.264 + AAC, faststart), WebVTT captions, poster JPEG and timeline JSON.

AAC encoders prepend 1024 priming samples. FFmpeg's native encoder marks its
first packet with pts = -1024 and the MP4 muxer turns that into an edit list, so
players drop the priming and the audio starts exactly at video t = 0. The encoder
below therefore feeds audio with pts starting at 0 and never rewrites packet
timestamps (doing so is what makes audio play ~46 ms late); tests decode the
file to prove it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from .types import FPS, EngineError, Word
from .visemes import VisemeSegment

AUDIO_FRAME = 1024


@dataclass(frozen=True)
class EncodedVideo:
    frames: int
    duration: float  # video duration (frames / fps)
    audio_duration: float


def _audio_frame(chunk: np.ndarray, sample_rate: int, pts: int) -> av.AudioFrame:
    frame = av.AudioFrame.from_ndarray(chunk[None, :], format="fltp", layout="mono")
    frame.sample_rate = sample_rate
    frame.pts = pts
    return frame


def encode_mp4(
    frames: Iterable[np.ndarray],
    samples: np.ndarray,
    sample_rate: int,
    path: Path | str,
    *,
    fps: int = FPS,
    crf: int = 23,
    preset: str = "veryfast",
) -> EncodedVideo:
    """Encode batches of uint8 RGB frames (B×H×W×3) and mono float audio into ``path``.

    Audio is encoded alongside the video it belongs to, so the file is interleaved
    and plays progressively from the start; ``movflags=faststart`` puts the index first.
    """
    audio = np.clip(np.asarray(samples, dtype=np.float32).reshape(-1), -1.0, 1.0)
    container = av.open(str(path), mode="w", format="mp4", options={"movflags": "+faststart"})
    try:
        vstream = None
        astream = container.add_stream("aac", rate=sample_rate)
        astream.layout = "mono"
        astream.bit_rate = 96_000
        n = 0
        sent = 0

        def feed_audio(upto: int) -> int:
            pos = sent
            while pos < upto:
                chunk = audio[pos : min(pos + AUDIO_FRAME, upto)]
                for packet in astream.encode(
                    _audio_frame(np.ascontiguousarray(chunk), sample_rate, pos)
                ):
                    container.mux(packet)
                pos += chunk.size
            return pos

        for batch in frames:
            batch = np.asarray(batch)
            if batch.ndim == 3:
                batch = batch[None]
            if batch.dtype != np.uint8 or batch.ndim != 4 or batch.shape[-1] != 3:
                raise EngineError("frames must be uint8 RGB arrays of shape (B, H, W, 3)")
            if vstream is None:
                vstream = container.add_stream("libx264", rate=fps)
                vstream.height, vstream.width = batch.shape[1:3]
                vstream.pix_fmt = "yuv420p"
                vstream.options = {"crf": str(crf), "preset": preset}
                vstream.time_base = Fraction(1, fps)
            for image in batch:
                frame = av.VideoFrame.from_ndarray(image, format="rgb24")
                frame.pts = n
                n += 1
                for packet in vstream.encode(frame):
                    container.mux(packet)
            sent = feed_audio(min(audio.size, math.floor(n / fps * sample_rate)))
        if vstream is None:
            raise EngineError("no video frames to encode")
        for packet in vstream.encode():
            container.mux(packet)
        sent = feed_audio(audio.size)
        for packet in astream.encode():
            container.mux(packet)
    finally:
        container.close()
    return EncodedVideo(frames=n, duration=n / fps, audio_duration=audio.size / sample_rate)


def _vtt_time(t: float) -> str:
    ms = max(0, round(t * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def vtt_text(text: str, words: Sequence[Word], duration: float) -> str:
    """One cue with the sentence; karaoke timestamps before each word when they line up.

    The written sentence may differ from what the voice said (numbers read out);
    timestamps go on the written tokens only when the counts match, otherwise the
    cue carries the plain sentence.
    """
    tokens = text.split()
    body = _escape(" ".join(tokens))
    if words and len(words) == len(tokens):
        parts = []
        for token, word in zip(tokens, words, strict=False):
            if 0.0 < word.start < duration:
                parts.append(f"<{_vtt_time(word.start)}>{_escape(token)}")
            else:
                parts.append(_escape(token))
        body = " ".join(parts)
    return f"WEBVTT\n\n1\n{_vtt_time(0.0)} --> {_vtt_time(duration)}\n{body}\n"


def timeline_dict(
    *,
    duration: float,
    fps: int,
    words: Sequence[Word],
    segments: Sequence[VisemeSegment],
    text: str = "",
    lang: str = "",
    voice: str = "",
) -> dict:
    """The timeline JSON: times in seconds (ms precision), sorted and non-overlapping."""

    def clamp(t: float) -> float:
        return round(min(max(t, 0.0), duration), 3)

    word_list, last = [], 0.0
    for w in sorted(words, key=lambda w: w.start):
        start = max(clamp(w.start), last)
        end = max(clamp(w.end), start)
        word_list.append({"text": w.text, "start": start, "end": end})
        last = start
    phon_list, last = [], 0.0
    for s in sorted(segments, key=lambda s: s.start):
        start = max(clamp(s.start), last)
        end = max(clamp(s.end), start)
        phon_list.append({"ipa": s.ipa, "start": start, "end": end, "viseme": s.viseme})
        last = end
    return {
        "text": text,
        "lang": lang,
        "voice": voice,
        "duration": round(duration, 6),
        "fps": fps,
        "words": word_list,
        "phonemes": phon_list,
    }


def write_text(path: Path | str, text: str) -> None:
    Path(path).write_text(text, encoding="utf-8")


def write_json(path: Path | str, data: dict) -> None:
    Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def jpeg_bytes(image: np.ndarray, quality: int = 3) -> bytes:
    """One RGB frame as JPEG through FFmpeg's mjpeg encoder (no imaging library needed)."""
    h, w = image.shape[:2]
    ctx = av.CodecContext.create("mjpeg", "w")
    ctx.width, ctx.height = w, h
    ctx.pix_fmt = "yuvj420p"
    ctx.time_base = Fraction(1, FPS)
    ctx.options = {"qmin": str(quality), "qmax": str(quality)}
    frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(image), format="rgb24")
    frame = frame.reformat(format="yuvj420p")
    frame.pts = 0
    packets = list(ctx.encode(frame)) + list(ctx.encode(None))
    if not packets:
        raise EngineError("JPEG encoder produced no data")
    return b"".join(bytes(p) for p in packets)
