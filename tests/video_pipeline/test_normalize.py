from __future__ import annotations

import pytest

from video_pipeline.engine.speech.normalize import normalize, say_text
from video_pipeline.engine.speech.normalize_ko import native
from video_pipeline.engine.types import EngineError


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("3시 30분", "세 시 삼십 분"),
        ("5,000원", "오천 원"),
        ("10%", "십 퍼센트"),
        ("2개", "두 개"),
        ("두 명", "두 명"),
        ("사과 2 개 주세요", "사과 두 개 주세요"),
        ("1명", "한 명"),
        ("4마리", "네 마리"),
        ("20살", "스무 살"),
        ("21살이에요", "스물한 살이에요"),
        ("커피 3잔", "커피 세 잔"),
        ("맥주 2병", "맥주 두 병"),
        ("책 5권", "책 다섯 권"),
        ("종이 10장", "종이 열 장"),
        ("1번째", "첫 번째"),
        ("2번째", "두 번째"),
        ("3번 출구", "삼 번 출구"),
        ("12시", "열두 시"),
        ("13시", "십삼 시"),
        ("3시에 만나요", "세 시에 만나요"),
        ("15분", "십오 분"),
        ("5층", "오 층"),
        ("2024년 3월 15일", "이천이십사 년 삼 월 십오 일"),
        ("6월 10월", "유월 시월"),
        ("101호", "백일 호"),
        ("100명", "백 명"),
        ("0개", "영 개"),
        ("7:05", "일곱 시 오 분"),
        ("12:00", "열두 시"),
        ("₩12,000", "만 이천 원"),
        ("$5", "오 달러"),
        ("3.5%", "삼 점 오 퍼센트"),
        ("-5도", "마이너스 오 도"),
        ("3~4개", "세 개에서 네 개"),
        ("010-1234-5678", "공일공 일이삼사 오육칠팔"),
        ("5,000원이에요.", "오천 원이에요."),
        ("(5개)", "(다섯 개)"),
        ("안녕하세요!", "안녕하세요!"),
    ],
)
def test_korean_numbers_are_read_as_people_say_them(written: str, spoken: str) -> None:
    assert say_text(written, "ko") == spoken


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("$5", "five dollars"),
        ("$5.50", "five dollars and fifty cents"),
        ("$1", "one dollar"),
        ("$0.25", "twenty-five cents"),
        ("$1,000,000", "one million dollars"),
        ("£3.01", "three pounds and one penny"),
        ("10%", "ten percent"),
        ("100%.", "one hundred percent."),
        ("3:30", "three thirty"),
        ("7:05", "seven oh five"),
        ("3:00", "three o'clock"),
        ("3:30pm", "three thirty P M"),
        ("1st", "first"),
        ("22nd", "twenty-second"),
        ("3rd floor", "third floor"),
        ("1999", "nineteen ninety-nine"),
        ("1990s", "nineteen nineties"),
        ("1,999", "one thousand nine hundred and ninety-nine"),
        ("42", "forty-two"),
        ("3.14", "three point one four"),
        ("-5", "minus five"),
        ("5-10", "five to ten"),
        ("$5-$10", "five dollars to ten dollars"),
        ("555-1234", "five five five, one two three four"),
        ("It costs $5.", "It costs five dollars."),
        ("($5)", "(five dollars)"),
        ("Born in 1987, I think.", "Born in nineteen eighty-seven, I think."),
        ("No numbers here.", "No numbers here."),
    ],
)
def test_english_numbers_are_read_as_people_say_them(written: str, spoken: str) -> None:
    assert say_text(written, "en") == spoken


def test_each_written_token_keeps_what_was_said_for_it() -> None:
    result = normalize("커피 2잔에 9,000원이에요.", "ko")

    assert result.written == "커피 2잔에 9,000원이에요."
    assert result.tokens == [
        ("커피", "커피"),
        ("2잔에", "두 잔에"),
        ("9,000원이에요.", "구천 원이에요."),
    ]
    assert result.spoken == "커피 두 잔에 구천 원이에요."


def test_spoken_text_is_the_tokens_joined() -> None:
    result = normalize("Meet me at 3:30 on the 2nd, it's $5.50!", "en")

    assert result.spoken == " ".join(spoken for _, spoken in result.tokens)
    assert [written for written, _ in result.tokens] == result.written.split()


@pytest.mark.parametrize(
    ("number", "attributive", "word"),
    [
        (1, False, "하나"),
        (1, True, "한"),
        (20, False, "스물"),
        (20, True, "스무"),
        (99, True, "아흔아홉"),
    ],
)
def test_native_korean_numerals(number: int, attributive: bool, word: str) -> None:
    assert native(number, attributive=attributive) == word


def test_native_numerals_outside_one_to_ninety_nine_are_refused() -> None:
    with pytest.raises(ValueError, match="1-99"):
        native(100, attributive=True)


def test_unknown_language_is_refused() -> None:
    with pytest.raises(EngineError, match="Unsupported language 'fr'"):
        normalize("1", "fr")
