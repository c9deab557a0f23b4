"""``manage.py synthesize``: one line → line.mp4, line.vtt, line.json, line.jpg."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from video_pipeline.engine.pipeline import STAGES, synthesize_line
from video_pipeline.engine.types import EngineError


class Command(BaseCommand):
    help = "Synthesise one line of dialogue as a lip-synced talking-face video."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--lang", required=True, help="ko or en")
        parser.add_argument("--voice", default="woman", help="woman, man, older_woman or older_man")
        parser.add_argument("--text", required=True, help="the sentence to say")
        parser.add_argument("--out", required=True, help="output path ending in .mp4")
        parser.add_argument("--size", type=int, default=512, help="frame size in pixels (256-1024)")
        parser.add_argument("--rate", type=float, default=1.0, help="speaking rate (0.5-1.5)")
        parser.add_argument("--closeup", action="store_true", help="mouth close-up for practice")
        parser.add_argument("--device", default="auto", help="auto, cpu or cuda")
        parser.add_argument("--renderer", default="builtin", help="builtin or external")
        parser.add_argument(
            "--external-command",
            default=None,
            help="command template with {audio_wav} {reference_video} {output_mp4}",
        )
        parser.add_argument(
            "--reference-video", default=None, help="reference video for the external renderer"
        )

    def handle(self, *args, **opts) -> None:
        try:
            result = synthesize_line(
                opts["text"],
                lang=opts["lang"],
                voice=opts["voice"],
                out_path=opts["out"],
                size=opts["size"],
                rate=opts["rate"],
                closeup=opts["closeup"],
                device=opts["device"],
                renderer=opts["renderer"],
                external_command=opts["external_command"],
                reference_video=opts["reference_video"],
            )
        except EngineError as exc:
            raise CommandError(str(exc)) from None
        for path in (result.mp4, result.vtt, result.json, result.jpg):
            self.stdout.write(f"wrote {path}")
        self.stdout.write(
            f"{result.duration:.2f} s of video, {result.frames} frames "
            f"at {result.size}x{result.size}"
        )
        for stage in (*STAGES, "total"):
            seconds = result.timings.get(stage, 0.0)
            speed = result.duration / seconds if seconds > 0 else float("inf")
            self.stdout.write(f"{stage:>8}: {seconds:7.3f} s  ({speed:6.1f}x real time)")
