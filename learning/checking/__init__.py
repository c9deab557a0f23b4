"""Lip-reading-aware answer checking (pure Python, no Django).

`check_answer(input=..., answer=..., language=...)` is the one entry point; the API
and pages wrap it.
"""

from __future__ import annotations

from .normalize import normalize_text
from .service import (
    ANSWER_EMPTY,
    ANSWER_NOT_TEXT,
    ANSWER_NOTHING_TO_CHECK,
    ANSWER_TOO_LONG,
    INPUT_EMPTY,
    INPUT_NOT_TEXT,
    INPUT_TOO_LONG,
    LANGUAGES,
    MAX_LENGTH,
    UNSUPPORTED_LANGUAGE,
    CheckError,
    CheckResult,
    check_answer,
)
from .words import WordResult

__all__ = [
    "ANSWER_EMPTY",
    "ANSWER_NOTHING_TO_CHECK",
    "ANSWER_NOT_TEXT",
    "ANSWER_TOO_LONG",
    "INPUT_EMPTY",
    "INPUT_NOT_TEXT",
    "INPUT_TOO_LONG",
    "LANGUAGES",
    "MAX_LENGTH",
    "UNSUPPORTED_LANGUAGE",
    "CheckError",
    "CheckResult",
    "WordResult",
    "check_answer",
    "normalize_text",
]
