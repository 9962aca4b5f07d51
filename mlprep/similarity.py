"""TF-IDF cosine similarity for short texts, used to catch near-duplicate question prompts.

Pure Python plus numpy, no scikit-learn. Texts are lowercased and split into word tokens
(runs of letters and digits); tokens shorter than two characters and English stop words are
dropped. Each text becomes a vector of ``tf * idf`` with the smoothed
``idf = log((1 + N) / (1 + df)) + 1`` (N texts, df texts containing the term), L2-normalised,
so the dot product of two vectors is their cosine similarity in [0, 1].
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping

import numpy as np

TOKEN_PATTERN = re.compile(r"[a-z0-9]+")
MIN_TOKEN_LENGTH = 2

STOP_WORDS: frozenset[str] = frozenset("""
a about above after again against all also am an and any are aren as at be because been before
being below between both but by can cannot could did do does doing don down during each either else
ever every few for from further get gets got had has have having he her here hers herself him
himself his how however i if in into is isn it its itself just let may me might more most much must
my myself no nor not now of off on once only or other others our ours ourselves out over own per
rather same say says shall she should since so some such than that the their theirs them themselves
then there these they this those though through thus to too under until up upon us very was we were
what when where whether which while who whom whose why will with within without would yet you your
yours yourself yourselves one two three first ve ll re didn doesn wasn weren won
""".split())


def tokenize(text: str) -> list[str]:
    """Lowercase word tokens of at least two characters, stop words removed."""
    return [
        token
        for token in TOKEN_PATTERN.findall(text.lower())
        if len(token) >= MIN_TOKEN_LENGTH and token not in STOP_WORDS
    ]


def tfidf_matrix(texts: Iterable[str]) -> tuple[np.ndarray, list[str]]:
    """The L2-normalised TF-IDF matrix (one row per text) and its vocabulary (one column per term).

    A text with no tokens left after filtering gets an all-zero row.
    """
    counts = [Counter(tokenize(text)) for text in texts]
    vocabulary = sorted({term for count in counts for term in count})
    column = {term: index for index, term in enumerate(vocabulary)}
    n_texts = len(counts)
    doc_freq = Counter(term for count in counts for term in count)
    idf = np.array([math.log((1 + n_texts) / (1 + doc_freq[term])) + 1 for term in vocabulary], dtype=float)
    matrix = np.zeros((n_texts, len(vocabulary)), dtype=float)
    for row, count in enumerate(counts):
        for term, tf in count.items():
            matrix[row, column[term]] = tf
    matrix *= idf
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    np.divide(matrix, norms, out=matrix, where=norms > 0)
    return matrix, vocabulary


def similarity_matrix(texts: Iterable[str]) -> np.ndarray:
    """Pairwise cosine similarities of the texts' TF-IDF vectors (square, symmetric)."""
    matrix, _ = tfidf_matrix(texts)
    return np.clip(matrix @ matrix.T, 0.0, 1.0)


def all_pairs(texts: Mapping[str, str]) -> list[tuple[str, str, float]]:
    """Every unordered pair of ids with its cosine score, highest first (ties by id)."""
    ids = list(texts)
    scores = similarity_matrix(texts[i] for i in ids)
    pairs = [
        (ids[i], ids[j], float(scores[i, j]))
        for i in range(len(ids))
        for j in range(i + 1, len(ids))
    ]
    pairs.sort(key=lambda pair: (-pair[2], pair[0], pair[1]))
    return pairs


def similar_pairs(texts: dict[str, str], threshold: float) -> list[tuple[str, str, float]]:
    """Id pairs whose texts have TF-IDF cosine similarity at or above ``threshold``, highest first.

    Each pair appears once, as ``(a, b, score)`` with ``a`` before ``b`` in the input order.
    A small tolerance keeps a pair scoring exactly ``threshold`` (e.g. identical texts at 1.0)
    from being lost to floating-point rounding.
    """
    return [pair for pair in all_pairs(texts) if pair[2] >= threshold - 1e-9]
