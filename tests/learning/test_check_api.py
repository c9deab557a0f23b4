"""POST /api/check and /api/check/speech: results, and 400s in the shared error shape."""

from __future__ import annotations

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from learning import speech
from learning.checking import INPUT_EMPTY, INPUT_TOO_LONG, UNSUPPORTED_LANGUAGE
from tests.learning.helpers import opus_webm, wav_bytes
from video_pipeline.engine.speech import speak

pytestmark = pytest.mark.django_db


def _assert_error(response, field: str, message: str | None = None) -> None:
    assert response.status_code == 400, response.content
    body = response.json()
    assert set(body) == {"message", "extra"}
    assert field in body["extra"]["fields"]
    if message is not None:
        assert body["message"] == message
        assert body["extra"]["fields"][field] == [message]


def test_check_returns_scores_diff_and_word_statuses(alice_api):
    response = alice_api.post(
        "/api/check",
        {"input": "커피 한잔 주세요", "answer": "커피 한 잔 주세요", "language": "ko"},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["score"] == 100 and body["lip_score"] == 100
    assert body["spacing_differs"] is True
    assert [w["status"] for w in body["words"]] == ["correct"] * 4


def test_check_gives_lip_credit_for_look_alikes(alice_api):
    response = alice_api.post(
        "/api/check", {"input": "pat", "answer": "bat", "language": "en"}, format="json"
    )
    body = response.json()
    assert body["score"] < 100 and body["lip_score"] == 100
    assert body["words"][0]["status"] == "lip_equivalent"


def test_check_requires_login(api):
    response = api.post(
        "/api/check", {"input": "a", "answer": "a", "language": "en"}, format="json"
    )
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"input": "", "answer": "hello", "language": "en"}, "input", INPUT_EMPTY),
        ({"input": "   ", "answer": "hello", "language": "en"}, "input", INPUT_EMPTY),
        ({"input": "a" * 301, "answer": "hello", "language": "en"}, "input", INPUT_TOO_LONG),
        ({"input": "hello", "answer": "hello", "language": "fr"}, "language", UNSUPPORTED_LANGUAGE),
        ({"answer": "hello", "language": "en"}, "input", None),
        ({"input": "hello", "answer": "", "language": "ko"}, "answer", None),
        ({"input": "hello", "answer": "b" * 301, "language": "ko"}, "answer", None),
    ],
)
def test_check_rejects_bad_input_with_400(alice_api, payload, field, message):
    _assert_error(alice_api.post("/api/check", payload, format="json"), field, message)


def test_check_accepts_300_characters(alice_api):
    response = alice_api.post(
        "/api/check", {"input": "a" * 300, "answer": "a" * 300, "language": "en"}, format="json"
    )
    assert response.status_code == 200 and response.json()["score"] == 100


# --- spoken answers --------------------------------------------------------------------


