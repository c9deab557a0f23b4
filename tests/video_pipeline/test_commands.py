from __future__ import annotations

import math
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from . import video_measure as vm

ROOT = Path(__file__).resolve().parents[2]


def test_synthesize_writes_the_four_files_and_prints_timings(tmp_path) -> None:
    out = tmp_path / "out" / "line.mp4"
    stdout = StringIO()
    call_command(
        "synthesize",
        "--lang",
        "ko",
        "--voice",
        "woman",
        "--text",
        "밥 먹었어요?",
        "--out",
        str(out),
        "--size",
        "256",
        "--rate",
        "0.8",
        "--closeup",
        stdout=stdout,
    )
    text = stdout.getvalue()
    assert sorted(p.name for p in out.parent.iterdir()) == [
        "line.jpg",
        "line.json",
        "line.mp4",
        "line.vtt",
    ]
    for stage in ("speech", "visemes", "render", "encode", "total"):
        assert f"{stage}:" in text
    tl = vm.timeline(out)
    assert len(vm.decode(out).frames) == math.ceil(tl["duration"] * 25)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lang", "fr", "--text", "Bonjour"], "Unsupported language 'fr'"),
        (["--lang", "ko", "--text", ""], "the text is empty"),
        (["--lang", "en", "--text", "x" * 2000], "longer than 500 characters"),
        (["--lang", "en", "--text", "Hi", "--voice", "robot"], "Unknown voice 'robot'"),
        (["--lang", "en", "--text", "Hi", "--size", "100"], "size must be an integer"),
    ],
)
def test_synthesize_bad_input_is_a_command_error_and_writes_nothing(
    tmp_path, args, message
) -> None:
    out = tmp_path / "out" / "line.mp4"
    with pytest.raises(CommandError, match=message):
        call_command("synthesize", *args, "--out", str(out))
    assert not (tmp_path / "out").exists()


def test_synthesize_command_line_exits_1_without_traceback(tmp_path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "synthesize",
            "--lang",
            "fr",
            "--text",
            "Bonjour",
            "--out",
            str(tmp_path / "line.mp4"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "DEBUG": "1"},
    )
    assert proc.returncode == 1
    assert "Unsupported language 'fr'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_bench_synthesis_runs_and_prints_figures() -> None:
    stdout = StringIO()
    call_command(
        "bench_synthesis", "--lines", "2", "--size", "256", "--device", "cpu", stdout=stdout
    )
    text = stdout.getvalue()
    assert "2 lines" in text
    for stage in ("speech", "visemes", "render", "encode", "total"):
        row = next(line for line in text.splitlines() if line.split()[:1] == [stage])
        wall, fps, rtf = (float(x) for x in row.split()[1:4])
        assert wall > 0 and fps > 0 and rtf > 0
    assert "peak memory: max RSS" in text
