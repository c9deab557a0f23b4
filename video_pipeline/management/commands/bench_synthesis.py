"""``manage.py bench_synthesis``: real-time factor per stage and end to end.

Figures are wall seconds, frames per second and real-time factor (seconds of
video per wall second) for speech, visemes, render, encode and the whole line,
plus peak memory (process max RSS). tracemalloc is deliberately not used: tracing
every allocation slowed the measured pipeline by a third. One warm-up
line is synthesised first and not counted: it pays for drawing the cached head.
"""

from __future__ import annotations

import resource
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from video_pipeline.engine.pipeline import STAGES, synthesize_line
from video_pipeline.engine.types import EngineError

SENTENCES: tuple[tuple[str, str, str], ...] = (
    ("ko", "woman", "밥 먹었어요? 아니요, 아직이요."),
    ("en", "man", "Bob made a map. I see you too."),
    ("ko", "man", "아메리카노 한 잔 주세요."),
    ("en", "older_woman", "Could I have a glass of water, please?"),
    ("ko", "older_woman", "병원은 몇 시에 문을 열어요?"),
    ("en", "older_man", "The bus to the station leaves at nine."),
    ("ko", "older_man", "이 버스 시청까지 가나요?"),
    ("en", "woman", "I would like to open a bank account."),
    ("ko", "woman", "머리를 조금만 짧게 잘라 주세요."),
    ("en", "man", "My appointment is on Monday morning."),
    ("ko", "man", "영화표 두 장 예매하고 싶어요."),
    ("en", "older_woman", "Thank you very much for your help."),
)


def run_bench(*, lines: int, size: int, device: str, warmup: bool = True) -> dict:
    """Synthesise ``lines`` sentences (cycling the fixed set) and sum the stage timings."""
    totals = dict.fromkeys((*STAGES, "total"), 0.0)
    video_seconds, frames = 0.0, 0
    with tempfile.TemporaryDirectory(prefix="lipread-bench-") as tmp:
        if warmup:
            for voice in sorted({v for _, v, _ in SENTENCES[: max(lines, 1)]}):
                synthesize_line(
                    "아",
                    lang="ko",
                    voice=voice,
                    out_path=Path(tmp, "w.mp4"),
                    size=size,
                    device=device,
                )
        for i in range(lines):
            lang, voice, text = SENTENCES[i % len(SENTENCES)]
            result = synthesize_line(
                text,
                lang=lang,
                voice=voice,
                size=size,
                device=device,
                out_path=Path(tmp, f"line{i}.mp4"),
            )
            for key in totals:
                totals[key] += result.timings.get(key, 0.0)
            video_seconds += result.duration
            frames += result.frames
    return {
        "lines": lines,
        "size": size,
        "device": device,
        "video_seconds": video_seconds,
        "frames": frames,
        "timings": totals,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


class Command(BaseCommand):
    help = "Benchmark line synthesis: wall time, fps and real-time factor per stage."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--lines", type=int, default=12, help="how many lines (cycled)")
        parser.add_argument("--size", type=int, default=512, help="frame size in pixels")
        parser.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))

    def handle(self, *args, **opts) -> None:
        if opts["lines"] < 1:
            raise CommandError("--lines must be at least 1")
        start = time.perf_counter()
        try:
            report = run_bench(lines=opts["lines"], size=opts["size"], device=opts["device"])
        except EngineError as exc:
            raise CommandError(str(exc)) from None
        video, frames = report["video_seconds"], report["frames"]
        self.stdout.write(
            f"{report['lines']} lines, {video:.2f} s of video, {frames} frames, "
            f"{report['size']}x{report['size']}, device {report['device']}"
        )
        self.stdout.write(f"{'stage':>8} {'wall s':>8} {'fps':>9} {'x real time':>12}")
        for stage, seconds in report["timings"].items():
            fps = frames / seconds if seconds > 0 else float("inf")
            rtf = video / seconds if seconds > 0 else float("inf")
            self.stdout.write(f"{stage:>8} {seconds:8.3f} {fps:9.1f} {rtf:12.1f}")
        self.stdout.write(f"peak memory: max RSS {report['max_rss_mb']:.0f} MB")
        self.stdout.write(f"bench wall time (with warm-up): {time.perf_counter() - start:.1f} s")
