from __future__ import annotations

import math

import numpy as np
import pytest

from video_pipeline.engine.types import EngineError, Phoneme
from video_pipeline.engine.visemes import (
    REST_TARGET,
    classify,
    compute_tracks,
    frame_count,
    normalize_ipa,
)

FPS = 25


def timeline(units: list[tuple[str, float]], start: float = 0.2) -> tuple[list[Phoneme], float]:
    out, t = [], start
    for ipa, dur in units:
        if ipa == "":
            t += dur
            continue
        out.append(Phoneme(ipa, t, t + dur))
        t += dur
    return out, t + 0.2


@pytest.mark.parametrize(
    ("ipa", "expected"),
    [
        ("p", "BMP"),
        ("pʰ", "BMP"),
        ("p͈", "BMP"),
        ("b", "BMP"),
        ("m", "BMP"),
        ("k", "KG"),
        ("k͈", "KG"),
        ("kʰ", "KG"),
        ("ŋ", "KG"),
        ("t", "TDNL"),
        ("tʰ", "TDNL"),
        ("n", "TDNL"),
        ("s", "SZ"),
        ("s͈", "SZ"),
        ("tɕ", "SZ"),
        ("tɕʰ", "SZ"),
        ("dʑ", "SZ"),
        ("ɾ", "L"),
        ("l", "L"),
        ("i", "I"),
        ("ɯ", "I"),
        ("ɰi", "I"),
        ("wi", "WI"),
        ("ɥi", "WI"),
        ("o", "O"),
        ("jo", "O"),
        ("ɐ", "A"),
        ("a", "A"),
        ("ja", "A"),
        ("u", "U"),
        ("ju", "U"),
        ("ʌ", "EO"),
        ("jʌ", "EO"),
        ("wa", "WA"),
        ("we", "WA"),
        ("wɛ", "WA"),
        ("e", "E"),
        ("ɛ", "E"),
        ("je", "E"),
    ],
)
def test_korean_units_follow_choi_groups(ipa: str, expected: str) -> None:
    assert classify(ipa, "ko") == expected


@pytest.mark.parametrize(
    ("ipa", "expected"),
    [
        ("p", "BMP"),
        ("b", "BMP"),
        ("m", "BMP"),
        ("f", "FV"),
        ("v", "FV"),
        ("θ", "TH"),
        ("ð", "TH"),
        ("t", "TDNL"),
        ("d", "TDNL"),
        ("n", "TDNL"),
        ("l", "TDNL"),
        ("s", "SZ"),
        ("z", "SZ"),
        ("ʃ", "SH"),
        ("ʒ", "SH"),
        ("tʃ", "SH"),
        ("dʒ", "SH"),
        ("k", "KG"),
        ("ɡ", "KG"),
        ("ŋ", "KG"),
        ("w", "WR"),
        ("ɹ", "WR"),
        ("iː", "I"),
        ("ˈuː", "U"),
        ("ɒ", "O"),
        ("aɪ", "A"),
        ("eɪ", "E"),
        ("əʊ", "SCHWA"),
    ],
)
def test_english_units_follow_mpeg4_groups(ipa: str, expected: str) -> None:
    assert classify(ipa, "en") == expected


def test_stress_length_and_diacritics_are_ignored() -> None:
    assert normalize_ipa("ˈpʰaː") == "pa"
    assert normalize_ipa("k͈") == "k"


def test_unknown_symbol_falls_back_to_neutral_and_logs(caplog) -> None:
    caplog.set_level("WARNING")
    assert classify("Ж", "ko") == "X"
    assert "unknown IPA symbol" in caplog.text
    phonemes, duration = timeline([("Ж", 0.1), ("a", 0.1)])
    tracks = compute_tracks(phonemes, duration, "ko")
    assert np.isfinite(tracks.values).all()


@pytest.mark.parametrize("duration", [0.04, 1.0, 2.884172335600907, 3.0, 3.01])
def test_frame_count_is_ceil_of_duration_times_fps(duration: float) -> None:
    tracks = compute_tracks([Phoneme("a", 0.0, min(duration, 0.5))], duration, "ko")
    assert tracks.n_frames == frame_count(duration) == max(1, math.ceil(round(duration * FPS, 6)))
    assert tracks.values.shape == (tracks.n_frames, len(tracks.params))


