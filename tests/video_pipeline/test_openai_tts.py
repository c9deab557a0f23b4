from __future__ import annotations

import itertools
from collections.abc import Iterator

import numpy as np
import pytest

from tests.video_pipeline.fake_openai_tts import FakeServer, FakeTTS
from video_pipeline.engine.speech import speak
from video_pipeline.engine.speech.align import dtw_path, time_map
from video_pipeline.engine.speech.openai_tts import OpenAITTS, decode_audio
from video_pipeline.engine.types import EngineError

SENTENCES = {
    "ko": "안녕하세요, 저는 김민수입니다. 오늘 날씨가 정말 좋네요.",
    "en": "Good morning, my name is Mary. The weather is lovely today.",
}


@pytest.fixture
def fake_tts() -> Iterator[FakeTTS]:
    with FakeServer() as state:
        yield state


def _backend(fake: FakeTTS, **options: object) -> OpenAITTS:
    return OpenAITTS(api_key="test-key", base_url=fake.base_url, **options)  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("response_format", ["wav", "mp3"])
def test_aligned_phoneme_starts_are_within_60_ms_of_the_truth(
    fake_tts: FakeTTS, lang: str, response_format: str
) -> None:
    rendering = _backend(fake_tts, response_format=response_format).synthesize(
        SENTENCES[lang], lang=lang, voice="woman"
    )

    assert [p.ipa for p in rendering.phonemes] == [p.ipa for p in fake_tts.truth]
    errors = [
        abs(a.start - t.start) for a, t in zip(rendering.phonemes, fake_tts.truth, strict=True)
    ]
    assert np.median(errors) <= 0.060
    assert np.percentile(errors, 90) <= 0.060
    assert rendering.sample_rate == 22050


def test_request_carries_model_voice_text_and_speed(fake_tts: FakeTTS) -> None:
    backend = _backend(fake_tts, model="tts-1", voices={"man": "fable"})
    backend.fetch_audio("Hi there.", voice="man", rate=0.75)
    _backend(fake_tts).fetch_audio("Hi there.", voice="older_man")

    first, second = fake_tts.requests[-2:]
    assert first["path"] == "/v1/audio/speech"
    assert (first["model"], first["voice"], first["input"]) == ("tts-1", "fable", "Hi there.")
    assert first["speed"] == 0.75 and first["response_format"] == "wav"
    assert (second["model"], second["voice"]) == ("tts-1-hd", "onyx")


def test_speak_with_openai_backend_returns_speech_at_22050_with_a_timeline(
    fake_tts: FakeTTS,
) -> None:
    text = "커피 2잔에 9,000원이에요."
    speech = speak(
        text,
        lang="ko",
        voice="older_woman",
        rate=0.9,
        backend="openai",
        base_url=fake_tts.base_url,
        api_key="test-key",
    )

    assert fake_tts.requests[-1]["input"] == "커피 두 잔에 구천 원이에요."
    assert fake_tts.requests[-1]["voice"] == "alloy"
    assert speech.sample_rate == 22050 and speech.samples.dtype == np.float32
    assert [w.text for w in speech.words] == text.split()
    for items in (speech.phonemes, speech.words):
        for before, after in itertools.pairwise(items):
            assert before.end <= after.start + 1e-9
        assert all(0 <= i.start < i.end <= speech.duration for i in items)


def test_server_error_becomes_a_clear_engine_error_after_retrying(fake_tts: FakeTTS) -> None:
    fake_tts.mode = "error500"
    with pytest.raises(EngineError, match=r"TTS server failed \(HTTP 500\) after 2 tries"):
        _backend(fake_tts, max_retries=1).synthesize("Hello.", lang="en", voice="man")
    assert len(fake_tts.requests) == 2


def test_timeout_becomes_a_clear_engine_error(fake_tts: FakeTTS) -> None:
    fake_tts.mode, fake_tts.delay = "slow", 2.0
    with pytest.raises(EngineError, match=r"did not answer within 0\.3 s \(1 tries\)"):
        _backend(fake_tts, timeout=0.3, max_retries=0).fetch_audio("Hello.", voice="man")


def test_unreachable_server_becomes_a_clear_engine_error() -> None:
    backend = OpenAITTS(api_key="k", base_url="http://127.0.0.1:9/v1", max_retries=0)
    with pytest.raises(EngineError, match="Could not reach the TTS server"):
        backend.fetch_audio("Hello.", voice="man")


def test_reply_that_is_not_audio_becomes_a_clear_engine_error(fake_tts: FakeTTS) -> None:
    fake_tts.mode = "garbage"
    with pytest.raises(EngineError, match="not audio that can be decoded"):
        _backend(fake_tts).synthesize("Hello.", lang="en", voice="man")


def test_missing_api_key_is_a_clear_engine_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(EngineError, match="needs an API key"):
        OpenAITTS(base_url="http://127.0.0.1:9/v1")


def test_unknown_backend_option_is_a_clear_engine_error() -> None:
    with pytest.raises(EngineError, match="Unknown option for the OpenAI backend"):
        speak("Hello.", lang="en", voice="man", backend="openai", colour="blue")


def test_decoded_audio_is_resampled_to_the_requested_rate(fake_tts: FakeTTS) -> None:
    data = _backend(fake_tts).fetch_audio("Hello there.", voice="man")
    samples = decode_audio(data, 22050)
    truth_seconds = fake_tts.truth[-1].end

    assert samples.dtype == np.float32
    assert abs(len(samples) / 22050 - truth_seconds) < 0.1


def test_dtw_recovers_a_known_warp() -> None:
    rng = np.random.default_rng(0)
    reference = rng.normal(size=(80, 13))
    target = np.repeat(reference, 2, axis=0)  # everything twice as slow
    ref_frames, target_frames = time_map(dtw_path(reference, target))

    assert np.all(np.abs(target_frames - (2 * ref_frames + 0.5)) <= 0.5)
