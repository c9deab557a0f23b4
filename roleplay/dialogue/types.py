"""Plain value types shared by the dialogue backends.

The package takes and returns these dataclasses instead of Django models so the
generator can be tested (and run on a worker) without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LANGUAGES = ("ko", "en")


def _(text: str) -> str:
    """Marks a message for translation (extracted by makemessages; translated where shown)."""
    return text


MAX_MUST_WORDS = 10
MAX_MUST_WORD_CHARS = 30
MIN_LINES = 6
MAX_LINES = 10
MAX_KO_CHARS = 60
MAX_EN_WORDS = 15

# Learner-facing messages (English; the UI translates them). Tests reuse these constants.
MSG_LLM_TIMEOUT = _("The writing service did not answer in time. Please try again in a minute.")
MSG_LLM_UNAVAILABLE = _(
    "The writing service is not available right now. Please try again in a few minutes."
)
MSG_LLM_INVALID = _(
    "The writing service returned a conversation we could not use. Please try again, "
    "perhaps with a simpler description."
)
MSG_MUST_WORDS_MISSING = _(
    "We could not write a conversation that uses all of your words. "
    "Please try again or change some of the words."
)
MSG_NO_SCENARIO = _("There is no conversation in the library for this language yet.")
MSG_COMPOSER_FAILED = _("We could not put together a conversation for this situation.")


class DialogueError(Exception):
    """A dialogue could not be produced; ``message`` is safe to show to the learner.

    ``code`` lets callers branch (and translate) without parsing text; ``detail``
    carries technical context for logs, never for the learner.
    """

    def __init__(self, code: str, message: str, detail: str = "") -> None:
        super().__init__(code, message, detail)  # all three, so pickling round-trips
        self.code = code
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return f"{self.code}: {self.message}" + (f" ({self.detail})" if self.detail else "")


class InvalidDialogueRequest(ValueError):
    """The request itself is malformed (a programming or validation error upstream)."""


@dataclass(frozen=True)
class RoleSpec:
    name: str
    description: str = ""
    voice: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise InvalidDialogueRequest("A role needs a non-empty name.")


@dataclass(frozen=True)
class DialogueRequest:
    """What the learner asked for; collections are normalised to tuples."""

    title: str
    description: str
    language: str
    roles: tuple[RoleSpec, RoleSpec]
    must_words: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.language not in LANGUAGES:
            raise InvalidDialogueRequest(
                f"Unsupported language {self.language!r}; expected one of {LANGUAGES}."
            )
        if not isinstance(self.title, str) or not self.title.strip():
            raise InvalidDialogueRequest("The situation needs a title.")
        if not isinstance(self.description, str):
            raise InvalidDialogueRequest("The description must be text.")
        roles = tuple(self.roles)
        if len(roles) != 2 or not all(isinstance(r, RoleSpec) for r in roles):
            raise InvalidDialogueRequest("A dialogue needs exactly two roles (RoleSpec).")
        words = tuple(w.strip() if isinstance(w, str) else w for w in self.must_words)
        if len(words) > MAX_MUST_WORDS:
            raise InvalidDialogueRequest(f"At most {MAX_MUST_WORDS} must-words are allowed.")
        for word in words:
            if not isinstance(word, str) or not word:
                raise InvalidDialogueRequest("Must-words must be non-empty text.")
            if len(word) > MAX_MUST_WORD_CHARS:
                raise InvalidDialogueRequest(
                    f"The must-word {word[:20]!r}... is longer than {MAX_MUST_WORD_CHARS} "
                    "characters."
                )
        if len({w.casefold() for w in words}) != len(words):
            raise InvalidDialogueRequest("Each must-word may appear only once.")
        object.__setattr__(self, "roles", roles)
        object.__setattr__(self, "must_words", words)


@dataclass(frozen=True)
class DialogueLine:
    role: int
    text: str


@dataclass
class Dialogue:
    emoji: str
    lines: list[DialogueLine]
