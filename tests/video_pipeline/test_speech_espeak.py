from __future__ import annotations

import itertools
import threading

import numpy as np
import pytest

from tests.video_pipeline.speech_measure import (
    envelope_db,
    longest_gap,
    median_f0,
    silence_around,
)
from video_pipeline.engine.speech import ERROR_EMPTY_TEXT, ERROR_TEXT_TOO_LONG, speak
from video_pipeline.engine.speech.ipa import clean_event, split_units
from video_pipeline.engine.types import VOICES, EngineError

SENTENCES = {
    "ko": "안녕하세요. 어머니, 오늘 날씨가 정말 좋네요!",
    "en": "Hello. Mary, the weather is really nice today!",
}


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("voice", VOICES)
def test_timeline_is_sorted_non_overlapping_and_inside_the_audio(lang: str, voice: str) -> None:
    speech = speak(SENTENCES[lang], lang=lang, voice=voice)

    assert speech.sample_rate == 22050
    assert speech.samples.dtype == np.float32
    assert speech.phonemes and speech.words
    for items in (speech.phonemes, speech.words):
        for item in items:
            assert 0.0 <= item.start < item.end <= speech.duration
        for before, after in itertools.pairwise(items):
            assert before.end <= after.start + 1e-9
    assert all(p.ipa for p in speech.phonemes)


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("voice", ["woman", "older_man"])
def test_pause_in_timeline_matches_silence_in_audio(lang: str, voice: str) -> None:
    """The gap after the first sentence is where the audio is silent, within 20 ms."""
    speech = speak(SENTENCES[lang], lang=lang, voice=voice)
    gap_start, gap_end = longest_gap(speech)

    silent_from, silent_to = silence_around(speech, (gap_start + gap_end) / 2)

    assert gap_end - gap_start > 0.1
    assert abs(silent_from - gap_start) <= 0.020
    assert abs(silent_to - gap_end) <= 0.020


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_phonemes_are_voiced_where_the_audio_is_loud(lang: str) -> None:
    speech = speak(SENTENCES[lang], lang=lang, voice="man")
    level = envelope_db(speech.samples, speech.sample_rate)

    def covered(t: float) -> bool:
        return any(p.start <= t < p.end for p in speech.phonemes)

    loud_frames = [i * 0.005 + 0.0025 for i in np.flatnonzero(level > -25)]
    uncovered = [t for t in loud_frames if not covered(t)]
    assert len(uncovered) <= 0.02 * len(loud_frames)


def test_women_speak_higher_than_men_and_older_voices_are_lower_and_slower() -> None:
    text = SENTENCES["en"]
    speeches = {voice: speak(text, lang="en", voice=voice) for voice in VOICES}
    pitch = {voice: median_f0(s.samples, s.sample_rate) for voice, s in speeches.items()}

    assert pitch["woman"] > 1.6 * pitch["man"]
    assert pitch["older_woman"] > 1.3 * pitch["man"]
    assert pitch["older_woman"] < 0.85 * pitch["woman"]
    assert pitch["older_man"] < 0.95 * pitch["man"]
    assert speeches["older_woman"].duration > 1.1 * speeches["woman"].duration
    assert speeches["older_man"].duration > 1.1 * speeches["man"].duration


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_lower_rate_speaks_slower(lang: str) -> None:
    normal = speak(SENTENCES[lang], lang=lang, voice="woman")
    slow = speak(SENTENCES[lang], lang=lang, voice="woman", rate=0.6)
    fast = speak(SENTENCES[lang], lang=lang, voice="woman", rate=1.4)

    assert slow.duration > 1.3 * normal.duration
    assert fast.duration < 0.85 * normal.duration
    assert [p.ipa for p in slow.phonemes] == [p.ipa for p in normal.phonemes]


def test_words_keep_the_written_text_and_cover_their_phonemes() -> None:
    text = "사과 2개에 5,000원이에요. 3시 30분에 만나요!"
    speech = speak(text, lang="ko", voice="woman")

    assert [w.text for w in speech.words] == text.split()
    assert speech.spoken_text == "사과 두 개에 오천 원이에요. 세 시 삼십 분에 만나요!"
    for phoneme in speech.phonemes:
        owners = [w for w in speech.words if w.start <= phoneme.start < w.end]
        assert len(owners) == 1
    money = speech.words[2]
    inside = [p.ipa for p in speech.phonemes if money.start <= p.start < money.end]
    # 오천 원이에요: o tɕʰ ʌ n w ʌ n i e j o
    assert inside[:4] == ["o", "tɕʰ", "ʌ", "n"]
    assert "w" in inside


