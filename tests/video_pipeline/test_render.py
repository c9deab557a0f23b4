from __future__ import annotations

import numpy as np
import pytest

from video_pipeline.engine.render import Renderer, head_motion, render_frames
from video_pipeline.engine.render import renderer as renderer_module
from video_pipeline.engine.types import VOICES, EngineError, Phoneme
from video_pipeline.engine.visemes import compute_tracks, rest_tracks

from . import video_measure as vm


def speaking_tracks():
    phonemes, t = [], 0.2
    for ipa, dur in [("p", 0.06), ("a", 0.16), ("m", 0.07), ("i", 0.15), ("u", 0.15), ("a", 0.2)]:
        phonemes.append(Phoneme(ipa, t, t + dur))
        t += dur
    return compute_tracks(phonemes, t + 0.2, "ko")


def test_same_input_gives_bitwise_identical_frames() -> None:
    tracks = speaking_tracks()
    first = Renderer("woman", 256, device="cpu").render(tracks, seed=7)
    renderer_module._static.cache_clear()  # redraw the cached head too
    second = Renderer("woman", 256, device="cpu").render(tracks, seed=7)
    assert first.dtype == np.uint8 and first.shape == (tracks.n_frames, 256, 256, 3)
    assert np.array_equal(first, second)


@pytest.mark.parametrize("voice", VOICES)
def test_blinks_two_to_six_times_per_ten_seconds(voice: str) -> None:
    tracks = rest_tracks(12.0)
    frames = Renderer(voice, 256, device="cpu").render(tracks, seed=VOICES.index(voice) + 11)
    blinks = vm.count_blinks(vm.eye_white(frames))
    assert 2 <= blinks * 10.0 / 12.0 <= 6, blinks


def test_four_avatars_are_clearly_different_people() -> None:
    tracks = rest_tracks(0.04)
    frames = {v: Renderer(v, 256, device="cpu").render(tracks)[0].astype(np.int16) for v in VOICES}
    for i, a in enumerate(VOICES):
        for b in VOICES[i + 1 :]:
            diff = np.abs(frames[a] - frames[b]).mean()
            assert diff > 8, (a, b, diff)


def test_rest_pose_has_closed_lips_and_speech_opens_them() -> None:
    tracks = speaking_tracks()
    frames = Renderer("man", 256, device="cpu").render(tracks)
    opening = vm.opening(frames)
    assert opening[0] == 0
    assert opening.max() > 80


def test_closeup_shows_the_lips_much_larger() -> None:
    tracks = rest_tracks(0.04)
    full = Renderer("woman", 256, device="cpu").render(tracks)[0]
    close = Renderer("woman", 256, closeup=True, device="cpu").render(tracks)[0]
    assert vm.lip_mask(close[None]).sum() > 5 * vm.lip_mask(full[None]).sum()


def test_frames_stream_in_batches() -> None:
    tracks = rest_tracks(3.0)
    sizes = [len(b) for b in render_frames(tracks, "older_man", size=256, device="cpu", batch=32)]
    assert sizes == [32, 32, 11]


def test_idle_head_motion_is_small_smooth_and_alive() -> None:
    offsets = head_motion(500, 25, seed=3, amplitude_px=3.0)
    assert np.abs(offsets).max() <= 3
    assert np.abs(np.diff(offsets, axis=0)).max() <= 1
    assert len({tuple(o) for o in offsets}) > 3


def test_size_1024_renders_and_bad_sizes_are_rejected() -> None:
    frame = Renderer("older_woman", 1024, device="cpu").render(rest_tracks(0.04))
    assert frame.shape == (1, 1024, 1024, 3)
    for bad in (255, 1025, 512.0):
        with pytest.raises(EngineError, match="size must be an integer from 256 to 1024"):
            Renderer("woman", bad, device="cpu")


def test_unknown_voice_and_device_are_rejected() -> None:
    with pytest.raises(EngineError, match="unknown voice 'child'"):
        Renderer("child", 256)
    with pytest.raises(EngineError, match="unknown device 'tpu'"):
        Renderer("woman", 256, device="tpu")
