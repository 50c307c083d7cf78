"""The learned line model: is a line of plain text page junk, given its shape, words and neighbours?

Text pasted or saved from a web page has no markup left to lean on: menus,
captions, appeals and footers are lines like any other. Rules catch the junk
families they name; this model scores every line from generic evidence (shape,
length, punctuation, furniture vocabulary, position relative to the article's
prose, repetition, neighbours), so that a line like "Not ready to give today?"
right after an appeal goes with it although no rule names it.

The model is a small gradient-boosted tree ensemble trained by
``bench/train_line_classifier.py`` on the training half of the Zyte article
extraction pages rendered as text; only its numbers ship (``line_model.json``).
Features are computed here, once, for both training and use.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from manysides.clean.lines import Line, line_words, normalise_line
from manysides.clean.patterns import (
    APPEAL_WORDS,
    BULLETS,
    COPYRIGHT,
    DONATION_STRONG,
    DONATION_WEAK,
    EMAIL,
    FIRST_PERSON_PLURAL,
    HEAD_LINES,
    IMPERATIVE_STARTS,
    NAVIGATION_WORDS,
    PHOTO_CREDIT,
    READER_ADDRESS,
    SEPARATORS,
    SUBSCRIPTION_WEAK,
    TAIL_FRACTION,
    TEASER_HEADER,
    TEASER_PREFIX,
    TWITTER_HANDLE,
    URL_ONLY,
)
from manysides.clean.rules import is_dateline, is_social, judge

MODEL_PATH = Path(__file__).with_name("line_model.json")
_SENTENCE_TURN = re.compile(r"[.!?] (\w)")

FEATURES = (
    "log_words", "log_chars", "terminal", "full_stop", "lower_ratio", "capitalised_ratio", "verbish",
    "sentence_like", "headline_shaped", "digit_share", "punct_share", "separators", "all_caps", "link_or_handle",
    "bullet", "colon_end", "commas_per_word", "inner_sentences", "quoted",
    "donation_cue", "subscription_cue", "social", "navigation_share", "appeal_share", "copyright", "photo_credit",
    "teaser", "dateline", "reader_address", "we_address", "imperative", "rule_score", "rule_dropped",
    "relative_index", "relative_offset", "prose_before", "prose_after", "repeated_here", "seen_before",
    "repeated_across",
    "prose_near2", "prose_near5", "words_near2", "prev_prose", "next_prose", "prev_words", "next_words",
    "prose_distance", "short_near5",
    "in_core1", "in_core3", "in_core8", "core_distance3", "core_share3",
    "topic_overlap",
)


@dataclass(frozen=True, slots=True)
class LineScore:
    """The model's junk probability for one line and the family its evidence points at."""

    line: Line
    probability: float
    family: str


def _own_features(line: Line, rule_score: float) -> list[float]:
    text = line.text
    words = line_words(text)
    lowered = [w.lower() for w in words]
    n_chars = max(1, len(text))
    n_letters = sum(map(str.isalpha, text))
    n = max(1, len(lowered))
    return [
        math.log1p(line.n_words),
        math.log1p(len(text)),
        float(line.terminal),
        float(text.endswith(".")),
        line.lower_ratio,
        line.capitalised_ratio,
        float(line.verbish),
        float(line.sentence_like),
        float(line.headline_shaped),
        sum(map(str.isdigit, text)) / n_chars,
        (n_chars - sum(map(str.isalnum, text)) - sum(map(str.isspace, text))) / n_chars if text else 0.0,
        float(sum(map(text.count, SEPARATORS))),  # str.count per separator: no Python loop per character
        float(n_letters >= 2 and sum(map(str.isupper, text)) == n_letters),
        float(bool(URL_ONLY.match(text) or EMAIL.search(text) or TWITTER_HANDLE.search(text) or "http" in text)),
        float(text.startswith(BULLETS)),
        float(text.endswith(":")),
        text.count(",") / n,
        float(sum(1 for match in _SENTENCE_TURN.finditer(text) if match.group(1).isupper())),
        float(any(ch in text for ch in "\"“”«»")),
        float(bool(DONATION_STRONG.search(text))) * 2 + float(bool(DONATION_WEAK.search(text))),
        float(len({m.group(0).lower() for m in SUBSCRIPTION_WEAK.finditer(text)})),
        float(is_social(line)),
        sum(w in NAVIGATION_WORDS for w in lowered) / n,
        sum(w in APPEAL_WORDS for w in lowered) / n,
        float(bool(COPYRIGHT.search(text))),
        float(bool(PHOTO_CREDIT.search(text))),
        float(bool(TEASER_HEADER.match(text) or TEASER_PREFIX.match(text))),
        float(is_dateline(line)),
        float(bool(READER_ADDRESS.search(text))),
        float(bool(FIRST_PERSON_PLURAL.search(text))),
        float(bool(lowered) and lowered[0] in IMPERATIVE_STARTS),
        rule_score,
    ]


