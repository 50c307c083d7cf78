"""Batch story clustering, for inputs whose articles are all at hand (``analyze``, ``stories``).

With every article known there is no need to decide in publication order. Each pair of articles
gets the probability that both report one event, from a logistic model over the cosines of
four TF-IDF views (words, entities, title, numbers), the days between them, and the pair's word
cosine against each article's closest other (reports of one event are each other's best match;
reports of two events of one kind are merely alike). ``bench/train_stories.py`` fits it on gold
pairs of the training streams. Average-link
agglomerative clustering then merges groups while the mean probability over all their cross
pairs clears the model's threshold: one stray similar pair cannot chain two events together,
as it can for the online pass.

Pairs are scored a block of rows at a time and only those above a small floor are kept, so
memory follows the number of plausible pairs, not the square of the input; a pair left out
counts as probability 0 in the averages.
"""

from __future__ import annotations

import heapq
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from manysides.stories.features import StorySignals
from manysides.stories.online import weights_text

PAIR_FEATURES = ("words", "entities", "title", "numbers", "within_days", "within_weeks", "both_dated",
                 "words_vs_best")
VIEWS = ("words", "entities", "title", "numbers")
ROW_BLOCK = 256  # rows scored at once: a block x n dense matrix per feature
# Document frequencies of a small batch say little (in five articles on one event its names are
# "common"), so English background frequencies (``wordfreq``) stand in as this many pseudo
# documents; a big batch outweighs them and its own frequencies lead.
BACKGROUND_DOCUMENTS = 200.0
WORDS_PER_DOCUMENT = 500.0  # turns a word's share of English text into a share of documents
# A pair is also judged against each article's closest other ("words_vs_best"); in a tiny input
# that closest other may be a stranger, so the bar never drops below this cosine.
BEST_FLOOR = 0.25
# One event's reports come within days of each other; two events of one kind (two quakes) are
# months or years apart. Two decays let the model weigh both scales; both fall with the gap and
# the trainer keeps their weights non-negative, so years apart never look closer than weeks.
NEAR_DAYS = 3.0
WEEKS_DAYS = 30.0


@dataclass(frozen=True)
class PairModel:
    """Probability that two articles report one event; ``threshold`` is the average-link bar."""

    weights: tuple[float, ...] = (15.0, 12.0, 2.5, 5.0, 2.0, 2.0, -4.0, 0.0)
    bias: float = -7.5
    threshold: float = 0.3
    keep_probability: float = 0.01  # pairs below this are dropped: they barely move an average

    @classmethod
    def load(cls, path: str | Path | None = None) -> PairModel:
        data = json.loads(weights_text(path)).get("pair")
        if data is None:
            return cls()
        if tuple(data["features"]) != PAIR_FEATURES:
            raise ValueError(f"pair weights were trained for features {data['features']}, not {PAIR_FEATURES}")
        return cls(weights=tuple(data["weights"]), bias=data["bias"], threshold=data["threshold"])


@lru_cache(maxsize=500_000)
def document_share(term: str) -> float:
    """About how many English documents use ``term`` (0 for names and figures it does not know)."""
    from wordfreq import word_frequency

    return min(1.0, word_frequency(term, "en") * WORDS_PER_DOCUMENT)


def view_matrices(signals: Sequence[StorySignals]) -> dict:
    """Unit-length sublinear TF-IDF rows per view (scipy CSR), document frequencies from the batch."""
    import scipy.sparse as sparse

    n = len(signals)
    matrices = {}
    for view in VIEWS:
        vocabulary: dict[str, int] = {}
        rows: list[int] = []
        columns: list[int] = []
        values: list[float] = []
        for i, item in enumerate(signals):
            for term, count in getattr(item, view).items():
                if count > 0:
                    rows.append(i)
                    columns.append(vocabulary.setdefault(term, len(vocabulary)))
                    values.append(1.0 + math.log(count))
        matrix = sparse.csr_matrix((values, (rows, columns)), shape=(n, len(vocabulary)), dtype=np.float64)
        df = np.bincount(matrix.indices, minlength=len(vocabulary))
        background = BACKGROUND_DOCUMENTS * np.array([document_share(term) for term in vocabulary])
        idf = np.log(n + BACKGROUND_DOCUMENTS + 1.0) - np.log(df + background + 1.0) + 1.0
        matrix = matrix @ sparse.diags(idf)
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        matrices[view] = (sparse.diags(1.0 / norms) @ matrix).tocsr()
    # how alike each article is to its closest other: a pair is judged against what else each has
    words = matrices["words"]
    best = np.zeros(n)
    for start in range(0, n, ROW_BLOCK):
        block = (words[start:start + ROW_BLOCK] @ words.T).toarray()
        block[np.arange(len(block)), np.arange(start, start + len(block))] = 0.0
        best[start:start + len(block)] = block.max(axis=1) if n > 1 else 0.0
    matrices["best_words"] = best
    return matrices


