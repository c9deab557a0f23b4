"""Dialogue generation for roleplays: an LLM backend and an offline composer.

No Django imports: callers pass plain values (the service layer reads settings and
picks the backend), so this package runs and tests in isolation.
"""

from __future__ import annotations

from typing import Protocol

from .composer import OfflineComposer
from .llm import LLMBackend
from .types import (
    MSG_COMPOSER_FAILED,
    MSG_LLM_INVALID,
    MSG_LLM_TIMEOUT,
    MSG_LLM_UNAVAILABLE,
    MSG_MUST_WORDS_MISSING,
    MSG_NO_SCENARIO,
    Dialogue,
    DialogueError,
    DialogueLine,
    DialogueRequest,
    InvalidDialogueRequest,
    RoleSpec,
)
from .validate import validate_dialogue


class DialogueBackend(Protocol):
    def compose(self, req: DialogueRequest) -> Dialogue: ...


def compose_dialogue(req: DialogueRequest, *, backend: DialogueBackend) -> Dialogue:
    """Write a dialogue for ``req`` with ``backend`` (LLMBackend or OfflineComposer).

    Both backends validate their own output; this entry point exists so callers do
    not depend on which one is configured.
    """
    if not isinstance(req, DialogueRequest):
        raise TypeError(f"compose_dialogue needs a DialogueRequest, got {type(req).__name__}.")
    return backend.compose(req)


__all__ = [
    "MSG_COMPOSER_FAILED",
    "MSG_LLM_INVALID",
    "MSG_LLM_TIMEOUT",
    "MSG_LLM_UNAVAILABLE",
    "MSG_MUST_WORDS_MISSING",
    "MSG_NO_SCENARIO",
    "Dialogue",
    "DialogueBackend",
    "DialogueError",
    "DialogueLine",
    "DialogueRequest",
    "InvalidDialogueRequest",
    "LLMBackend",
    "OfflineComposer",
    "RoleSpec",
    "compose_dialogue",
    "validate_dialogue",
]
