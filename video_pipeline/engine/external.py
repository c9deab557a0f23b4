"""External renderer backend: a DINet/MuseTalk-style inference script as a command.

The command is a template such as
``python infer.py --audio {audio_wav} --video {reference_video} --out {output_mp4}``.
It is split with shlex *before* the placeholders are filled in, and run without a
shell, so paths with spaces or quotes cannot change the command. Whatever the
script writes is checked (a decodable video, as long as the audio to within one
frame) before anything downstream trusts it.
"""

from __future__ import annotations

import shlex
import subprocess
import wave
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from .types import FPS, EngineError

PLACEHOLDERS = ("{audio_wav}", "{reference_video}", "{output_mp4}")
STDERR_TAIL = 2000


@dataclass(frozen=True)
class VideoProbe:
    frames: int
    fps: float
    duration: float
    width: int
    height: int


def write_wav(path: Path | str, samples: np.ndarray, sample_rate: int) -> None:
    """16-bit mono PCM WAV, the format every inference script reads."""
    pcm = (np.clip(np.asarray(samples, dtype=np.float32), -1.0, 1.0) * 32767.0).astype("<i2")
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(sample_rate)
        wav.writeframes(pcm.tobytes())


def build_command(
    template: str, *, audio_wav: Path | str, reference_video: Path | str, output_mp4: Path | str
) -> list[str]:
    """Argument list for the template; raises EngineError if it cannot work."""
    if not template or not template.strip():
        raise EngineError("the external renderer command is empty")
    if "{output_mp4}" not in template:
        raise EngineError("the external renderer command must contain {output_mp4}")
    try:
        tokens = shlex.split(template)
    except ValueError as exc:
        raise EngineError(f"cannot parse the external renderer command: {exc}") from None
    values = {
        "{audio_wav}": str(audio_wav),
        "{reference_video}": str(reference_video),
        "{output_mp4}": str(output_mp4),
    }
    out = []
    for token in tokens:
        for key, value in values.items():
            token = token.replace(key, value)
        out.append(token)
    return out


def probe_video(path: Path | str) -> VideoProbe:
    """Decode a video fully and report what is really in it (frame count, rate, size)."""
    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise EngineError(f"{path} has no video stream")
            stream = container.streams.video[0]
            rate = float(stream.average_rate or stream.guessed_rate or FPS)
            frames = sum(1 for _ in container.decode(stream))
            width, height = stream.codec_context.width, stream.codec_context.height
    except (av.error.FFmpegError, OSError) as exc:
        raise EngineError(f"{path} is not a readable video: {exc}") from None
    if frames == 0:
        raise EngineError(f"{path} contains no video frames")
    return VideoProbe(frames=frames, fps=rate, duration=frames / rate, width=width, height=height)


def run_external(
    template: str,
    *,
    audio_wav: Path | str,
    reference_video: Path | str,
    output_mp4: Path | str,
    expected_duration: float,
    timeout: float = 600.0,
) -> VideoProbe:
    """Run the configured renderer and verify its output.

    Raises EngineError on a missing program, a non-zero exit (with the end of its
    stderr), a timeout, a missing or unreadable output, or a length that differs
    from the audio by more than one frame.
    """
    args = build_command(
        template, audio_wav=audio_wav, reference_video=reference_video, output_mp4=output_mp4
    )
    try:
        proc = subprocess.run(args, capture_output=True, timeout=timeout, check=False)
    except FileNotFoundError:
        raise EngineError(f"external renderer program not found: {args[0]}") from None
    except subprocess.TimeoutExpired:
        raise EngineError(f"external renderer timed out after {timeout:g} s") from None
    if proc.returncode != 0:
        tail = proc.stderr.decode("utf-8", "replace")[-STDERR_TAIL:].strip()
        raise EngineError(f"external renderer failed with exit code {proc.returncode}: {tail}")
    if not Path(output_mp4).is_file():
        raise EngineError(f"external renderer exited but wrote no file at {output_mp4}")
    probe = probe_video(output_mp4)
    if abs(probe.duration - expected_duration) > 1.0 / probe.fps + 1e-6:
        raise EngineError(
            f"external renderer output lasts {probe.duration:.3f} s but the audio lasts "
            f"{expected_duration:.3f} s (more than one frame apart)"
        )
    return probe


def read_frames(path: Path | str, size: int, batch: int = 32) -> Iterator[np.ndarray]:
    """Decoded frames, centre-cropped to a square and scaled to size×size, in batches."""
    with av.open(str(path)) as container:
        buf: list[np.ndarray] = []
        for frame in container.decode(video=0):
            w, h = frame.width, frame.height
            side = min(w, h)
            image = frame.to_ndarray(format="rgb24")
            y0, x0 = (h - side) // 2, (w - side) // 2
            image = np.ascontiguousarray(image[y0 : y0 + side, x0 : x0 + side])
            if side != size:
                vf = av.VideoFrame.from_ndarray(image, format="rgb24")
                image = vf.reformat(width=size, height=size).to_ndarray(format="rgb24")
            buf.append(image)
            if len(buf) == batch:
                yield np.stack(buf)
                buf = []
        if buf:
            yield np.stack(buf)
