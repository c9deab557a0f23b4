"""Sentences that carry a learner's must-word, chosen by word class from the phrase bank.

Every must-line comes with a short reply for the other role, so a line can be
inserted into a library conversation as a pair without breaking the A/B turn order.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from . import korean
from .phrasebank import load_phrasebank

_SLOT = re.compile(r"\{(?P<slot>[wab])(?:_(?P<form>polite|stem|art))?(?::(?P<pair>[^}]+))?\}")
_EN_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_KO_EXPRESSION_ENDINGS = ("요", "니다", "니까", "까", "죠", "네", "!", "?", ".")
_PAIR_CLASS = {
    "noun": "noun",
    "noun_plural": "noun",
    "noun_mass": "noun",
    "verb": "verb",
    "adjective": "adjective",
    "feeling": "feeling",
}


@dataclass(frozen=True)
class MustLine:
    """A line that contains ``words`` and the other speaker's reply to it."""

    text: str
    reply: str
    words: tuple[str, ...]


def stable_index(seed: str, size: int) -> int:
    """A deterministic choice: Python's ``hash`` of a str changes from run to run."""
    digest = hashlib.sha256(seed.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % size


def word_class(word: str, language: str) -> str:
    """Phrase-bank class of a must-word: noun, verb, adjective, expression, phrase..."""
    if language == "ko":
        if korean.is_predicate(word):
            return "adjective" if korean.is_adjective(word) else "verb"
        if word.endswith(_KO_EXPRESSION_ENDINGS):
            return "expression"
        return "noun"
    return _english_class(word)


def _english_class(word: str) -> str:
    bank = load_phrasebank("en")
    if not _EN_WORD.fullmatch(word):
        return "phrase"
    lower = word.lower()
    if lower in bank["nouns"]:
        return "noun_plural" if _looks_plural(lower) else "noun"
    if lower in bank["mass_nouns"]:
        return "noun_mass"
    if lower in bank["feelings"]:
        return "feeling"
    if lower in bank["adjectives"]:
        return "adjective"
    if lower in bank["verbs"]:
        return "verb"
    if len(lower) > 4 and lower.endswith("ly"):
        return "adverb"
    if len(lower) > 5 and lower.endswith("ing"):
        return "verb_ing"
    if len(lower) > 4 and lower.endswith("ed"):
        return "verb_ed"
    return "noun_plural" if _looks_plural(lower) else "noun"


def _looks_plural(lower: str) -> bool:
    return len(lower) > 3 and lower.endswith("s") and not lower.endswith(("ss", "us", "is"))


def with_article(word: str) -> str:
    """ "a menu", "an apple", "an hour", "a university"."""
    bank = load_phrasebank("en")
    lower = word.lower()
    if any(lower.startswith(w) for w in bank["an_words"]):
        return f"an {word}"
    if any(lower.startswith(w) for w in bank["a_words"]):
        return f"a {word}"
    return f"{'an' if lower[:1] in 'aeiou' else 'a'} {word}"


def _slot_value(word: str, form: str | None, pair: str | None, language: str) -> str:
    if form == "polite":
        value = korean.polite(word)
    elif form == "stem":
        value = korean.stem(word)
    elif form == "art":
        value = with_article(word)
    else:
        value = word
    return korean.with_particle(value, pair) if pair else value


def fill(template: str, slots: dict[str, str], language: str) -> str:
    """Fill ``{w}``, ``{w:을/를}``, ``{a_stem}``, ``{w_art}`` placeholders and tidy the end."""

    def replace(match: re.Match[str]) -> str:
        word = slots[match["slot"]]
        return _slot_value(word, match["form"], match["pair"], language)

    return finish_sentence(_SLOT.sub(replace, template))


def finish_sentence(text: str) -> str:
    """One closing mark: "I wanted to say: thanks!." → "...thanks!"; bare text gets a period."""
    text = re.sub(r"([.!?])[.!?]+$", r"\1", text.strip())
    return text if text.endswith((".", "!", "?", "~")) else text + "."


def single_line_options(word: str, language: str) -> list[MustLine]:
    """All template renderings for one word (the composer picks one, or the one that fits)."""
    bank = load_phrasebank(language)
    templates = bank["templates"][word_class(word, language)]
    return [
        MustLine(fill(t["line"], {"w": word}, language), t["reply"], (word,)) for t in templates
    ]


def build_line(words: Sequence[str], language: str, seed: str) -> MustLine:
    """One line holding every word in ``words`` (one or two usually), chosen by ``seed``."""
    if not words:
        raise ValueError("A must-line needs at least one word.")
    if len(words) == 1:
        options = single_line_options(words[0], language)
        return options[stable_index(f"{seed}|{words[0]}", len(options))]
    if len(words) == 2:
        classes = {_PAIR_CLASS.get(word_class(w, language)) for w in words}
        pair_class = classes.pop() if len(classes) == 1 else None
        templates = load_phrasebank(language)["pair_templates"].get(pair_class or "", [])
        if templates:
            t = templates[stable_index(f"{seed}|{'|'.join(words)}", len(templates))]
            text = fill(t["line"], {"a": words[0], "b": words[1]}, language)
            return MustLine(text, t["reply"], tuple(words))
    parts = [build_line([w], language, seed) for w in words]
    return MustLine(" ".join(p.text for p in parts), parts[0].reply, tuple(words))
