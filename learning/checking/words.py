"""Per-word feedback: which answer words were read, read as a look-alike, or missed.

English aligns whole words. Korean learners space words freely (밥먹었어요 / 밥 먹었어요),
so Korean aligns syllables with the spaces removed and then groups the result by the
answer's words; input syllables the alignment leaves over are attached to the answer
word they touch inside one input word, and otherwise reported as extra words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rapidfuzz.distance import Levenshtein

from . import english, korean
from .align import Pair, align

Status = Literal["correct", "lip_equivalent", "wrong", "missing", "extra"]

_LIP_EQUIVALENT_COST = 0.25


@dataclass(frozen=True)
class WordResult:
    """One answer word (or one extra input word) and how the learner did on it."""

    text: str
    status: Status
    input: str | None

    def to_dict(self) -> dict[str, str | None]:
        return {"text": self.text, "status": self.status, "input": self.input}


def _english_cost(a: str, b: str) -> float:
    if a == b:
        return 0.0
    if english.lip_equivalent(a, b):
        return _LIP_EQUIVALENT_COST
    return 0.5 + Levenshtein.normalized_distance(a, b)


def english_words(answer: str, given: str) -> list[WordResult]:
    """Align the words of two normalised English texts and judge each pair."""
    answer_words, given_words = answer.split(), given.split()
    results: list[WordResult] = []
    for a, g in align(answer_words, given_words, _english_cost):
        if a is None:
            results.append(WordResult(given_words[g], "extra", given_words[g]))
        elif g is None:
            results.append(WordResult(answer_words[a], "missing", None))
        else:
            said, read = answer_words[a], given_words[g]
            if said == read:
                status: Status = "correct"
            elif english.lip_equivalent(said, read):
                status = "lip_equivalent"
            else:
                status = "wrong"
            results.append(WordResult(said, status, read))
    return results


def english_lip_corrected(words: list[WordResult]) -> str:
    """The input with every word that looks like its aligned answer word replaced by it.

    `words` is english_words' result; the edit distance of this text to the answer is
    what lip_score charges.
    """
    corrected = [
        word.text if word.status == "lip_equivalent" else word.input
        for word in words
        if word.input is not None
    ]
    return " ".join(corrected)


class _Spaced:
    """A normalised text as letters without spaces, remembering each letter's word."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.words = text.split(" ") if text else []
        self.letters = "".join(self.words)
        self.word_of: list[int] = []
        self.position: list[int] = []  # index of each letter in `text`
        at = 0
        for index, word in enumerate(self.words):
            self.word_of += [index] * len(word)
            self.position += range(at, at + len(word))
            at += len(word) + 1

    def span(self, first: int, last: int) -> str:
        return self.text[self.position[first] : self.position[last] + 1]


def korean_words(answer: str, given: str) -> list[WordResult]:
    """Judge each answer word of two normalised Korean texts, ignoring spacing."""
    said, read = _Spaced(answer), _Spaced(given)
    pairs = align(said.letters, read.letters, korean.substitution_cost)
    owner = _owners(pairs, said, read)

    order: list[int | list[int]] = []  # an answer word, or the letters of an extra word
    for a, g in pairs:
        if a is not None:
            if said.word_of[a] not in order:
                order.append(said.word_of[a])
        elif owner[g] is None:
            last = order[-1] if order else None
            if isinstance(last, list) and read.word_of[last[-1]] == read.word_of[g]:
                last.append(g)
            else:
                order.append([g])

    results: list[WordResult] = []
    for entry in order:
        if isinstance(entry, int):
            results.append(_korean_word(entry, pairs, owner, said, read))
        else:
            extra = read.span(entry[0], entry[-1])
            results.append(WordResult(extra, "extra", extra))
    return results


def _owners(pairs: list[Pair], said: _Spaced, read: _Spaced) -> list[int | None]:
    """For each input letter, the answer word it belongs to (None: an extra word).

    Aligned letters belong to their answer letter's word. Inserted letters strictly
    inside one answer word belong to it; at a word boundary they join a neighbouring
    letter of the same input word (left first, then right).
    """
    owner: list[int | None] = [None] * len(read.letters)
    previous_answer: int | None = None
    pending: list[int] = []
    for a, g in pairs:
        if a is None:
            pending.append(g)
            continue
        if (
            pending
            and previous_answer is not None
            and (said.word_of[previous_answer] == said.word_of[a])
        ):
            for letter in pending:
                owner[letter] = said.word_of[a]
        pending = []
        previous_answer = a
        if g is not None:
            owner[g] = said.word_of[a]
    last = len(owner) - 1
    forward = ((letter, letter - 1) for letter in range(1, last + 1))
    back = ((letter, letter + 1) for letter in range(last - 1, -1, -1))
    for letter, neighbour in (*forward, *back):
        if owner[letter] is None and read.word_of[neighbour] == read.word_of[letter]:
            owner[letter] = owner[neighbour]
    return owner


def _korean_word(
    word: int, pairs: list[Pair], owner: list[int | None], said: _Spaced, read: _Spaced
) -> WordResult:
    letters: list[int] = [g for g, who in enumerate(owner) if who == word]
    text = said.words[word]
    if not letters:
        return WordResult(text, "missing", None)
    exact = True
    for a, g in pairs:
        if a is None or said.word_of[a] != word:
            continue
        if g is None or not korean.lip_equivalent(said.letters[a], read.letters[g]):
            return WordResult(text, "wrong", read.span(min(letters), max(letters)))
        exact = exact and said.letters[a] == read.letters[g]
    inserted = len(letters) > sum(
        1 for a, g in pairs if a is not None and g is not None and said.word_of[a] == word
    )
    status: Status = "wrong" if inserted else "correct" if exact else "lip_equivalent"
    return WordResult(text, status, read.span(min(letters), max(letters)))
