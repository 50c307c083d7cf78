"""Surface and word-alignment evidence that two sentences say the same thing.

Two sentences that state one fact keep its words, its figures and its names;
two sentences on one topic share the topic's words but each brings facts the
other lacks. What this module measures, all symmetric pairs of directed scores:

- n-gram precision of each sentence against the other (1-4 grams, the machine
  translation metrics that Madnani et al. 2012 found strong for paraphrase);
- informative-word overlap: each word weighted by how rare it is in English
  (``wordfreq``, a pip package: no corpus of ours), so "the" and "said" count
  little and a name or a figure counts much;
- soft word alignment (BERTScore-style, Zhang et al. 2020): each word matched to
  the most similar word of the other sentence through contextual token vectors
  (``token_vectors``), weighted by rarity; the weight left unmatched is the
  information only one sentence gives;
- names, figures and negations that only one sentence has, and the length gap.

Every directed score is given as the min and the max over the two directions,
so the feature vector does not depend on which sentence comes first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from manysides.lang.en import NEGATION_WORDS, STOPWORDS

TEXT_FEATURES = (
    "ngram1_min", "ngram1_max", "ngram2_min", "ngram2_max", "ngram3_min", "ngram3_max",
    "ngram4_min", "ngram4_max", "weighted_overlap_min", "weighted_overlap_max",
    "align_min", "align_max", "align_f", "align_content_min", "align_content_max",
    "name_missing_max", "name_missing_min", "figure_missing_max", "negation_count_gap",
    "length_gap", "length_log_ratio", "unsaid_weight_min", "unsaid_weight_max", "unsaid_words_min",
    "unsaid_words_max", "char_ratio", "char_token_sort", "char_token_set", "char_partial",
    "word_edit_similarity", "words_min", "words_max",
)
_WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?|\d[\d,.:/]*\d|\d")
# How alike two token vectors must be for a word to count as said by the other sentence.
ALIGN_MATCH = 0.6
# Rarity weight: 8 minus the Zipf frequency (occurrences per billion words, log10), kept in [0.5, 8].
_ZIPF_CEILING = 8.0


@lru_cache(maxsize=200_000)
def rarity(word: str) -> float:
    """Weight of a word by how rare it is in English; unknown words (names, figures) weigh most."""
    from wordfreq import zipf_frequency

    return float(min(max(_ZIPF_CEILING - zipf_frequency(word, "en"), 0.5), _ZIPF_CEILING))


@dataclass(frozen=True, slots=True)
class TextSide:
    """One sentence, read once: its words (lowercased), their weights, names, figures and token vectors."""

    words: tuple[str, ...]
    weights: np.ndarray
    content: np.ndarray  # bool per word: not a stop word
    names: frozenset[str]
    figures: frozenset[str]
    negations: int
    text: str
    ngrams: tuple[frozenset, ...]  # distinct 1- to 4-grams of ``words``
    vocabulary: frozenset[str]
    vectors: np.ndarray | None = None  # (len(words), d) L2-normalised, or None


def read_side(text: str, vectors: np.ndarray | None = None) -> TextSide:
    """``vectors``: one row per ``words(text)`` word (``token_vectors``), or None."""
    matches = list(_WORD.finditer(text))
    words = tuple(m.group().lower() for m in matches)
    names = frozenset(m.group().lower() for n, m in enumerate(matches)
                      if m.group()[0].isupper() and n > 0 and m.group().lower() not in STOPWORDS)
    figures = frozenset(w.replace(",", "") for w in words if w[0].isdigit())
    weights = np.array([rarity(w) for w in words], dtype=np.float32)
    content = np.array([w not in STOPWORDS for w in words], dtype=bool)
    negations = sum(w in NEGATION_WORDS or w.endswith("n't") for w in words)
    if vectors is not None and len(vectors) != len(words):
        vectors = None
    ngrams = tuple(frozenset(zip(*(words[i:] for i in range(n)))) for n in (1, 2, 3, 4))
    return TextSide(words, weights, content, names, figures, negations, text, ngrams, frozenset(words),
                    vectors)


def words_of(text: str) -> list[str]:
    """The words ``read_side`` reads, as written (for aligning token vectors to them)."""
    return [m.group() for m in _WORD.finditer(text)]


def word_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _WORD.finditer(text)]


def _ngram_precision(gx: frozenset, gy: frozenset) -> float:
    """Share of one side's distinct n-grams found in the other's."""
    return len(gx & gy) / len(gx) if gx else 0.0


def _best_matches(x: TextSide, y: TextSide) -> tuple[np.ndarray, np.ndarray]:
    """Per word of ``x`` and of ``y``: the best similarity to a word of the other (same word = 1)."""
    if x.vectors is not None and y.vectors is not None and len(x.words) and len(y.words):
        similarity = x.vectors @ y.vectors.T
        best_x, best_y = similarity.max(axis=1), similarity.max(axis=0)
    else:
        best_x, best_y = np.zeros(len(x.words), np.float32), np.zeros(len(y.words), np.float32)
    exact_x = np.fromiter((w in y.vocabulary for w in x.words), bool, len(x.words))
    exact_y = np.fromiter((w in x.vocabulary for w in y.words), bool, len(y.words))
    return np.where(exact_x, 1.0, best_x), np.where(exact_y, 1.0, best_y)


def _directed(x: TextSide, best: np.ndarray, shared: np.ndarray) -> tuple[float, float, float, float, int]:
    """Weighted overlap, alignment (all words, content words) and what ``x`` leaves unsaid."""
    if not x.words:
        return 0.0, 0.0, 0.0, 0.0, 0
    total = float(x.weights.sum())
    overlap = float((x.weights * shared).sum()) / total
    # a word counts as said only from ALIGN_MATCH up, and then by how alike it is
    credit = np.clip((best - ALIGN_MATCH) / (1 - ALIGN_MATCH), 0.0, 1.0)
    align = float((x.weights * credit).sum()) / total
    content_weights = x.weights * x.content
    content_total = float(content_weights.sum())
    align_content = float((content_weights * credit).sum()) / content_total if content_total else 1.0
    # absolute, since one extra clause matters in a long sentence too
    unsaid = (best < UNSAID_BELOW) & x.content
    return overlap, align, align_content, float((x.weights * unsaid).sum()), int(unsaid.sum())


def _missing(x: frozenset[str], y: frozenset[str]) -> float:
    return len(x - y) / len(x) if x else 0.0


def _pair(a: float, b: float) -> list[float]:
    return [min(a, b), max(a, b)]


def text_features(x: TextSide, y: TextSide) -> np.ndarray:
    """``TEXT_FEATURES`` for two read sentences."""
    out: list[float] = []
    for gx, gy in zip(x.ngrams, y.ngrams, strict=True):
        out += _pair(_ngram_precision(gx, gy), _ngram_precision(gy, gx))
    best_x, best_y = _best_matches(x, y)
    shared_x = np.fromiter((w in y.vocabulary for w in x.words), bool, len(x.words))
    shared_y = np.fromiter((w in x.vocabulary for w in y.words), bool, len(y.words))
    ox, ax, cx, ux, nx = _directed(x, best_x, shared_x)
    oy, ay, cy, uy, ny = _directed(y, best_y, shared_y)
    out += _pair(ox, oy)
    out += _pair(ax, ay) + [2 * ax * ay / (ax + ay) if ax + ay else 0.0]
    out += _pair(cx, cy)
    # a name is missing when the other sentence does not use the word at all (capitalised or not:
    # "Mayor Voss" and "the mayor, Voss" name the same people)
    a, b = _missing(x.names, y.vocabulary), _missing(y.names, x.vocabulary)
    out += [max(a, b), min(a, b)]
    out.append(max(_missing(x.figures, y.figures), _missing(y.figures, x.figures)))
    out.append(float(abs(x.negations - y.negations)))
    lx, ly = len(x.words), len(y.words)
    out.append(abs(lx - ly) / max(lx, ly, 1))
    out.append(abs(float(np.log((lx + 1) / (ly + 1)))))
    out += _pair(ux, uy) + _pair(nx, ny)
    out += [fuzz.ratio(x.text, y.text) / 100, fuzz.token_sort_ratio(x.text, y.text) / 100,
            fuzz.token_set_ratio(x.text, y.text) / 100, fuzz.partial_ratio(x.text, y.text) / 100]
    out.append(Levenshtein.normalized_similarity(x.words, y.words))
    out += [float(min(lx, ly)), float(max(lx, ly))]
    return np.array(out, dtype=np.float32)


# A content word counts as unsaid by the other sentence below this similarity of its best match.
UNSAID_BELOW = 0.75


def pool_to_words(text: str, offsets: Sequence[tuple[int, int]], vectors: np.ndarray) -> np.ndarray | None:
    """Average the sub-word token vectors of a transformer over each ``words_of`` word (by character
    offsets), L2-normalised; None when a word has no token."""
    spans = word_spans(text)
    if not spans:
        return None
    out = np.zeros((len(spans), vectors.shape[1]), dtype=np.float32)
    counts = np.zeros(len(spans))
    w = 0
    for (start, end), row in zip(offsets, vectors, strict=False):
        if end <= start:
            continue  # special tokens
        while w < len(spans) and spans[w][1] <= start:
            w += 1
        if w == len(spans):
            break
        if start < spans[w][1] and end > spans[w][0]:
            out[w] += row
            counts[w] += 1
    if (counts == 0).any():
        return None
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return out / norms
