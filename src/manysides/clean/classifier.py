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

import json
import math
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
    letters = [ch for ch in text if ch.isalpha()]
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
        sum(ch.isdigit() for ch in text) / n_chars,
        sum(not ch.isalnum() and not ch.isspace() for ch in text) / n_chars,
        float(sum(ch in SEPARATORS for ch in text)),
        float(len(letters) >= 2 and all(ch.isupper() for ch in letters)),
        float(bool(URL_ONLY.match(text) or EMAIL.search(text) or TWITTER_HANDLE.search(text) or "http" in text)),
        float(text.startswith(BULLETS)),
        float(text.endswith(":")),
        text.count(",") / n,
        float(sum(1 for i, ch in enumerate(text[:-2]) if ch in ".!?" and text[i + 1] == " " and text[i + 2].isupper())),
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
) -> tuple[list[Line], list[list[float]]]:
    """The non-blank lines of ``text`` and one feature row (``FEATURES``) for each.

    ``rule_reasons`` are the rules' own verdicts by line index (headline,
    teaser blocks, cue families): the model weighs them with everything else.
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
    cores = {cost: _core(content, cost) for cost in (1.0, 3.0, 8.0)}
    core_words = sum(line.n_words for line in content[cores[3.0][0] : cores[3.0][1] + 1])
    all_words = max(1, sum(line.n_words for line in content))
    rows: list[list[float]] = []
    seen: set[str] = set()
    before = 0
    count = len(content)
    for i, line in enumerate(content):
        verdict = judge(
            line,
            in_tail=line.start >= tail_start,
            at_top=i < HEAD_LINES,
            link_share=None,
            repeated=keys[i] in repeated_lines,
        )
        row = _own_features(line, verdict[0] if verdict else 0.0)
        row.append(float(line.index in rule_reasons))

        def window(values: Sequence[float], radius: int, i: int = i) -> float:
            around = [values[j] for j in range(max(0, i - radius), min(count, i + radius + 1)) if j != i]
            return sum(around) / len(around) if around else 0.0

        distance = min((abs(i - j) for j in prose_positions), default=count)
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
            window([float(line.n_words <= 3) for line in content], 5),
            *(float(cores[cost][0] <= i <= cores[cost][1]) for cost in (1.0, 3.0, 8.0)),
            math.log1p(max(0, cores[3.0][0] - i, i - cores[3.0][1])),
            core_words / all_words,
        ]
        rows.append(row)
        seen.add(keys[i])
        before += prose_words[i]
    return content, rows


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


@dataclass(frozen=True)
class TreeEnsemble:
    """Gradient-boosted regression trees on the log-odds scale, as shipped in JSON."""

    features: tuple[str, ...]
    base: float
    rate: float
    trees: tuple[tuple[tuple[int, ...], tuple[float, ...], tuple[int, ...], tuple[int, ...], tuple[float, ...]], ...]
    threshold: float

    def probability(self, row: Sequence[float]) -> float:
        score = self.base
        for feature, cut, left, right, value in self.trees:
            node = 0
            while left[node] != -1:
                node = left[node] if row[feature[node]] <= cut[node] else right[node]
            score += self.rate * value[node]
        return 1.0 / (1.0 + math.exp(-score))


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_PATH) -> TreeEnsemble | None:
    """The shipped model, or None when it is missing or was trained on other features."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if tuple(data.get("features", ())) != FEATURES:
        return None
    trees = tuple(
        (tuple(t["feature"]), tuple(t["threshold"]), tuple(t["left"]), tuple(t["right"]), tuple(t["value"]))
        for t in data["trees"]
    )
    return TreeEnsemble(FEATURES, float(data["base"]), float(data["rate"]), trees, float(data["threshold"]))


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
) -> list[LineScore]:
    """Junk probability of every non-blank line; empty when no model ships."""
    model = load_model()
    if model is None:
        return []
    content, rows = line_features(text, lines, repeated_lines=repeated_lines, rule_reasons=rule_reasons)
    return [LineScore(line, model.probability(row), _family(row)) for line, row in zip(content, rows, strict=True)]


def reason(score: LineScore) -> str:
    return f"line classifier p={score.probability:.2f}: {score.family}"


__all__ = ["FEATURES", "LineScore", "line_features", "load_model", "score_lines", "reason", "MODEL_PATH"]