def test_bilabial_midframe_is_closed_even_between_open_vowels() -> None:
    # A 30 ms /p/ squeezed between two wide /a/ vowels still shuts the lips.
    phonemes, duration = timeline([("a", 0.2), ("p", 0.03), ("a", 0.2), ("m", 0.06), ("a", 0.2)])
    tracks = compute_tracks(phonemes, duration, "ko")
    opening = tracks["open"]
    for ph in phonemes:
        if ph.ipa in ("p", "m"):
            mid = 0.5 * (ph.start + ph.end)
            assert opening[int(mid * FPS)] == 0.0
    a = phonemes[0]
    assert opening[int(0.5 * (a.start + a.end) * FPS)] > 0.5


def test_rounded_vowels_are_narrow_and_spread_vowels_wide() -> None:
    phonemes, duration = timeline([("u", 0.2), ("t", 0.08), ("i", 0.2), ("t", 0.08), ("o", 0.2)])
    tracks = compute_tracks(phonemes, duration, "ko")

    def at(i: int) -> np.ndarray:
        ph = phonemes[i]
        return tracks.values[int(0.5 * (ph.start + ph.end) * FPS)]

    width, rnd = 2, 3
    assert at(0)[width] < at(2)[width] - 0.4
    assert at(4)[width] < at(2)[width] - 0.3
    assert at(0)[rnd] > 0.6 and at(2)[rnd] < 0.2


def test_labiodental_and_tongue_targets_show_up() -> None:
    phonemes, duration = timeline([("a", 0.15), ("f", 0.12), ("a", 0.15), ("θ", 0.12), ("a", 0.15)])
    tracks = compute_tracks(phonemes, duration, "en")
    f, th = phonemes[1], phonemes[3]
    assert tracks["labdent"][int((f.start + f.end) / 2 * FPS)] > 0.6
    assert tracks["tongue"][int((th.start + th.end) / 2 * FPS)] > 0.6


def test_mouth_relaxes_to_rest_within_150_ms_of_a_pause() -> None:
    phonemes, duration = timeline([("a", 0.2), ("", 0.6), ("a", 0.2)])
    tracks = compute_tracks(phonemes, duration, "ko")
    pause_start = phonemes[0].end
    pause_end = phonemes[1].start
    first = math.ceil((pause_start + 0.15) * FPS)
    last = math.floor((pause_end - 0.1) * FPS) - 1
    assert last > first
    np.testing.assert_allclose(
        tracks.values[first : last + 1], np.tile(REST_TARGET, (last - first + 1, 1)), atol=1e-6
    )
    # ... and speaking again opens it.
    second = phonemes[1]
    assert tracks["open"][int((second.start + second.end) / 2 * FPS)] > 0.5


def test_short_gap_is_not_a_pause() -> None:
    phonemes, duration = timeline([("a", 0.2), ("", 0.06), ("a", 0.2)])
    tracks = compute_tracks(phonemes, duration, "ko")
    gap_frame = int((phonemes[0].end + 0.03) * FPS)
    assert tracks["open"][gap_frame] > 0.3


def test_silence_only_gives_rest_pose() -> None:
    tracks = compute_tracks([], 1.0, "en")
    np.testing.assert_allclose(tracks.values, np.tile(REST_TARGET, (25, 1)), atol=1e-6)


def test_tracks_are_deterministic_and_bounded() -> None:
    phonemes, duration = timeline([("p", 0.05), ("ɐ", 0.1), ("wa", 0.2), ("ɾ", 0.05), ("jʌ", 0.2)])
    a = compute_tracks(phonemes, duration, "ko")
    b = compute_tracks(phonemes, duration, "ko")
    assert np.array_equal(a.values, b.values)
    assert a.values.min() >= 0.0 and a.values.max() <= 1.0


def test_unsupported_language_is_rejected() -> None:
    with pytest.raises(EngineError, match="unsupported language 'fr'"):
        compute_tracks([], 1.0, "fr")
