"""One line of dialogue → MP4 + captions + poster + timeline: ``synthesize_line``.

Steps: validate everything first (no work, no files on bad input); speech;
viseme tracks; render and encode streamed together in batches (render time is
the time spent producing frames, encode the rest); captions, poster and timeline
next to the MP4. All four files are written under temporary names and renamed
only when every one of them is complete, so a failure leaves nothing behind.
"""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import encode as enc
from .external import read_frames, run_external, write_wav
from .render import Renderer, check_size, default_seed, get_avatar, resolve_device
from .speech import speak
from .speech import validate as validate_speech
from .types import FPS, EngineError, Speech
from .visemes import VisemeTracks, compute_tracks

RENDERERS = ("builtin", "external")
STAGES = ("speech", "visemes", "render", "encode")


@dataclass(frozen=True)
class SynthesisResult:
    mp4: Path
    vtt: Path
    json: Path
    jpg: Path
    duration: float  # audio duration in seconds
    frames: int
    size: int
    timings: dict[str, float] = field(default_factory=dict)  # wall seconds per stage + total


def asset_paths(out_path: Path | str) -> dict[str, Path]:
    """The four files of a line: line.mp4 → line.vtt, line.json, line.jpg beside it."""
    mp4 = Path(out_path)
    return {
        "mp4": mp4,
        "vtt": mp4.with_suffix(".vtt"),
        "json": mp4.with_suffix(".json"),
        "jpg": mp4.with_suffix(".jpg"),
    }


def validate_request(
    text: str,
    *,
    lang: str,
    voice: str,
    out_path: Path | str,
    size: int,
    rate: float,
    device: str,
    renderer: str,
    external_command: str | None,
    reference_video: Path | str | None,
) -> None:
    """Every check that needs no work, each with its own message."""
    validate_speech(text, lang=lang, voice=voice, rate=rate, backend="espeak")
    get_avatar(voice)
    check_size(size)
    resolve_device(device)
    if Path(out_path).suffix.lower() != ".mp4":
        raise EngineError(f"the output path must end in .mp4, got {str(out_path)!r}")
    if renderer not in RENDERERS:
        raise EngineError(f"unknown renderer {renderer!r}: expected one of {', '.join(RENDERERS)}")
    if renderer == "external":
        if not external_command:
            raise EngineError("the external renderer needs a command template")
        if reference_video is None or not Path(reference_video).is_file():
            raise EngineError(f"reference video not found: {reference_video}")


class _Timed:
    """Wraps a frame iterator: counts the time spent producing frames, keeps the poster."""

    def __init__(self, frames: Iterator[np.ndarray], poster_index: int):
        self.frames = frames
        self.seconds = 0.0
        self.poster_index = poster_index
        self.poster: np.ndarray | None = None
        self.count = 0

    def __iter__(self) -> Iterator[np.ndarray]:
        while True:
            t0 = time.perf_counter()
            try:
                batch = next(self.frames)
            except StopIteration:
                self.seconds += time.perf_counter() - t0
                return
            self.seconds += time.perf_counter() - t0
            if self.count <= self.poster_index < self.count + len(batch):
                self.poster = batch[self.poster_index - self.count].copy()
            self.count += len(batch)
            yield batch


def poster_frame(tracks: VisemeTracks) -> int:
    """A mid-speech frame: mouth half open (reads as 'speaking', not gaping)."""
    opening = tracks["open"]
    if float(opening.max()) <= 0.05:
        return tracks.n_frames // 2
    return int(np.argmin(np.abs(opening - 0.5 * float(opening.max()))))


