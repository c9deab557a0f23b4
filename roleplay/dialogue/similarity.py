"""Character n-gram TF-IDF, enough to match a learner's situation to a library scenario.

Character n-grams cope with Korean particles (커피를 ~ 커피) and English inflections
(ordering ~ orders) without a morphological analyser.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

import numpy as np

_TOKEN = re.compile(r"\w+")


def normalise(text: str) -> str:
    """Casefolded, accents removed from Latin letters (café → cafe), Hangul kept whole."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped)


def features(text: str) -> Counter[str]:
    """Whole words plus padded character bigrams and trigrams of each word."""
    counts: Counter[str] = Counter()
    for token in _TOKEN.findall(normalise(text)):
        counts[f"w:{token}"] += 1
        padded = f" {token} "
        for n in (2, 3):
            for i in range(len(padded) - n + 1):
                gram = padded[i : i + n]
                if gram.strip():
                    counts[gram] += 1
    return counts


class TfidfIndex:
    """Cosine similarity between a query and a fixed set of documents."""

    def __init__(self, documents: Sequence[str]) -> None:
        if not documents:
            raise ValueError("TfidfIndex needs at least one document.")
        doc_features = [features(d) for d in documents]
        df: Counter[str] = Counter()
        for feats in doc_features:
            df.update(feats.keys())
        self._vocab = {term: i for i, term in enumerate(sorted(df))}
        n = len(documents)
        self._idf = np.array(
            [math.log((1 + n) / (1 + df[t])) + 1.0 for t in sorted(df)], dtype=np.float64
        )
        self._matrix = np.vstack([self._vector(f) for f in doc_features])

    def _vector(self, feats: Counter[str]) -> np.ndarray:
        vec = np.zeros(len(self._vocab), dtype=np.float64)
        for term, count in feats.items():
            index = self._vocab.get(term)
            if index is not None:
                vec[index] = 1.0 + math.log(count)
        vec *= self._idf
        norm = np.linalg.norm(vec)
        return vec / norm if norm else vec

    def scores(self, query: str) -> np.ndarray:
        """Cosine similarity of ``query`` to every document, in document order."""
        return self._matrix @ self._vector(features(query))
