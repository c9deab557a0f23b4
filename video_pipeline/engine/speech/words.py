"""Word times from a phoneme timeline.

Captions highlight written words, but the synthesiser only reports phonemes and —
unreliably — where words start (espeak drops some Korean word events). The method:

1. Anchors: each espeak word event names the character where a word starts and the
   first phoneme after it. Anchors that point into a spoken word are kept when they
   move strictly forward; the first word is always anchored at phoneme 0.
2. Between two anchors, the phonemes belong to the words in between. One word: all
   of them. Several words: if the stretch has exactly one pause per
   punctuation-ended word, split at the pauses first; inside each piece, share the
   phonemes in proportion to each word's expected phoneme count (Korean: jamo,
   counting y/w-glide vowels as two and silent ㅇ as none; English: letters).
3. A written token (what captions show, e.g. ``5,000원``) spans the spoken words
   it was read as (``오천 원``); a token that is not spoken (``-``) joins its
   neighbour so the words still spell out the written text.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence

from video_pipeline.engine.types import Phoneme, Word

PAUSE_PUNCTUATION = frozenset(".,!?;:…。、！？")
HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3
GLIDE_VOWELS = frozenset({2, 6, 12, 17, 3, 7, 9, 10, 14, 15, 16, 19})  # ㅑㅕㅛㅠㅒㅖㅘㅙㅝㅞㅟㅢ
SILENT_INITIAL = 11  # ㅇ


def expected_phonemes(word: str, lang: str) -> int:
    """A rough count of the phonemes ``word`` should produce (used only for sharing)."""
    count = 0
    for ch in word:
        code = ord(ch)
        if HANGUL_FIRST <= code <= HANGUL_LAST:
            initial, rest = divmod(code - HANGUL_FIRST, 588)
            vowel, final = divmod(rest, 28)
            count += (initial != SILENT_INITIAL) + 1 + (vowel in GLIDE_VOWELS) + (final > 0)
        elif ch.isalpha():
            count += 1
    return max(count, 1)


def spoken_word_spans(
    spoken: str,
    lang: str,
    phonemes: Sequence[Phoneme],
    word_marks: Sequence[tuple[int, int]],
) -> list[tuple[int, int]]:
    """For each whitespace word of ``spoken``: its phonemes as ``[first, stop)`` indices."""
    words, offsets = _words_with_offsets(spoken)
    if not words:
        return []
    anchors = [(0, 0)]
    for char_offset, phoneme_index in word_marks:
        word_index = bisect.bisect_right(offsets, char_offset) - 1
        if word_index < 0 or char_offset >= offsets[word_index] + len(words[word_index]):
            continue
        last_word, last_phoneme = anchors[-1]
        if word_index > last_word and phoneme_index > last_phoneme:
            anchors.append((word_index, phoneme_index))
    anchors.append((len(words), len(phonemes)))
    spans: list[tuple[int, int]] = []
    for (w0, p0), (w1, p1) in itertools.pairwise(anchors):
        spans.extend(_share(words[w0:w1], phonemes, p0, p1, lang))
    return spans


def written_words(
    tokens: Sequence[tuple[str, str]],
    phonemes: Sequence[Phoneme],
    spans: Sequence[tuple[int, int]],
) -> list[Word]:
    """Words as written, timed by the spoken words each token was read as."""
    timed: list[tuple[str, int, int] | None] = []  # text, first phoneme, stop
    cursor = 0
    for written, spoken in tokens:
        count = len(spoken.split())
        mine = [s for s in spans[cursor : cursor + count] if s[1] > s[0]]
        cursor += count
        if mine:
            timed.append((written, mine[0][0], mine[-1][1]))
        else:
            timed.append(None)
    # Unspoken tokens join the previous word (or the next one when they come first).
    texts = [written for written, _ in tokens]
    words: list[list] = []
    pending: list[str] = []
    for text, item in zip(texts, timed, strict=True):
        if item is None:
            if words:
                words[-1][0] += " " + text
            else:
                pending.append(text)
            continue
        words.append([" ".join([*pending, item[0]]), item[1], item[2]])
        pending = []
    if pending and words:
        words[-1][0] += " " + " ".join(pending)
    return [
        Word(text, phonemes[first].start, phonemes[stop - 1].end) for text, first, stop in words
    ]


def _words_with_offsets(text: str) -> tuple[list[str], list[int]]:
    words: list[str] = []
    offsets: list[int] = []
    index = 0
    for word in text.split():
        index = text.index(word, index)
        words.append(word)
        offsets.append(index)
        index += len(word)
    return words, offsets


def _share(
    words: Sequence[str], phonemes: Sequence[Phoneme], first: int, stop: int, lang: str
) -> list[tuple[int, int]]:
    if len(words) == 1:
        return [(first, stop)]
    gaps = [i for i in range(first + 1, stop) if phonemes[i].start > phonemes[i - 1].end + 1e-6]
    enders = [k for k, word in enumerate(words[:-1]) if word[-1] in PAUSE_PUNCTUATION]
    if gaps and len(gaps) == len(enders):
        spans: list[tuple[int, int]] = []
        bounds = [first, *gaps, stop]
        groups = [0, *[k + 1 for k in enders], len(words)]
        for i in range(len(groups) - 1):
            spans.extend(
                _proportional(words[groups[i] : groups[i + 1]], bounds[i], bounds[i + 1], lang)
            )
        return spans
    return _proportional(words, first, stop, lang)


def _proportional(words: Sequence[str], first: int, stop: int, lang: str) -> list[tuple[int, int]]:
    weights = [expected_phonemes(word, lang) for word in words]
    total = sum(weights)
    count = stop - first
    bounds = [first]
    running = 0
    for k, weight in enumerate(weights[:-1]):
        running += weight
        cut = first + round(count * running / total)
        # Keep at least one phoneme per remaining word when there are enough phonemes.
        remaining_words = len(words) - (k + 1)
        low = bounds[-1] + (1 if count >= len(words) else 0)
        high = stop - (remaining_words if count >= len(words) else 0)
        bounds.append(min(max(cut, low), high))
    bounds.append(stop)
    return list(itertools.pairwise(bounds))
