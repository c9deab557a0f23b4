from __future__ import annotations

import json
import math
import re

import av
import numpy as np
import pytest

from video_pipeline.engine.encode import encode_mp4, jpeg_bytes, timeline_dict, vtt_text
from video_pipeline.engine.types import EngineError, Word
from video_pipeline.engine.visemes import VisemeSegment

from . import video_measure as vm

SR = 22050
CUE = re.compile(r"^(\d\d:\d\d:\d\d\.\d{3}) --> (\d\d:\d\d:\d\d\.\d{3})$")
STAMP = re.compile(r"<(\d\d:\d\d:\d\d\.\d{3})>")


def seconds(stamp: str) -> float:
    h, m, s = stamp.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def parse_vtt(text: str) -> list[dict]:
    """A small WebVTT reader: header, cues with timings, karaoke timestamps in order."""
    blocks = text.strip("\n").split("\n\n")
    assert blocks[0].startswith("WEBVTT")
    cues = []
    for block in blocks[1:]:
        lines = block.split("\n")
        timing = next(i for i, line in enumerate(lines) if "-->" in line)
        match = CUE.match(lines[timing])
        assert match, lines[timing]
        start, end = (seconds(g) for g in match.groups())
        payload = "\n".join(lines[timing + 1 :])
        stamps = [seconds(s) for s in STAMP.findall(payload)]
        assert start <= end
        assert all(start < s < end for s in stamps)
        assert stamps == sorted(stamps)
        cues.append({"start": start, "end": end, "stamps": stamps, "text": STAMP.sub("", payload)})
    return cues


def frames_with_flash(n: int, flash: int, size: int = 64):
    frames = np.zeros((n, size, size, 3), np.uint8)
    frames[flash] = 255
    for start in range(0, n, 16):
        yield frames[start : start + 16]


def test_audio_is_aligned_with_video_after_aac_priming(tmp_path) -> None:
    # A click at 0.48 s and a white frame at frame 12 (0.48 s) must decode together.
    audio = np.zeros(SR * 2, np.float32)
    click = int(0.48 * SR)
    audio[click : click + 100] = 0.9
    path = tmp_path / "sync.mp4"
    result = encode_mp4(frames_with_flash(50, 12), audio, SR, path)
    assert result.frames == 50
    dec = vm.decode(path)
    found = np.flatnonzero(np.abs(dec.audio) > 0.4)[0] / dec.sample_rate + dec.audio_start
    assert abs(found - 0.48) < 0.003
    flash = int(np.argmax(dec.frames.reshape(len(dec.frames), -1).mean(axis=1)))
    assert flash == 12


def test_mp4_is_h264_aac_faststart_and_as_long_as_the_audio(tmp_path) -> None:
    duration = 1.23
    audio = (0.1 * np.sin(np.arange(int(duration * SR)) * 0.05)).astype(np.float32)
    n = math.ceil(duration * 25)
    path = tmp_path / "a.mp4"
    encode_mp4(frames_with_flash(n, 3), audio, SR, path)
    dec = vm.decode(path)
    assert (dec.video_codec, dec.audio_codec, dec.fps) == ("h264", "aac", 25.0)
    assert len(dec.frames) == n
    assert abs(len(dec.frames) / 25 - duration) <= 1 / 25
    # Decoders keep the encoder's last partial-frame padding; the container knows the truth.
    assert 0 <= dec.audio.size - audio.size < 1024
    with av.open(str(path)) as c:
        a, v = c.streams.audio[0], c.streams.video[0]
        audio_seconds = float(a.duration * a.time_base)
        video_seconds = float(v.duration * v.time_base)
    assert abs(audio_seconds - duration) < 1 / SR + 1e-9
    assert abs(video_seconds - audio_seconds) <= 1 / 25
    boxes = vm.top_level_boxes(path)
    assert boxes.index("moov") < boxes.index("mdat")
    with av.open(str(path)) as c:
        assert c.streams.video[0].codec_context.pix_fmt == "yuv420p"


def test_bad_frames_are_rejected(tmp_path) -> None:
    with pytest.raises(EngineError, match="uint8 RGB"):
        encode_mp4(
            [np.zeros((2, 8, 8), np.float32)], np.zeros(100, np.float32), SR, tmp_path / "x.mp4"
        )
    with pytest.raises(EngineError, match="no video frames"):
        encode_mp4([], np.zeros(100, np.float32), SR, tmp_path / "y.mp4")


def test_vtt_has_one_cue_with_word_timestamps() -> None:
    words = [Word("밥", 0.15, 0.42), Word("먹었어요?", 0.42, 1.14), Word("아니요,", 1.47, 1.95)]
    text = vtt_text("밥 먹었어요? 아니요,", words, 2.0)
    cues = parse_vtt(text)
    assert len(cues) == 1
    assert cues[0]["start"] == 0.0 and cues[0]["end"] == 2.0
    assert cues[0]["stamps"] == [0.15, 0.42, 1.47]
    assert cues[0]["text"] == "밥 먹었어요? 아니요,"


def test_vtt_escapes_markup_and_falls_back_to_plain_text_when_words_do_not_line_up() -> None:
    cues = parse_vtt(vtt_text("Fish & chips <now>", [Word("fish", 0.1, 0.3)], 1.0))
    assert cues[0]["text"] == "Fish &amp; chips &lt;now&gt;"
    assert cues[0]["stamps"] == []


def test_timeline_times_are_monotonic_and_within_the_clip() -> None:
    segs = [
        VisemeSegment("m", 0.2, 0.3, "BMP"),
        VisemeSegment("a", 0.1, 0.25, "A"),
        VisemeSegment("p", 0.3, 9.0, "BMP"),
    ]
    data = timeline_dict(duration=1.0, fps=25, words=[Word("ma", 0.1, 0.3)], segments=segs)
    json.dumps(data)
    starts = [p["start"] for p in data["phonemes"]]
    assert starts == sorted(starts)
    for p in data["phonemes"]:
        assert 0.0 <= p["start"] <= p["end"] <= 1.0
    for a, b in zip(data["phonemes"], data["phonemes"][1:], strict=False):
        assert a["end"] <= b["start"]


def test_poster_is_a_decodable_jpeg(tmp_path) -> None:
    image = np.zeros((96, 96, 3), np.uint8)
    image[:, :48] = (200, 40, 40)
    data = jpeg_bytes(image)
    assert data[:2] == b"\xff\xd8"
    path = tmp_path / "poster.jpg"
    path.write_bytes(data)
    with av.open(str(path)) as c:
        decoded = [f.to_ndarray(format="rgb24") for f in c.decode(video=0)]
    assert decoded[0].shape == (96, 96, 3)
    assert abs(int(decoded[0][48, 10, 0]) - 200) < 12
    assert int(decoded[0][48, 80].max()) < 12
