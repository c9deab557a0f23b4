"""English numbers as spoken: money, times, percentages, ordinals and years.

Choices a reader would make, written down:

* "$5.50" → "five dollars and fifty cents"; "$1" → "one dollar"; "$0.25" →
  "twenty-five cents". Pounds and euros alike.
* "3:30" → "three thirty", "7:05" → "seven oh five", "3:00" → "three o'clock".
* A bare four-digit number from 1100 to 2099 without a thousands comma is read as
  a year ("1999" → "nineteen ninety-nine"); write "1,999" for the quantity.
* "555-1234" is a phone number, read digit by digit; "5-10" is a range ("five to ten").
* "1990s" → "nineteen nineties"; "1st" → "first"; "-5" → "minus five".
"""

from __future__ import annotations

import re

from num2words import num2words

NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
CURRENCIES = {
    "$": ("dollar", "dollars", "cent", "cents"),
    "£": ("pound", "pounds", "penny", "pence"),
    "€": ("euro", "euros", "cent", "cents"),
    "₩": ("won", "won", "", ""),
    "¥": ("yen", "yen", "", ""),
}
TIME = re.compile(r"(?<![\d:])(\d{1,2}):(\d{2})(?![\d:])(\s?[ap]\.?m\.?)?", re.IGNORECASE)
MONEY = re.compile(rf"([$£€₩¥])({NUMBER})")
ORDINAL = re.compile(r"(?<![\d.])(\d+)(st|nd|rd|th)\b", re.IGNORECASE)
DECADE = re.compile(r"(?<![\d,.])(1[1-9]|20)(\d0)'?s\b")
PERCENT = re.compile(rf"((?<!\S)-)?({NUMBER})\s?%")
PLAIN = re.compile(rf"((?<!\S)-)?({NUMBER})")
RANGE = re.compile(r"(?<=\d)\s?[~–-]\s?(?=[$£€\d])")
PHONE = re.compile(r"(?<![\d-])(?:(\d{3})-)?(\d{3})-(\d{4})(?![\d-])")
DIGIT_WORDS = ("oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
YEAR = re.compile(r"1[1-9]\d\d|20\d\d")


def cardinal(value: str) -> str:
    """Words for a written number ("5,000" → "five thousand", "3.14" → "three point one four")."""
    plain = value.replace(",", "")
    if "." in plain:
        whole, fraction = plain.split(".", 1)
        digits = " ".join(str(num2words(int(d), lang="en")) for d in fraction)
        return f"{cardinal(whole)} point {digits}"
    return str(num2words(int(plain), lang="en")).replace(",", "")


def year(value: str) -> str:
    return str(num2words(int(value), lang="en", to="year")).replace(",", "")


def _money(match: re.Match) -> str:
    one, many, sub_one, sub_many = CURRENCIES[match.group(1)]
    plain = match.group(2).replace(",", "")
    whole, _, fraction = plain.partition(".")
    units = int(whole or "0")
    cents = int((fraction + "00")[:2]) if fraction and sub_one else 0
    if fraction and not sub_one:
        return f" {cardinal(plain)} {many} "
    parts = []
    if units or not cents:
        parts.append(f"{cardinal(str(units))} {one if units == 1 else many}")
    if cents:
        parts.append(f"{cardinal(str(cents))} {sub_one if cents == 1 else sub_many}")
    return " " + " and ".join(parts) + " "


def _time(match: re.Match) -> str:
    hour, minute = int(match.group(1)), int(match.group(2))
    words = [cardinal(str(hour))]
    if minute == 0:
        words.append("o'clock" if not match.group(3) else "")
    elif minute < 10:
        words.append(f"oh {cardinal(str(minute))}")
    else:
        words.append(cardinal(str(minute)))
    if match.group(3):
        words.append(" ".join(match.group(3).lower().replace(".", "").strip().upper()))
    return " " + " ".join(w for w in words if w) + " "


def _phone(match: re.Match) -> str:
    groups = [g for g in match.groups() if g]
    return " " + ", ".join(" ".join(DIGIT_WORDS[int(d)] for d in g) for g in groups) + " "


def _decade(match: re.Match) -> str:
    spoken = year(match.group(1) + match.group(2))
    spoken = spoken[:-1] + "ies" if spoken.endswith("y") else spoken + "s"
    return f" {spoken} "


def _number(sign: str | None, value: str) -> str:
    prefix = "minus " if sign else ""
    if not sign and YEAR.fullmatch(value):
        return f" {year(value)} "
    return f" {prefix}{cardinal(value)} "


def say_token(token: str, following: str = "") -> str:
    """Spoken form of one written token (``following`` is unused in English)."""
    if not any(ch.isdigit() for ch in token):
        return token
    text = PHONE.sub(_phone, token)
    text = TIME.sub(_time, text)
    text = RANGE.sub(" to ", text)
    text = MONEY.sub(_money, text)
    text = ORDINAL.sub(lambda m: f" {num2words(int(m.group(1)), lang='en', to='ordinal')} ", text)
    text = DECADE.sub(_decade, text)
    text = PERCENT.sub(
        lambda m: f" {'minus ' if m.group(1) else ''}{cardinal(m.group(2))} percent ", text
    )
    text = PLAIN.sub(lambda m: _number(m.group(1), m.group(2)), text)
    return " ".join(text.split())