def pair_features(matrices: dict, times: np.ndarray, rows: slice) -> np.ndarray:
    """Features of every pair (i in ``rows``, j any), shape (rows, n, len(PAIR_FEATURES))."""
    blocks = [(matrices[view][rows] @ matrices[view].T).toarray() for view in VIEWS]
    best = matrices["best_words"]
    bar = np.maximum(np.maximum(best[rows, None], best[None, :]), BEST_FLOOR)
    words_vs_best = np.divide(blocks[0], bar, out=np.zeros_like(bar), where=bar > 0)
    gap = np.abs(times[rows, None] - times[None, :])
    dated = ~np.isnan(gap)
    gap = np.where(dated, gap, 0.0)
    within_days = np.where(dated, np.exp(-gap / NEAR_DAYS), 0.0)
    within_weeks = np.where(dated, np.exp(-gap / WEEKS_DAYS), 0.0)
    return np.stack([*blocks, within_days, within_weeks, dated.astype(np.float64), np.minimum(words_vs_best, 1.0)],
                    axis=-1)


def scored_pairs(signals: Sequence[StorySignals], model: PairModel) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(i, j, probability) for pairs i < j whose probability clears ``model.keep_probability``."""
    n = len(signals)
    matrices = view_matrices(signals)
    times = np.array([item.time for item in signals], dtype=np.float64)
    weights = np.asarray(model.weights)
    found_i, found_j, found_p = [], [], []
    for start in range(0, n, ROW_BLOCK):
        rows = slice(start, min(n, start + ROW_BLOCK))
        z = model.bias + pair_features(matrices, times, rows) @ weights
        probability = 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))
        i, j = np.nonzero(probability >= model.keep_probability)
        i += start
        upper = j > i
        found_i.append(i[upper])
        found_j.append(j[upper])
        found_p.append(probability[i[upper] - start, j[upper]])
    if not found_i:
        return np.zeros(0, int), np.zeros(0, int), np.zeros(0)
    return np.concatenate(found_i), np.concatenate(found_j), np.concatenate(found_p)


def average_link(n: int, i: np.ndarray, j: np.ndarray, probability: np.ndarray, threshold: float) -> list[int]:
    """Average-link agglomerative clustering on a sparse similarity graph; a label per item.

    The closest pair of groups (mean pair probability, absent pairs 0) merges while that mean
    clears ``threshold``. Average link is reducible, so merging the globally best pair each time
    from a heap gives the same groups as the textbook algorithm.
    """
    neighbours: list[dict[int, float]] = [{} for _ in range(n)]
    for a, b, p in zip(i.tolist(), j.tolist(), probability.tolist()):
        neighbours[a][b] = neighbours[a].get(b, 0.0) + p
        neighbours[b][a] = neighbours[b].get(a, 0.0) + p
    size = [1] * n
    alive = [True] * n
    parent = list(range(n))
    heap = [(-p, a, b) for a, b, p in zip(i.tolist(), j.tolist(), probability.tolist()) if p >= threshold]
    heapq.heapify(heap)
    while heap:
        negative, a, b = heapq.heappop(heap)
        if not (alive[a] and alive[b]):
            continue  # a merged group has a new id, so entries naming live ids are always current
        merged = len(size)
        alive[a] = alive[b] = False
        total: dict[int, float] = dict(neighbours[a])
        for other, s in neighbours[b].items():
            total[other] = total.get(other, 0.0) + s
        total.pop(a, None)
        total.pop(b, None)
        size.append(size[a] + size[b])
        alive.append(True)
        parent.append(merged)
        parent[a] = parent[b] = merged
        neighbours.append(total)
        for other, s in total.items():
            neighbours[other].pop(a, None)
            neighbours[other].pop(b, None)
            neighbours[other][merged] = s
            mean = s / (size[merged] * size[other])
            if mean >= threshold:
                heapq.heappush(heap, (-mean, min(merged, other), max(merged, other)))
        neighbours[a] = neighbours[b] = {}
    labels = []
    for item in range(n):
        root = item
        while parent[root] != root:
            root = parent[root]
        while parent[item] != root:  # path compression keeps the next look-up short
            parent[item], item = root, parent[item]
        labels.append(root)
    return labels


def cluster_all(signals: Sequence[StorySignals], model: PairModel | None = None) -> dict[int, list[str]]:
    """Stories of a batch of articles: story key -> article ids (in input order)."""
    signals = list(signals)
    if not signals:
        return {}
    model = model or PairModel.load()
    i, j, p = scored_pairs(signals, model)
    labels = average_link(len(signals), i, j, p, model.threshold)
    groups: dict[int, list[str]] = {}
    for item, label in zip(signals, labels):
        groups.setdefault(label, []).append(item.id)
    return groups