def synthesize_line(
    text: str,
    *,
    lang: str,
    voice: str,
    out_path: Path | str,
    size: int = 512,
    rate: float = 1.0,
    closeup: bool = False,
    device: str = "auto",
    renderer: str = "builtin",
    external_command: str | None = None,
    reference_video: Path | str | None = None,
    external_timeout: float = 600.0,
    seed: int | None = None,
    speech_backend: str = "espeak",
    speech_options: dict | None = None,
) -> SynthesisResult:
    """Synthesise one line; see the module docstring for the steps."""
    validate_request(
        text,
        lang=lang,
        voice=voice,
        out_path=out_path,
        size=size,
        rate=rate,
        device=device,
        renderer=renderer,
        external_command=external_command,
        reference_video=reference_video,
    )
    paths = asset_paths(out_path)
    timings: dict[str, float] = {}
    start = time.perf_counter()

    t0 = time.perf_counter()
    speech = speak(
        text, lang=lang, voice=voice, rate=rate, backend=speech_backend, **(speech_options or {})
    )
    timings["speech"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    tracks = compute_tracks(speech.phonemes, speech.duration, lang, FPS)
    timings["visemes"] = time.perf_counter() - t0

    paths["mp4"].parent.mkdir(parents=True, exist_ok=True)
    tag = uuid.uuid4().hex[:8]
    temps = {k: p.with_name(f".{p.name}.{tag}.part") for k, p in paths.items()}
    try:
        with tempfile.TemporaryDirectory(prefix="lipread-") as scratch:
            t0 = time.perf_counter()
            frames = _frames(
                speech,
                tracks,
                voice=voice,
                size=size,
                closeup=closeup,
                device=device,
                renderer=renderer,
                external_command=external_command,
                reference_video=reference_video,
                timeout=external_timeout,
                seed=seed if seed is not None else default_seed(text, lang, voice),
                scratch=Path(scratch),
            )
            setup = time.perf_counter() - t0
            timed = _Timed(iter(frames), poster_frame(tracks))
            t0 = time.perf_counter()
            video = enc.encode_mp4(timed, speech.samples, speech.sample_rate, temps["mp4"])
            encode_total = time.perf_counter() - t0
        timings["render"] = setup + timed.seconds
        t0 = time.perf_counter()
        if video.frames != tracks.n_frames:
            raise EngineError(
                f"rendered {video.frames} frames but the audio needs {tracks.n_frames}"
            )
        enc.write_text(temps["vtt"], enc.vtt_text(speech.text, speech.words, speech.duration))
        enc.write_json(
            temps["json"],
            enc.timeline_dict(
                duration=speech.duration,
                fps=FPS,
                words=speech.words,
                segments=tracks.segments,
                text=speech.text,
                lang=lang,
                voice=voice,
            ),
        )
        poster = timed.poster if timed.poster is not None else np.zeros((size, size, 3), np.uint8)
        temps["jpg"].write_bytes(enc.jpeg_bytes(poster))
        for key in ("vtt", "json", "jpg", "mp4"):
            os.replace(temps[key], paths[key])
        timings["encode"] = encode_total - timed.seconds + (time.perf_counter() - t0)
    except BaseException:
        for p in temps.values():
            p.unlink(missing_ok=True)
        raise
    timings["total"] = time.perf_counter() - start
    return SynthesisResult(
        mp4=paths["mp4"],
        vtt=paths["vtt"],
        json=paths["json"],
        jpg=paths["jpg"],
        duration=speech.duration,
        frames=video.frames,
        size=size,
        timings=timings,
    )


def _frames(
    speech: Speech,
    tracks: VisemeTracks,
    *,
    voice: str,
    size: int,
    closeup: bool,
    device: str,
    renderer: str,
    external_command: str | None,
    reference_video: Path | str | None,
    timeout: float,
    seed: int,
    scratch: Path,
) -> Iterator[np.ndarray]:
    if renderer == "builtin":
        return Renderer(voice, size, closeup=closeup, device=device).frames(tracks, seed=seed)
    wav = scratch / "audio.wav"
    out = scratch / "external.mp4"
    write_wav(wav, speech.samples, speech.sample_rate)
    run_external(
        external_command or "",
        audio_wav=wav,
        reference_video=reference_video or "",
        output_mp4=out,
        expected_duration=speech.duration,
        timeout=timeout,
    )
    return _exact_length(read_frames(out, size), tracks.n_frames)


def _exact_length(frames: Iterator[np.ndarray], n: int) -> Iterator[np.ndarray]:
    """Trim or repeat the last frame so the video has exactly ceil(duration × fps) frames."""
    count, last = 0, None
    for batch in frames:
        batch = batch[: max(0, n - count)]
        if len(batch):
            last = batch[-1]
            count += len(batch)
            yield batch
    if last is not None and count < n:
        yield np.repeat(last[None], n - count, axis=0)
