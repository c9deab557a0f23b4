"""Korean numbers as spoken: native numerals before counting words, Sino-Korean otherwise.

Korean has two number systems. Counting things, people and hours uses native
numerals in their short form before the counter ("두 명", "세 시", "스무 살");
money, minutes, floors, dates and percentages use Sino-Korean ("오천 원", "삼십 분").

* Native forms are used from 1 to 99 (hours only to 12); larger counts are read in
  Sino-Korean ("백 개"), as people do.
* "번째" counts natively ("첫 번째", "두 번째"); a bare "번" after digits is a
  number label ("3번 출구" → "삼 번"): "twice" is written "두 번" in Hangul.
* 6월 and 10월 are 유월 and 시월.
* Phone numbers are read digit by digit with 공 for 0.
"""

from __future__ import annotations

import re

from num2words import num2words

NATIVE_COUNTERS = (
    "번째",
    "시간",
    "마리",
    "그릇",
    "켤레",
    "송이",
    "가지",
    "개",
    "명",
    "시",
    "살",
    "잔",
    "병",
    "권",
    "장",
    "달",
    "대",
    "벌",
)
NATIVE_ONES = ("", "하나", "둘", "셋", "넷", "다섯", "여섯", "일곱", "여덟", "아홉")
NATIVE_TENS = ("", "열", "스물", "서른", "마흔", "쉰", "예순", "일흔", "여든", "아흔")
ATTRIBUTIVE = {"하나": "한", "둘": "두", "셋": "세", "넷": "네", "스물": "스무"}
DIGIT_NAMES = ("공", "일", "이", "삼", "사", "오", "육", "칠", "팔", "구")
SPECIAL_MONTHS = {6: "유월", 10: "시월"}
CURRENCY_PREFIX = {"₩": "원", "$": "달러", "€": "유로", "£": "파운드", "¥": "엔"}

NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
PHONE = re.compile(r"(?<!\d)(0\d{1,2})-(\d{3,4})-(\d{4})(?!\d)")
TIME = re.compile(r"(?<![\d:])(\d{1,2}):(\d{2})(?![\d:])")
MONEY = re.compile(rf"([₩$€£¥])\s?({NUMBER})")
COUNTED = re.compile(rf"((?<!\S)-)?({NUMBER})(%|[가-힣]+)?")
RANGE = re.compile(rf"({NUMBER})\s?[~∼]\s?({NUMBER})(%|[가-힣]+)?")


def native(number: int, *, attributive: bool) -> str:
    """Native numeral for 1-99; the short form when it stands before a counter."""
    if not 1 <= number <= 99:
        raise ValueError(f"native numerals cover 1-99, not {number}")
    tens, ones = divmod(number, 10)
    ten_word, one_word = NATIVE_TENS[tens], NATIVE_ONES[ones]
    if attributive:
        if one_word:
            one_word = ATTRIBUTIVE.get(one_word, one_word)
        else:
            ten_word = ATTRIBUTIVE.get(ten_word, ten_word)
    return ten_word + one_word


def sino(value: str) -> str:
    """Sino-Korean reading of a written number ("5,000" → "오천", "3.5" → "삼 점 오")."""
    plain = value.replace(",", "")
    if "." in plain:
        whole, fraction = plain.split(".", 1)
        return f"{sino(whole)} 점 {' '.join(_sino_digit(d) for d in fraction)}"
    return str(num2words(int(plain), lang="ko"))


def _sino_digit(digit: str) -> str:
    return "영" if digit == "0" else DIGIT_NAMES[int(digit)]


def _counted(sign: str | None, value: str, suffix: str | None) -> str:
    prefix = "마이너스 " if sign else ""
    if suffix == "%":
        return f"{prefix}{sino(value)} 퍼센트"
    if not suffix:
        return prefix + sino(value)
    counter = next((c for c in NATIVE_COUNTERS if suffix.startswith(c)), None)
    is_integer = "." not in value and not sign
    number = int(value.replace(",", "")) if is_integer else None
    if counter and number is not None:
        limit = 12 if counter == "시" else 99
        if counter == "번째" and number == 1:
            return "첫 " + suffix
        if 1 <= number <= limit:
            return f"{native(number, attributive=True)} {suffix}"
    if suffix.startswith("월") and number in SPECIAL_MONTHS:
        return SPECIAL_MONTHS[number] + suffix[1:]
    return f"{prefix}{sino(value)} {suffix}"


def _range(match: re.Match) -> str:
    """ "3~4개" → "세 개에서 네 개": both ends keep the counter and its number system."""
    low, high, suffix = match.groups()
    base = next((c for c in NATIVE_COUNTERS if suffix and suffix.startswith(c)), None)
    if base is None and suffix:
        base = suffix if suffix == "%" else suffix[0]
    return f" {_counted(None, low, base)}에서 {_counted(None, high, suffix)} "


def _time(match: re.Match) -> str:
    hour, minute = int(match.group(1)), int(match.group(2))
    spoken_hour = native(hour, attributive=True) if 1 <= hour <= 12 else sino(str(hour))
    if minute == 0:
        return f" {spoken_hour} 시 "
    return f" {spoken_hour} 시 {sino(str(minute))} 분 "


def say_token(token: str, following: str = "") -> str:
    """Spoken form of one written token; ``following`` is the next token (for "2 개")."""
    if not any(ch.isdigit() for ch in token):
        return token
    text = PHONE.sub(lambda m: " " + " ".join(_digits(g) for g in m.groups()) + " ", token)
    text = TIME.sub(_time, text)
    text = MONEY.sub(lambda m: f" {sino(m.group(2))} {CURRENCY_PREFIX[m.group(1)]} ", text)
    text = RANGE.sub(_range, text)
    if re.fullmatch(NUMBER, text) and following:
        counter = next((c for c in NATIVE_COUNTERS if following.startswith(c)), None)
        if counter:
            number = int(text.replace(",", "")) if "." not in text else 0
            limit = 12 if counter == "시" else 99
            if counter == "번째" and number == 1:
                return "첫"
            if 1 <= number <= limit:
                return native(number, attributive=True)
    text = COUNTED.sub(lambda m: f" {_counted(m.group(1), m.group(2), m.group(3))}", text)
    return " ".join(text.split())


def _digits(group: str) -> str:
    return "".join(DIGIT_NAMES[int(d)] for d in group)
