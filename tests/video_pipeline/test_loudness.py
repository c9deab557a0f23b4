from __future__ import annotations

import numpy as np
import pyloudnorm
import pytest

from video_pipeline.engine.speech import espeak, speak
from video_pipeline.engine.speech.loudness import (
    PEAK_CEILING_DBFS,
    SILENCE_PAD,
    TARGET_LUFS,
    finish,
    integrated_loudness,
    speech_bounds,
)
from video_pipeline.engine.types import VOICES, EngineError, Phoneme, Speech, Word

RATE = 22050


def _speech(samples: np.ndarray, phonemes: list[Phoneme] | None = None) -> Speech:
    return Speech(
        samples=samples.astype(np.float32),
        sample_rate=RATE,
        text="x",
        spoken_text="x",
        lang="en",
        voice="woman",
        words=[Word("x", p.start, p.end) for p in phonemes or []],
        phonemes=phonemes or [],
    )


def _espeak_audio(text: str = "Good morning, how are you today?") -> np.ndarray:
    return espeak.synthesize(text, lang="en", voice="man").samples


def _peak_dbfs(samples: np.ndarray) -> float:
    return float(20 * np.log10(np.max(np.abs(samples))))


@pytest.mark.parametrize("gain", [0.01, 0.3, 1.0])
def test_clips_of_any_level_come_out_at_the_target_loudness(gain: float) -> None:
    result = finish(_speech(_espeak_audio() * gain))

    measured = pyloudnorm.Meter(RATE).integrated_loudness(result.samples.astype(np.float64))
    assert abs(measured - TARGET_LUFS) < 0.5
    assert _peak_dbfs(result.samples) <= PEAK_CEILING_DBFS + 1e-3


def test_a_loud_spike_is_limited_without_changing_overall_loudness_much() -> None:
    audio = _espeak_audio() * 0.1
    audio[RATE // 2 : RATE // 2 + 200] = 0.9  # a click far above the speech
    result = finish(_speech(audio))

    measured = pyloudnorm.Meter(RATE).integrated_loudness(result.samples.astype(np.float64))
    assert _peak_dbfs(result.samples) <= PEAK_CEILING_DBFS + 1e-3
    assert abs(measured - TARGET_LUFS) < 1.0


def test_every_voice_from_speak_has_the_same_loudness() -> None:
    levels = []
    for voice in VOICES:
        speech = speak("오늘 날씨가 정말 좋네요.", lang="ko", voice=voice)
        levels.append(pyloudnorm.Meter(RATE).integrated_loudness(speech.samples.astype(np.float64)))
        assert _peak_dbfs(speech.samples) <= PEAK_CEILING_DBFS + 1e-3
    assert max(levels) - min(levels) < 0.5


def test_silence_is_trimmed_to_the_pad_and_the_timeline_moves_with_it() -> None:
    tone = 0.3 * np.sin(2 * np.pi * 220 * np.arange(RATE) / RATE)
    audio = np.concatenate([np.zeros(RATE), tone, np.zeros(int(0.7 * RATE))])
    result = finish(_speech(audio, [Phoneme("a", 1.0, 2.0)]))

    start, stop = speech_bounds(result.samples, RATE)
    assert abs(start / RATE - SILENCE_PAD) <= 0.01
    assert abs((len(result.samples) - stop) / RATE - SILENCE_PAD) <= 0.01
    assert abs(result.duration - (1.0 + 2 * SILENCE_PAD)) <= 0.02
    assert abs(result.phonemes[0].start - SILENCE_PAD) <= 0.01
    assert abs(result.phonemes[0].end - (1.0 + SILENCE_PAD)) <= 0.01
    assert result.words[0].start == result.phonemes[0].start


def test_missing_lead_silence_is_padded() -> None:
    tone = 0.3 * np.sin(2 * np.pi * 220 * np.arange(RATE // 2) / RATE)
    result = finish(_speech(tone, [Phoneme("a", 0.0, 0.5)]))

    start, _ = speech_bounds(result.samples, RATE)
    assert abs(start / RATE - SILENCE_PAD) <= 0.01
    assert abs(result.phonemes[0].start - SILENCE_PAD) <= 0.01


def test_clips_shorter_than_a_loudness_block_are_normalised() -> None:
    short = _espeak_audio("Yes.")[: int(0.25 * RATE)]
    assert np.isfinite(integrated_loudness(short, RATE))

    result = finish(_speech(short))
    body_start, body_stop = speech_bounds(result.samples, RATE)
    looped = np.tile(result.samples[body_start:body_stop], 10).astype(np.float64)
    assert abs(pyloudnorm.Meter(RATE).integrated_loudness(looped) - TARGET_LUFS) < 1.0


def test_silence_is_an_error() -> None:
    with pytest.raises(EngineError, match="silence"):
        finish(_speech(np.zeros(RATE)))