def _upload(data: bytes, name: str = "answer.webm", content_type: str = "audio/webm"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def _post_speech(client, data: bytes, answer: str, language: str, **upload):
    return client.post(
        "/api/check/speech",
        {"audio": _upload(data, **upload), "answer": answer, "language": language},
        format="multipart",
    )


@pytest.mark.parametrize(
    ("language", "text"),
    [("ko", "커피 한 잔 주세요"), ("en", "I would like a cup of coffee please")],
)
def test_spoken_answer_is_transcribed_and_checked(alice_api, language, text):
    spoken = speak(text, lang=language, voice="woman")
    webm = opus_webm(spoken.samples, spoken.sample_rate)
    assert webm[:4] == b"\x1aE\xdf\xa3"
    response = _post_speech(alice_api, webm, text, language)
    assert response.status_code == 200, response.content
    body = response.json()
    assert isinstance(body["transcript"], str)
    assert 0 <= body["score"] <= body["lip_score"] <= 100
    assert body["answer_normalized"]
    if body["transcript"]:
        assert body["input_normalized"]
    else:
        assert body["score"] == 0 and body["message"]


def test_spoken_wav_is_accepted(alice_api):
    spoken = speak("thank you", lang="en", voice="man")
    response = _post_speech(
        alice_api,
        wav_bytes(spoken.samples, spoken.sample_rate),
        "thank you",
        "en",
        name="a.wav",
        content_type="audio/wav",
    )
    assert response.status_code == 200
    assert isinstance(response.json()["transcript"], str)


def test_silence_is_a_200_with_score_zero_and_a_message(alice_api):
    silence = np.zeros(16000, dtype=np.float32)
    response = _post_speech(alice_api, opus_webm(silence, 16000), "커피 주세요", "ko")
    assert response.status_code == 200
    body = response.json()
    assert body["transcript"] == ""
    assert body["score"] == 0 and body["lip_score"] == 0
    assert body["message"]
    assert {w["status"] for w in body["words"]} == {"missing"}


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (b"just some text pretending to be audio\n" * 10, "audio/webm"),
        (bytes(np.random.default_rng(1).integers(0, 256, 4000, dtype=np.uint8)), "audio/ogg"),
        (b"", "audio/webm"),
    ],
)
def test_not_audio_is_rejected(alice_api, data, content_type):
    _assert_error(_post_speech(alice_api, data, "hello", "en", content_type=content_type), "audio")


def test_audio_with_a_valid_header_but_garbage_body_is_rejected(alice_api):
    data = b"\x1aE\xdf\xa3" + bytes(np.random.default_rng(2).integers(0, 256, 5000, dtype=np.uint8))
    _assert_error(_post_speech(alice_api, data, "hello", "en"), "audio", speech.AUDIO_UNDECODABLE)


def test_audio_over_two_megabytes_is_rejected(alice_api):
    data = b"OggS" + b"\0" * (speech.MAX_BYTES + 10)
    _assert_error(_post_speech(alice_api, data, "hello", "en"), "audio", speech.AUDIO_TOO_LARGE)


def test_audio_over_thirty_seconds_is_rejected(alice_api):
    noise = np.random.default_rng(3).normal(0, 0.01, 31 * 16000).astype(np.float32)
    data = opus_webm(noise, 16000)
    assert len(data) < speech.MAX_BYTES
    _assert_error(_post_speech(alice_api, data, "hello", "en"), "audio", speech.AUDIO_TOO_LONG)


def test_missing_audio_is_rejected(alice_api):
    response = alice_api.post(
        "/api/check/speech", {"answer": "hello", "language": "en"}, format="multipart"
    )
    _assert_error(response, "audio")


def test_speech_check_validates_answer_language(alice_api):
    silence = np.zeros(8000, dtype=np.float32)
    response = _post_speech(alice_api, opus_webm(silence, 16000), "hello", "xx")
    _assert_error(response, "language", UNSUPPORTED_LANGUAGE)


def test_transcription_api_is_used_when_configured(alice_api, settings, monkeypatch):
    settings.LIPREAD_LLM_API_KEY = "test-key"
    seen = {}

    def fake(data, container, language):
        seen.update(container=container, language=language, size=len(data))
        return "I would like a cup of coffee please"

    monkeypatch.setattr(speech, "transcribe_openai", fake)
    spoken = speak("coffee please", lang="en", voice="woman")
    response = _post_speech(
        alice_api,
        opus_webm(spoken.samples, spoken.sample_rate),
        "I would like a cup of coffee please",
        "en",
    )
    assert response.status_code == 200
    assert response.json()["score"] == 100
    assert seen["container"] == "webm" and seen["language"] == "en" and seen["size"] > 0


def test_sniff_recognises_the_four_containers():
    assert speech.sniff(b"\x1aE\xdf\xa3....") == "webm"
    assert speech.sniff(b"OggS\0\0") == "ogg"
    assert speech.sniff(b"RIFF\0\0\0\0WAVEfmt ") == "wav"
    assert speech.sniff(b"\0\0\0\x20ftypisom") == "mp4"