def line_features(
    text: str,
    lines: Sequence[Line],
    *,
    repeated_lines: frozenset[str] = frozenset(),
    rule_reasons: Mapping[int, str] | None = None,
    rule_scores: Mapping[int, float] | None = None,
) -> tuple[list[Line], list[list[float]]]:
    """The non-blank lines of ``text`` and one feature row (``FEATURES``) for each.

    ``rule_reasons`` are the rules' own verdicts by line index (headline,
    teaser blocks, cue families): the model weighs them with everything else.
    ``rule_scores`` are the rules' line scores by line index when the caller
    already has them (``find_drops`` on plain text); else they are computed.
    """
    rule_reasons = rule_reasons or {}
    content = [line for line in lines if not line.blank]
    if not content:
        return [], []
    tail_start = TAIL_FRACTION * len(text)
    keys = [normalise_line(line.text) for line in content]
    key_counts = Counter(keys)
    prose = [line.sentence_like and line.n_words >= 8 for line in content]
    prose_words = [line.n_words if flag else 0 for line, flag in zip(content, prose, strict=True)]
    total_prose = max(1, sum(prose_words))
    log_words = [math.log1p(line.n_words) for line in content]
    prose_positions = [i for i, flag in enumerate(prose) if flag]
    short = [float(line.n_words <= 3) for line in content]
    cores = {cost: _core(content, cost) for cost in (1.0, 3.0, 8.0)}
    core_words = sum(line.n_words for line in content[cores[3.0][0] : cores[3.0][1] + 1])
    all_words = max(1, sum(line.n_words for line in content))
    count = len(content)
    # The article's vocabulary: words of four letters or more in its prose lines.
    # Teasers for other stories and menus share little of it; a subheading or a
    # list item of the article shares much.
    line_topic_words = [[w.lower() for w in line_words(line.text) if len(w) >= 4] for line in content]
    prose_vocabulary: Counter[str] = Counter()
    for flag, topic_words in zip(prose, line_topic_words, strict=True):
        if flag:
            prose_vocabulary.update(topic_words)
    rows: list[list[float]] = []
    seen: set[str] = set()
    before = 0
    for i, line in enumerate(content):
        if rule_scores is not None:
            rule_score = rule_scores.get(line.index, 0.0)
        else:
            verdict = judge(
                line,
                in_tail=line.start >= tail_start,
                at_top=i < HEAD_LINES,
                link_share=None,
                repeated=keys[i] in repeated_lines,
            )
            rule_score = verdict[0] if verdict else 0.0
        row = _own_features(line, rule_score)
        row.append(float(line.index in rule_reasons))

        def window(values: Sequence[float], radius: int, i: int = i) -> float:
            around = [values[j] for j in range(max(0, i - radius), min(count, i + radius + 1)) if j != i]
            return sum(around) / len(around) if around else 0.0

        # nearest prose line by bisection: a pasted dump of thousands of lines stays linear-ish
        at = bisect.bisect_left(prose_positions, i)
        distance = min((abs(i - prose_positions[k]) for k in (at - 1, at) if 0 <= k < len(prose_positions)),
                       default=count)
        row += [
            i / count,
            line.start / max(1, len(text)),
            before / total_prose,
            (total_prose - before - prose_words[i]) / total_prose,
            float(key_counts[keys[i]] > 1),
            float(keys[i] in seen),
            float(keys[i] in repeated_lines),
            window(prose, 2),
            window(prose, 5),
            window(log_words, 2),
            float(prose[i - 1]) if i > 0 else 0.0,
            float(prose[i + 1]) if i + 1 < count else 0.0,
            log_words[i - 1] if i > 0 else 0.0,
            log_words[i + 1] if i + 1 < count else 0.0,
            math.log1p(distance),
            window(short, 5),
            *(float(cores[cost][0] <= i <= cores[cost][1]) for cost in (1.0, 3.0, 8.0)),
            math.log1p(max(0, cores[3.0][0] - i, i - cores[3.0][1])),
            core_words / all_words,
            _topic_overlap(line_topic_words[i], prose_vocabulary, own=prose[i]),
        ]
        rows.append(row)
        seen.add(keys[i])
        before += prose_words[i]
    return content, rows


def _topic_overlap(topic_words: list[str], vocabulary: Counter[str], *, own: bool) -> float:
    """Share of a line's longer words found in the article's prose elsewhere (its own words left out)."""
    if not topic_words:
        return 0.0
    own_counts = Counter(topic_words) if own else Counter()
    return sum(vocabulary[w] - own_counts[w] > 0 for w in topic_words) / len(topic_words)


