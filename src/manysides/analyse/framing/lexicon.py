"""Loaded and evaluative language: lexicon marks over tokens.

Four sources, strongest claim first:

* the team's curated lists in ``lexicons/`` (loaded terms of news in general,
  intensifiers, subjective words) plus the ``loaded.txt`` of each enabled domain
  pack (``manysides/packs/<name>/``), matched on lower-case form or lemma so one
  entry covers its inflections, longest phrase first;
* ``lexicons/babe_word_weights.tsv``: per-lemma weights *derived* (numbers, not
  text) from the BABE expert annotations by ``bench/framing.py --derive-weights``
  — the rate at which experts marked the word as biased where it occurred;
* the VADER valence lexicon for strongly valenced words, minus words that are
  plain facts in news of violence and conflict (``neutral_event_words.txt``).

The matcher works on :class:`TokenInfo` tuples, not spaCy objects, so the
benchmark can feed it from a slimmer pipeline.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from importlib import resources as importlib_resources

LEXICON_PACKAGE = "manysides.analyse.framing.lexicons"

# A sentence counts as loaded (and a mark is emitted into the briefing) from
# this score up; on BABE this is where lexicon F1 peaks (bench/framing.py).
LOADED_SCORE_THRESHOLD = 0.5

# VADER valences run -4..4; below |2| its words are mild ("support", "problem").
VADER_MIN_VALENCE = 2.0


class LoadedKind(str, Enum):
    LOADED = "loaded"
    INTENSIFIER = "intensifier"
    SUBJECTIVE = "subjective"
    EVALUATIVE = "evaluative"


CURATED_FILES: dict[str, tuple[LoadedKind, float]] = {
    "loaded.txt": (LoadedKind.LOADED, 0.8),
    "intensifiers.txt": (LoadedKind.INTENSIFIER, 0.6),
    "subjective.txt": (LoadedKind.SUBJECTIVE, 0.6),
}
LEARNED_FILE = "babe_word_weights.tsv"
NEUTRAL_FILE = "neutral_event_words.txt"


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """One token in absolute clean-text offsets."""

    start: int
    end: int
    lower: str
    lemma: str
    pos: str = ""  # Universal POS; empty when the tagger did not run


@dataclass(frozen=True, slots=True)
class MarkHit:
    start: int
    end: int
    kind: LoadedKind
    score: float
    term: str


@dataclass(frozen=True, slots=True)
class LexiconEntry:
    words: tuple[str, ...]
    kind: LoadedKind
    score: float
    pos: frozenset[str] = frozenset()  # single words only: match only these POS ("lies" NOUN)


def split_entry(term: str) -> tuple[str, ...]:
    """Split a lexicon entry the way spaCy's English tokenizer splits it.

    Hyphens become their own token ("so-called" -> so, -, called), which is
    what spaCy does inside words.
    """
    words: list[str] = []
    for chunk in term.lower().split():
        parts = chunk.split("-")
        for index, part in enumerate(parts):
            if index:
                words.append("-")
            if part:
                words.append(part)
    return tuple(words)


def _read_lines(name: str) -> list[str]:
    text = importlib_resources.files(LEXICON_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def read_curated(name: str, kind: LoadedKind, default_score: float) -> list[LexiconEntry]:
    return entries_of(_read_lines(name), kind, default_score)


def entries_of(lines: Iterable[str], kind: LoadedKind, default_score: float) -> list[LexiconEntry]:
    """Lexicon entries from lines ``term[TAB score[TAB POS,POS]]`` (comments already dropped)."""
    entries = []
    for line in lines:
        term, score, pos = (line.split("\t") + ["", ""])[:3]
        entries.append(
            LexiconEntry(
                split_entry(term),
                kind,
                float(score) if score else default_score,
                frozenset(p.strip().upper() for p in pos.split(",") if p.strip()),
            )
        )
    return entries


def read_learned_weights() -> dict[tuple[str, str], float]:
    """(lemma, POS) -> weight in 0..1; empty when the derived file is absent.

    Keyed by part of speech too, because the annotators' "lies" (noun) says
    nothing about "the town lies on the river".
    """
    resource = importlib_resources.files(LEXICON_PACKAGE).joinpath(LEARNED_FILE)
    if not resource.is_file():
        return {}
    weights = {}
    for line in _read_lines(LEARNED_FILE):
        lemma, pos, score, *_ = line.split("\t")
        weights[(lemma, pos)] = float(score)
    return weights


class LoadedLexicon:
    """Phrase lexicon + single-word weights; :meth:`mark` returns the hits."""

    def __init__(
        self,
        entries: Iterable[LexiconEntry],
        *,
        word_weights: dict[tuple[str, str], float] | None = None,
        vader: dict[str, float] | None = None,
        neutral: Iterable[str] = (),
    ):
        self.by_first_word: dict[str, list[LexiconEntry]] = {}
        for entry in entries:
            if entry.words:
                self.by_first_word.setdefault(entry.words[0], []).append(entry)
        for candidates in self.by_first_word.values():
            candidates.sort(key=lambda e: (-len(e.words), -e.score))
        self.word_weights = word_weights or {}
        self.vader = vader or {}
        self.neutral = frozenset(neutral)

    @classmethod
    def default(cls, *, learned: bool = True, vader: bool = True, packs: Sequence = ()) -> LoadedLexicon:
        """The shipped lexicon plus the loaded terms of the given domain packs."""
        return _default_lexicon(learned, vader, tuple(pack.name for pack in packs))

    def _phrase_at(self, tokens: Sequence[TokenInfo], index: int) -> LexiconEntry | None:
        token = tokens[index]
        candidates = self.by_first_word.get(token.lower, []) + (
            self.by_first_word.get(token.lemma, []) if token.lemma != token.lower else []
        )
        best = None
        for entry in candidates:
            if index + len(entry.words) > len(tokens):
                continue
            if entry.pos and token.pos and token.pos not in entry.pos:
                continue
            if all(
                word in (tokens[index + offset].lower, tokens[index + offset].lemma)
                for offset, word in enumerate(entry.words)
            ):
                if best is None or (len(entry.words), entry.score) > (len(best.words), best.score):
                    best = entry
        return best

    def _word_hit(self, token: TokenInfo) -> MarkHit | None:
        if not token.lower.isalpha():
            return None
        learned = max(
            self.word_weights.get((token.lemma, token.pos), 0.0),
            self.word_weights.get((token.lower, token.pos), 0.0),
        )
        valence = 0.0
        if token.lower not in self.neutral and token.lemma not in self.neutral:
            valence = abs(self.vader.get(token.lower, 0.0))
        vader_score = min(1.0, valence / 4.0) if valence >= VADER_MIN_VALENCE else 0.0
        score = max(learned, vader_score)
        if score <= 0.0:
            return None
        return MarkHit(token.start, token.end, LoadedKind.EVALUATIVE, round(score, 3), token.lower)

    def mark(self, tokens: Sequence[TokenInfo], *, min_score: float = 0.0) -> list[MarkHit]:
        hits: list[MarkHit] = []
        index = 0
        while index < len(tokens):
            entry = self._phrase_at(tokens, index)
            if entry is not None:
                last = tokens[index + len(entry.words) - 1]
                term = " ".join(entry.words).replace(" - ", "-")
                hit = MarkHit(tokens[index].start, last.end, entry.kind, entry.score, term)
                # a single curated word can still be outweighed by its learned weight
                if len(entry.words) == 1:
                    word_hit = self._word_hit(tokens[index])
                    if word_hit is not None and word_hit.score > hit.score:
                        hit = MarkHit(hit.start, hit.end, hit.kind, word_hit.score, term)
                if hit.score >= min_score:
                    hits.append(hit)
                index += len(entry.words)
                continue
            word_hit = self._word_hit(tokens[index])
            if word_hit is not None and word_hit.score >= min_score:
                hits.append(word_hit)
            index += 1
        return hits


@lru_cache(maxsize=4)
def _default_lexicon(learned: bool, vader: bool, pack_names: tuple[str, ...] = ()) -> LoadedLexicon:
    from manysides.packs import load_pack

    entries: list[LexiconEntry] = []
    for name, (kind, default_score) in CURATED_FILES.items():
        entries.extend(read_curated(name, kind, default_score))
    kind, default_score = CURATED_FILES["loaded.txt"]
    for name in pack_names:
        entries.extend(entries_of(load_pack(name).loaded_lines, kind, default_score))
    vader_lexicon: dict[str, float] = {}
    if vader:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        vader_lexicon = dict(SentimentIntensityAnalyzer().lexicon)
    return LoadedLexicon(
        entries,
        word_weights=read_learned_weights() if learned else {},
        vader=vader_lexicon,
        neutral=_read_lines(NEUTRAL_FILE),
    )


def tokens_of(doc, *, offset: int = 0) -> list[TokenInfo]:
    """TokenInfo for each non-space token of a spaCy ``doc`` parsed from text at ``offset``."""
    return [
        TokenInfo(offset + t.idx, offset + t.idx + len(t.text), t.lower_, t.lemma_.lower(), t.pos_)
        for t in doc
        if not t.is_space
    ]
