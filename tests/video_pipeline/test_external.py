from __future__ import annotations

import math
import sys
import textwrap

import numpy as np
import pytest

from video_pipeline.engine.encode import encode_mp4
from video_pipeline.engine.external import build_command, probe_video, run_external, write_wav
from video_pipeline.engine.pipeline import synthesize_line
from video_pipeline.engine.types import EngineError

from . import video_measure as vm

SR = 22050

FAKE_RENDERER = textwrap.dedent(
    """
    import argparse, math, sys, time, wave
    import av, numpy as np

    p = argparse.ArgumentParser()
    p.add_argument("--audio"); p.add_argument("--video"); p.add_argument("--out")
    p.add_argument("--mode", default="ok")
    a = p.parse_args()
    if a.mode == "fail":
        sys.stderr.write("loading model...\\nCUDA out of memory\\n")
        sys.exit(3)
    if a.mode == "sleep":
        time.sleep(30)
    if a.mode == "nothing":
        sys.exit(0)
    with wave.open(a.audio) as w:
        duration = w.getnframes() / w.getframerate()
    with av.open(a.video) as ref:
        first = next(ref.decode(video=0)).to_ndarray(format="rgb24")
    n = math.ceil(duration * 25) + (10 if a.mode == "long" else 0)
    out = av.open(a.out, "w")
    s = out.add_stream("libx264", rate=25)
    s.height, s.width = first.shape[:2]
    s.pix_fmt = "yuv420p"
    for i in range(n):
        img = first.copy()
        img[:, (i * 3) % img.shape[1]] = 255
        f = av.VideoFrame.from_ndarray(img, format="rgb24")
        f.pts = i
        for pkt in s.encode(f):
            out.mux(pkt)
    for pkt in s.encode():
        out.mux(pkt)
    out.close()
    """
)


@pytest.fixture
def setup(tmp_path):
    work = tmp_path / "with space"
    work.mkdir()
    script = work / "fake_infer.py"
    script.write_text(FAKE_RENDERER)
    reference = work / "reference.mp4"
    frames = np.full((25, 96, 128, 3), 90, np.uint8)
    encode_mp4([frames], np.zeros(SR, np.float32), SR, reference)
    audio = work / "audio.wav"
    duration = 1.3
    write_wav(audio, 0.1 * np.sin(np.arange(int(duration * SR)) * 0.03), SR)
    command = (
        f"{sys.executable} '{script}' --audio {{audio_wav}} --video {{reference_video}}"
        " --out {output_mp4}"
    )
    return {
        "dir": work,
        "command": command,
        "reference": reference,
        "audio": audio,
        "duration": duration,
    }


def run(setup, mode: str = "ok", timeout: float = 60.0):
    return run_external(
        setup["command"] + f" --mode {mode}",
        audio_wav=setup["audio"],
        reference_video=setup["reference"],
        output_mp4=setup["dir"] / "out put.mp4",
        expected_duration=setup["duration"],
        timeout=timeout,
    )


def test_external_renderer_output_is_checked_and_accepted(setup) -> None:
    probe = run(setup)
    assert probe.frames == math.ceil(setup["duration"] * 25)
    assert (probe.width, probe.height) == (128, 96)
    assert abs(probe.duration - setup["duration"]) <= 1 / 25


def test_placeholders_survive_paths_with_spaces_and_quotes() -> None:
    args = build_command(
        "infer --a {audio_wav} --o {output_mp4}",
        audio_wav="/tmp/my dir/it's.wav",
        reference_video="r.mp4",
        output_mp4="/tmp/o.mp4",
    )
    assert args == ["infer", "--a", "/tmp/my dir/it's.wav", "--o", "/tmp/o.mp4"]


def test_nonzero_exit_reports_the_stderr_tail(setup) -> None:
    with pytest.raises(EngineError, match=r"exit code 3: loading model...\nCUDA out of memory"):
        run(setup, "fail")


def test_timeout_is_a_clear_error(setup) -> None:
    with pytest.raises(EngineError, match="timed out after 1 s"):
        run(setup, "sleep", timeout=1.0)


def test_output_of_the_wrong_length_is_rejected(setup) -> None:
    with pytest.raises(EngineError, match="more than one frame apart"):
        run(setup, "long")


def test_missing_output_and_missing_program_are_clear_errors(setup) -> None:
    with pytest.raises(EngineError, match="wrote no file"):
        run(setup, "nothing")
    with pytest.raises(EngineError, match="program not found"):
        run_external(
            "/no/such/infer {output_mp4}",
            audio_wav="a",
            reference_video="r",
            output_mp4=setup["dir"] / "x.mp4",
            expected_duration=1.0,
        )
    with pytest.raises(EngineError, match=r"must contain \{output_mp4\}"):
        build_command("infer {audio_wav}", audio_wav="a", reference_video="r", output_mp4="o")


def test_probe_rejects_a_file_that_is_not_a_video(tmp_path) -> None:
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(b"not a video at all")
    with pytest.raises(EngineError, match="not a readable video"):
        probe_video(bad)


def test_pipeline_with_external_renderer_writes_all_assets(setup, tmp_path) -> None:
    out = tmp_path / "lines" / "line.mp4"
    result = synthesize_line(
        "Hello there.",
        lang="en",
        voice="man",
        out_path=out,
        size=256,
        renderer="external",
        external_command=setup["command"],
        reference_video=setup["reference"],
    )
    dec = vm.decode(result.mp4)
    assert len(dec.frames) == math.ceil(vm.timeline(out)["duration"] * 25) == result.frames
    assert dec.frames.shape[1:] == (256, 256, 3)
    assert sorted(p.name for p in out.parent.iterdir()) == [
        "line.jpg",
        "line.json",
        "line.mp4",
        "line.vtt",
    ]


def test_failing_external_renderer_leaves_no_partial_files(setup, tmp_path) -> None:
    out_dir = tmp_path / "lines"
    out_dir.mkdir()
    with pytest.raises(EngineError, match="exit code 3"):
        synthesize_line(
            "Hello there.",
            lang="en",
            voice="man",
            out_path=out_dir / "line.mp4",
            size=256,
            renderer="external",
            external_command=setup["command"] + " --mode fail",
            reference_video=setup["reference"],
        )
    assert list(out_dir.iterdir()) == []
