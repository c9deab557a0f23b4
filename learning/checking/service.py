"""check_answer: compare what the learner understood with the line that was said.

Lip-reading cannot tell some sounds apart (p/b/m, ㅂ/ㅁ), so besides a plain score the
checker gives a lip_score that forgives exactly those confusions, and tells per word
whether it was right, a look-alike, wrong, missing or extra.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from diff_match_patch import diff_match_patch

from . import korean
from .align import edit_distance, similarity, spacing_differs
from .normalize import normalize_text
from .words import WordResult, english_lip_corrected, english_words, korean_words

MAX_LENGTH = 300  # the messages below say 300 too


def _(text: str) -> str:
    """Marks a message for translation (extracted by makemessages; translated where shown)."""
    return text


LANGUAGES = ("ko", "en")

INPUT_NOT_TEXT = _("The input must be text.")
INPUT_EMPTY = _("Type what you understood before checking.")
INPUT_TOO_LONG = _("The input can be at most 300 characters.")
ANSWER_NOT_TEXT = _("The answer must be text.")
ANSWER_EMPTY = _("The answer is empty.")
ANSWER_TOO_LONG = _("The answer can be at most 300 characters.")
ANSWER_NOTHING_TO_CHECK = _("The answer has no letters or digits to compare with.")
UNSUPPORTED_LANGUAGE = _("Language must be one of: ko, en.")


class CheckError(ValueError):
    """Bad input to check_answer; `field` names the argument for the API's error shape."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class CheckResult:
    """Outcome of one check; `to_dict()` is the JSON the API returns.

    diff: diff-match-patch operations from input to answer on the normalised texts:
    0 = same, -1 = typed but not in the answer, +1 = in the answer but not typed.
    """

    diff: list[tuple[int, str]]
    score: int
    lip_score: int
    words: list[WordResult]
    input_normalized: str
    answer_normalized: str
    spacing_differs: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "diff": [[op, text] for op, text in self.diff],
            "score": self.score,
            "lip_score": self.lip_score,
            "words": [word.to_dict() for word in self.words],
            "input_normalized": self.input_normalized,
            "answer_normalized": self.answer_normalized,
            "spacing_differs": self.spacing_differs,
        }


def _validated(value: object, name: str, not_text: str, empty: str, too_long: str) -> str:
    if not isinstance(value, str):
        raise CheckError(not_text, name)
    value = value.strip()
    if not value:
        raise CheckError(empty, name)
    if len(value) > MAX_LENGTH:
        raise CheckError(too_long, name)
    return value


def _diff(given: str, answer: str) -> list[tuple[int, str]]:
    dmp = diff_match_patch()
    ops = dmp.diff_main(given, answer)
    dmp.diff_cleanupSemantic(ops)
    return [(op, text) for op, text in ops]


def check_answer(*, input: str, answer: str, language: str) -> CheckResult:
    """Compare the learner's `input` with `answer` in `language` ("ko" or "en").

    Steps:
    1. Validate: both texts 1-300 characters after stripping, a supported language,
       and an answer with something left after normalisation (an input that is only
       punctuation or emoji is allowed and scores 0).
    2. Normalise both sides identically (see normalize_text).
    3. score = 100 × (1 − Levenshtein / longer length), rounded down, over characters:
       Korean without spaces (spacing is free and only reported as spacing_differs),
       English with them. It is 100 exactly when the compared texts are equal.
    4. lip_score, the same measure with look-alikes forgiven: Korean compares syllables
       by the viseme groups of their three jamo; English replaces each input word that
       looks like its aligned answer word by that word (never above the plain distance).
       Hence lip_score >= score.
    5. Per-word statuses in answer order, with extra input words where they occur.

    Digits are compared as typed: "3" and "삼" (or "three") are different words, since
    a digit has several readings (삼/세, three/third) and the answer's spelling is what
    the video says.
    """
    given = _validated(input, "input", INPUT_NOT_TEXT, INPUT_EMPTY, INPUT_TOO_LONG)
    said = _validated(answer, "answer", ANSWER_NOT_TEXT, ANSWER_EMPTY, ANSWER_TOO_LONG)
    if language not in LANGUAGES:
        raise CheckError(UNSUPPORTED_LANGUAGE, "language")
    given_norm, said_norm = normalize_text(given), normalize_text(said)
    if not said_norm:
        raise CheckError(ANSWER_NOTHING_TO_CHECK, "answer")

    if language == "ko":
        said_units, given_units = said_norm.replace(" ", ""), given_norm.replace(" ", "")
        distance = edit_distance(said_units, given_units)
        lip_distance = edit_distance(korean.lip_text(said_units), korean.lip_text(given_units))
        words = korean_words(said_norm, given_norm)
    else:
        said_units, given_units = said_norm, given_norm
        distance = edit_distance(said_units, given_units)
        words = english_words(said_norm, given_norm)
        corrected = english_lip_corrected(words)
        lip_distance = min(distance, edit_distance(said_units, corrected))

    return CheckResult(
        diff=_diff(given_norm, said_norm),
        score=similarity(said_units, given_units, distance),
        lip_score=similarity(said_units, given_units, lip_distance),
        words=words,
        input_normalized=given_norm,
        answer_normalized=said_norm,
        spacing_differs=spacing_differs(said_norm, given_norm),
    )
