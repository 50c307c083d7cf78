"""Lines a site template repeats across articles (and wire copy that must not count as such)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from manysides.clean.lines import normalise_line, split_lines

# Articles that share more sentence-like lines than this are copies of one
# another (wire copy reprinted by several outlets), not a site template: their
# common lines are news and must stay.
WIRE_COPY_SHARED_LINES = 4


def repeated_boilerplate(texts: Iterable[str], *, min_articles: int = 3) -> frozenset[str]:
    """Normalised lines seen in at least ``min_articles`` different articles.

    Guard against wire copy: when the articles sharing a line also share more
    than ``WIRE_COPY_SHARED_LINES`` prose lines with each other, they are the
    same story reprinted and the shared lines are not boilerplate. Short
    fragments ("Share this article", "Advertisement") are boilerplate whatever
    else is shared.
    """
    line_sets: list[set[str]] = []
    prose_keys: set[str] = set()
    for text in texts:
        keys: set[str] = set()
        for line in split_lines(text):
            key = normalise_line(line.text)
            if not key:
                continue
            keys.add(key)
            if line.sentence_like:
                prose_keys.add(key)
        line_sets.append(keys)
    counts: Counter[str] = Counter(key for keys in line_sets for key in keys)
    repeated: set[str] = set()
    for key, count in counts.items():
        if count < min_articles:
            continue
        if key not in prose_keys:
            repeated.add(key)
            continue
        holders = [keys for keys in line_sets if key in keys]
        shared = set.intersection(*holders) & prose_keys
        if len(shared) <= WIRE_COPY_SHARED_LINES:
            repeated.add(key)
    return frozenset(repeated)