def _core(content: Sequence[Line], cost: float) -> tuple[int, int]:
    """The run of lines with the most prose words net of ``cost`` per other line (the article's body block).

    Prose lines earn their word count, every other line costs ``cost``: the
    best-scoring contiguous run (maximum subarray) is where the article sits
    in a page full of menus and teasers.
    """
    best, best_span = 0.0, (0, -1)
    running, start = 0.0, 0
    for i, line in enumerate(content):
        gain = float(line.n_words) if line.sentence_like else -cost
        if running <= 0:
            running, start = gain, i
        else:
            running += gain
        if running > best:
            best, best_span = running, (start, i)
    return best_span


# ---------------------------------------------------------------- the model


class TreeEnsemble:
    """Gradient-boosted regression trees on the log-odds scale, as shipped in JSON.

    The trees are padded into (trees x nodes) arrays, a leaf pointing at
    itself, so that every line and every tree walks down in ``depth`` steps of
    array indexing at once.
    """

    def __init__(self, data: dict) -> None:
        import numpy as np

        trees = data["trees"]
        width = max(len(tree["left"]) for tree in trees)
        self.features = tuple(data["features"])
        self.base = float(data["base"])
        self.rate = float(data["rate"])
        self.threshold = float(data["threshold"])
        self.feature = np.zeros((len(trees), width), dtype=np.intp)
        self.cut = np.zeros((len(trees), width))
        self.left = np.tile(np.arange(width, dtype=np.intp), (len(trees), 1))
        self.right = self.left.copy()
        self.value = np.zeros((len(trees), width))
        for number, tree in enumerate(trees):
            size = len(tree["left"])
            inner = np.array(tree["left"]) != -1
            self.feature[number, :size] = tree["feature"]
            self.cut[number, :size] = tree["threshold"]
            self.left[number, :size] = np.where(inner, tree["left"], np.arange(size))
            self.right[number, :size] = np.where(inner, tree["right"], np.arange(size))
            self.value[number, :size] = tree["value"]
        self.depth = _depth(trees)

    def probabilities(self, rows: Sequence[Sequence[float]]) -> list[float]:
        import numpy as np

        if not rows:
            return []
        x = np.asarray(rows, dtype=float)
        tree_index = np.arange(self.feature.shape[0])[None, :]
        line_index = np.arange(x.shape[0])[:, None]
        node = np.zeros((x.shape[0], self.feature.shape[0]), dtype=np.intp)
        for _ in range(self.depth):
            goes_left = x[line_index, self.feature[tree_index, node]] <= self.cut[tree_index, node]
            node = np.where(goes_left, self.left[tree_index, node], self.right[tree_index, node])
        score = self.base + self.rate * self.value[tree_index, node].sum(axis=1)
        return (1.0 / (1.0 + np.exp(-score))).tolist()

    def probability(self, row: Sequence[float]) -> float:
        return self.probabilities([row])[0]


def _depth(trees: list[dict]) -> int:
    deepest = 0
    for tree in trees:
        stack = [(0, 0)]
        while stack:
            node, level = stack.pop()
            if tree["left"][node] == -1:
                deepest = max(deepest, level)
            else:
                stack += [(tree["left"][node], level + 1), (tree["right"][node], level + 1)]
    return deepest


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_PATH) -> TreeEnsemble | None:
    """The shipped model, or None when it is missing or was trained on other features."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if tuple(data.get("features", ())) != FEATURES:
        return None
    return TreeEnsemble(data)


def _family(row: Sequence[float]) -> str:
    """What the evidence of a junk line points at, for the audit."""
    named = dict(zip(FEATURES, row, strict=True))
    if named["donation_cue"] or named["appeal_share"] >= 0.25:
        return "appeal"
    if named["subscription_cue"]:
        return "subscription"
    if named["social"]:
        return "share buttons"
    if named["copyright"]:
        return "copyright"
    if named["photo_credit"]:
        return "caption/credit"
    if named["teaser"]:
        return "teaser"
    if named["dateline"]:
        return "date/byline"
    if named["seen_before"]:
        return "repeated line"
    if named["navigation_share"] >= 0.5 or named["separators"]:
        return "navigation"
    if named["prose_before"] == 0.0:
        return "before the article"
    if named["prose_after"] == 0.0:
        return "after the article"
    return "not article prose"


def score_lines(
    text: str,
    lines: Sequence[Line],
    *,
    repeated_lines: frozenset[str] = frozenset(),
    rule_reasons: Mapping[int, str] | None = None,
    rule_scores: Mapping[int, float] | None = None,
) -> list[LineScore]:
    """Junk probability of every non-blank line; empty when no model ships."""
    model = load_model()
    if model is None:
        return []
    content, rows = line_features(text, lines, repeated_lines=repeated_lines, rule_reasons=rule_reasons,
                                  rule_scores=rule_scores)
    probabilities = model.probabilities(rows)
    return [LineScore(line, p, _family(row)) for line, p, row in zip(content, probabilities, rows, strict=True)]


def reason(score: LineScore) -> str:
    return f"line classifier p={score.probability:.2f}: {score.family}"


__all__ = ["FEATURES", "LineScore", "line_features", "load_model", "score_lines", "reason", "MODEL_PATH"]
