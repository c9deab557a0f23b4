"""Acceptance: lip-sync measured on the decoded MP4 (pixels and samples)."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import numpy as np
import pytest

from video_pipeline.engine.pipeline import synthesize_line

from . import video_measure as vm

CASES = {
    "ko": ("밥 먹었어요? 아니요, 아직이요.", "woman", 256),
    "en": ("Bob made a map. I see you too.", "man", 512),
}


@pytest.fixture(scope="module", params=sorted(CASES))
def clip(request, tmp_path_factory) -> tuple[dict, vm.Decoded, Path]:
    lang = request.param
    text, voice, size = CASES[lang]
    out = tmp_path_factory.mktemp(f"lipsync-{lang}") / "line.mp4"
    synthesize_line(text, lang=lang, voice=voice, out_path=out, size=size, device="cpu")
    return vm.timeline(out), vm.decode(out), out


def test_decoded_frame_count_is_ceil_duration_times_25(clip) -> None:
    tl, dec, _ = clip
    assert len(dec.frames) == math.ceil(tl["duration"] * 25)
    assert abs(len(dec.frames) / 25 - dec.audio.size / dec.sample_rate) <= 1 / 25 + 1e-3


def test_lips_are_shut_at_the_middle_of_every_bilabial(clip) -> None:
    tl, dec, _ = clip
    opening = vm.opening(dec.frames)
    bilabials = [p for p in tl["phonemes"] if p["viseme"] == "BMP"]
    assert len(bilabials) >= 3
    for p in bilabials:
        assert opening[vm.mid_frame(p)] <= 0.01 * opening.max() + 1, p


def test_mouth_is_clearly_open_at_open_vowels(clip) -> None:
    tl, dec, _ = clip
    opening = vm.opening(dec.frames)
    size = dec.frames.shape[1]
    vowels = [p for p in tl["phonemes"] if p["viseme"] == "A"]
    assert vowels
    for p in vowels:
        assert opening[vm.mid_frame(p)] >= max(0.3 * opening.max(), 40 * (size / 256) ** 2), p


def test_rounded_vowels_are_narrower_than_spread_vowels(clip) -> None:
    tl, dec, _ = clip
    width = vm.lip_width(dec.frames)
    rounded = [width[vm.mid_frame(p)] for p in tl["phonemes"] if p["viseme"] in ("U", "O")]
    spread = [width[vm.mid_frame(p)] for p in tl["phonemes"] if p["viseme"] == "I"]
    assert rounded and spread
    assert np.mean(rounded) < 0.8 * np.mean(spread), (rounded, spread)


def test_mouth_opening_follows_the_audio_envelope_within_one_frame(clip) -> None:
    _, dec, _ = clip
    opening = vm.opening(dec.frames)
    envelope = vm.rms_envelope(dec.audio, dec.sample_rate, dec.audio_start, len(dec.frames))
    assert abs(vm.xcorr_peak_lag(envelope, opening)) <= 1


def test_mouth_is_back_at_rest_150_ms_into_a_pause(clip) -> None:
    tl, dec, _ = clip
    opening = vm.opening(dec.frames)
    width = vm.lip_width(dec.frames)
    rest_width = width[0]
    phonemes = tl["phonemes"]
    checked = 0
    for a, b in itertools.pairwise(phonemes):
        if b["start"] - a["end"] < 0.3:
            continue
        first = math.ceil((a["end"] + 0.15) * 25)
        last = math.floor((b["start"] - 0.1) * 25) - 1
        for i in range(first, last + 1):
            assert opening[i] <= 1, (i, a, b)
            assert abs(width[i] - rest_width) <= 2, (i, width[i], rest_width)
            checked += 1
    assert checked >= 1


def test_mp4_is_h264_aac_25fps_with_moov_before_mdat(clip) -> None:
    _, dec, path = clip
    assert dec.video_codec == "h264" and dec.audio_codec == "aac"
    assert dec.fps == 25
    boxes = vm.top_level_boxes(path)
    assert boxes.index("moov") < boxes.index("mdat")
