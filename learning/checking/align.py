"""Sequence alignment and edit-distance scores used by the checker.

Plain edit distances come from rapidfuzz (fast, exact Levenshtein). Word feedback needs
an alignment that prefers identical, then look-alike, then similar units, which a
plain Levenshtein cannot express, so a small weighted dynamic programme does that.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

from rapidfuzz.distance import Levenshtein

T = TypeVar("T")

Pair = tuple[int | None, int | None]
"""(answer index, input index); None on one side is a deletion or an insertion."""

_INDEL = 1.0


def align(
    answer: Sequence[T], given: Sequence[T], substitution: Callable[[T, T], float]
) -> list[Pair]:
    """Cheapest alignment of `answer` with `given` (insert/delete 1, substitution as given).

    Substitution costs must lie in [0, 2) so that a substitution beats a deletion plus
    an insertion. Common prefixes and suffixes are matched first, which never loses
    optimality and keeps the quadratic part small for mostly-right answers.
    """
    head = 0
    while head < min(len(answer), len(given)) and answer[head] == given[head]:
        head += 1
    tail = 0
    while (
        tail < min(len(answer), len(given)) - head
        and answer[len(answer) - 1 - tail] == given[len(given) - 1 - tail]
    ):
        tail += 1
    middle = _align_dp(
        answer[head : len(answer) - tail], given[head : len(given) - tail], substitution
    )
    pairs: list[Pair] = [(i, i) for i in range(head)]
    pairs += [(None if a is None else a + head, None if g is None else g + head) for a, g in middle]
    pairs += [(len(answer) - tail + k, len(given) - tail + k) for k in range(tail)]
    return pairs


def _align_dp(
    answer: Sequence[T], given: Sequence[T], substitution: Callable[[T, T], float]
) -> list[Pair]:
    rows, cols = len(answer), len(given)
    cost = [[0.0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(1, rows + 1):
        cost[i][0] = i * _INDEL
    for j in range(1, cols + 1):
        cost[0][j] = j * _INDEL
    for i in range(1, rows + 1):
        above, here, a = cost[i - 1], cost[i], answer[i - 1]
        for j in range(1, cols + 1):
            here[j] = min(
                above[j - 1] + substitution(a, given[j - 1]),
                above[j] + _INDEL,
                here[j - 1] + _INDEL,
            )
    pairs: list[Pair] = []
    i, j = rows, cols
    while i or j:
        if i and j and cost[i][j] == cost[i - 1][j - 1] + substitution(answer[i - 1], given[j - 1]):
            i, j = i - 1, j - 1
            pairs.append((i, j))
        elif i and cost[i][j] == cost[i - 1][j] + _INDEL:
            i -= 1
            pairs.append((i, None))
        else:
            j -= 1
            pairs.append((None, j))
    pairs.reverse()
    return pairs


def similarity(answer: Sequence[Hashable], given: Sequence[Hashable], distance: int) -> int:
    """0-100: 100 × (1 − distance / longer length), rounded down.

    Rounding down keeps 100 for exact matches only: one typo in 300 characters is 99.
    """
    longest = max(len(answer), len(given))
    if longest == 0:
        return 100
    return 100 * (longest - distance) // longest


def edit_distance(answer: Sequence[Hashable], given: Sequence[Hashable]) -> int:
    """Levenshtein distance (unit costs) between two sequences of hashable units."""
    return Levenshtein.distance(answer, given)


def spacing_differs(answer: str, given: str) -> bool:
    """True when the two texts break the same letters into words differently.

    The texts are aligned without spaces; wherever two neighbouring letters are
    aligned one-to-one (same or substituted), the word boundary between them is
    compared. Boundaries next to an inserted or deleted letter are not judged, so a
    missing or extra word does not also count as a spacing difference.
    """
    answer_letters, answer_breaks = _letters_and_breaks(answer)
    given_letters, given_breaks = _letters_and_breaks(given)
    previous: tuple[int, int] | None = None
    for op in Levenshtein.opcodes(answer_letters, given_letters):
        if op.tag in ("insert", "delete"):
            previous = None
            continue
        for k in range(op.src_end - op.src_start):
            if previous is not None:
                said_break, typed_break = previous[0] in answer_breaks, previous[1] in given_breaks
                if said_break != typed_break:
                    return True
            previous = (op.src_start + k, op.dest_start + k)
    return False


def _letters_and_breaks(text: str) -> tuple[str, set[int]]:
    """The text without spaces, and the letter indexes a word boundary follows."""
    letters: list[str] = []
    breaks: set[int] = set()
    for word in text.split(" "):
        letters.extend(word)
        breaks.add(len(letters) - 1)
    breaks.discard(len(letters) - 1)
    return "".join(letters), breaks