def test_korean_words_missing_from_espeak_events_still_get_their_own_time() -> None:
    """espeak drops some Korean word events (here 만나서); each word still gets a share."""
    text = "저는 김민수입니다, 만나서 반갑습니다."
    speech = speak(text, lang="ko", voice="man")

    durations = [w.end - w.start for w in speech.words]
    assert [w.text for w in speech.words] == text.split()
    assert min(durations) > 0.2
    meet = speech.words[2]
    first = next(p for p in speech.phonemes if p.start >= meet.start)
    assert first.ipa == "m"


def test_english_word_times_follow_espeak_word_events() -> None:
    speech = speak("My name is John.", lang="en", voice="woman")

    first_units = []
    for word in speech.words:
        first_units.append(next(p.ipa for p in speech.phonemes if p.start >= word.start))
    assert first_units == ["m", "n", "ɪ", "dʒ"]


def test_korean_consonants_come_out_as_plain_ipa() -> None:
    assert [p.ipa for p in speak("까치", lang="ko", voice="woman").phonemes][0] == "k\u0348"
    assert [p.ipa for p in speak("타다", lang="ko", voice="woman").phonemes][0] == "tʰ"
    assert [p.ipa for p in speak("차다", lang="ko", voice="woman").phonemes][0] == "tɕʰ"


@pytest.mark.parametrize(
    ("raw", "lang", "units"),
    [
        ("ˈaɪ", "en", ["aɪ"]),
        ("tʃ", "en", ["tʃ"]),
        ("ˈiː", "en", ["i"]),
        ("əl", "en", ["ə", "l"]),
        ("ˌeə", "en", ["eə"]),
        ("", "en", []),
        ("s-", "ko", ["s\u0348"]),
        ("q", "ko", ["k"]),
        ("kh", "ko", ["kʰ"]),
        ("ɫ", "ko", ["l"]),
        ("ˈɐ", "ko", ["ɐ"]),
    ],
)
def test_espeak_phoneme_strings_become_single_ipa_units(
    raw: str, lang: str, units: list[str]
) -> None:
    assert clean_event(raw, lang) == units


def test_split_units_keeps_modifiers_with_their_consonant() -> None:
    assert split_units("tɕʰa") == ["tɕʰ", "a"]
    assert split_units("k\u0348oʊ") == ["k\u0348", "oʊ"]


def test_no_stress_or_length_marks_reach_the_timeline() -> None:
    speech = speak("The seashore is beautiful, isn't it?", lang="en", voice="older_woman")
    joined = "".join(p.ipa for p in speech.phonemes)
    assert not set("ˈˌː-") & set(joined)
    assert "ʃ" in joined


def test_speaking_from_many_threads_gives_the_same_speech() -> None:
    """espeak's pauses vary by a few ms between runs, so compare phonemes and length."""
    texts = [SENTENCES["ko"], SENTENCES["en"]] * 3
    langs = ["ko", "en"] * 3
    expected = [speak(t, lang=lang, voice="man") for t, lang in zip(texts, langs, strict=True)]
    results: list = [None] * len(texts)

    def work(i: int) -> None:
        results[i] = speak(texts[i], lang=langs[i], voice="man")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(texts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for got, want in zip(results, expected, strict=True):
        assert [p.ipa for p in got.phonemes] == [p.ipa for p in want.phonemes]
        assert abs(got.duration - want.duration) < 0.05


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"text": "   "}, ERROR_EMPTY_TEXT),
        ({"text": "가" * 501}, ERROR_TEXT_TOO_LONG),
        ({"lang": "ja"}, "Unsupported language 'ja'"),
        ({"voice": "child"}, "Unknown voice 'child'"),
        ({"rate": 0.4}, "Speaking rate must be between 0.5 and 1.5"),
        ({"rate": 1.6}, "Speaking rate must be between 0.5 and 1.5"),
        ({"backend": "festival"}, "Unknown speech backend 'festival'"),
    ],
)
def test_bad_requests_are_refused_with_a_specific_message(kwargs: dict, message: str) -> None:
    request = {"text": "안녕하세요", "lang": "ko", "voice": "woman", **kwargs}
    text = request.pop("text")
    with pytest.raises(EngineError, match=message.replace(".", r"\.")):
        speak(text, **request)


def test_five_hundred_characters_are_accepted() -> None:
    speech = speak("가나다라 " * 100, lang="ko", voice="woman")
    assert speech.duration > 5
