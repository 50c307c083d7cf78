"""What story clustering sees of an article: term counts of its words, its entities, its title
and the numbers it writes.

Entities come from the spaCy mentions when the article is already parsed, else
from a cheap path: runs of capitalised tokens. A capitalised word that the same
article also writes in lower case ("The", "Officials") is a sentence opener, not
a name, so no word list is needed to tell them apart.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from manysides.lang import en

_TOKEN = re.compile(r"[^\W\d_](?:[\w’'.-]*\w)?")
# Numbers and years tell apart two events of one kind (a 6.1 and a 7.0 earthquake, 2008 and 2013).
_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?![\w])")
_SENTENCE_BREAK = re.compile(r"[.!?…]['\"”’)]*\s+|\n+")
# Labels of the statistical NER that name who/where/what a story is about.
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"})
MIN_WORD_LENGTH = 3  # shorter tokens are function words or initials; IDF alone lets too many through
# Capitalised but naming no story: dates and function words that open a sentence or a headline.
NOT_NAMES = frozenset(en.STOPWORDS) | frozenset(en.WEEKDAYS) | frozenset(en.MONTHS)
BODY_CHARS = 4000  # the lede carries the story; the tail adds background shared with other stories
EPOCH = dt.date(1970, 1, 1)


@dataclass(frozen=True, slots=True)
class StorySignals:
    """One article as the story clusterer sees it. ``time`` is in days (any origin)."""

    id: str
    time: float
    words: dict[str, float]
    entities: dict[str, float]
    title: dict[str, float]
    title_text: str = ""
    numbers: dict[str, float] = field(default_factory=dict)


def words_of(text: str) -> list[str]:
    return [t for t in (m.lower() for m in _TOKEN.findall(text))
            if len(t) >= MIN_WORD_LENGTH and t not in en.STOPWORDS]


def numbers_of(text: str) -> list[str]:
    """Numbers as written, thousands separators dropped ("1,200" and "1200" are one number)."""
    return [re.sub(r",(?=\d{3}\b)", "", n) for n in _NUMBER.findall(text)]


def is_title_case(title: str) -> bool:
    """'Virginia Governor Rebuffs Fellow Democrats': every word capitalised says nothing about names."""
    words = [t for t in _TOKEN.findall(title) if t.lower() not in en.STOPWORDS]
    return len(words) >= 3 and sum(t[0].isupper() for t in words) >= 0.8 * len(words)


def capitalised_names(text: str) -> list[str]:
    """Runs of capitalised tokens, lower-cased, each run also giving its last token ("Kerry")."""
    lower_forms = {t for t in _TOKEN.findall(text) if t[0].islower()}
    names: list[str] = []
    for sentence in _SENTENCE_BREAK.split(text):
        run: list[str] = []
        for token in _TOKEN.findall(sentence):
            if token[0].isupper() and token.lower() not in lower_forms and token.lower() not in NOT_NAMES:
                run.append(token.lower())
                continue
            _close_run(run, names)
            run = []
        _close_run(run, names)
    return names


def _close_run(run: list[str], names: list[str]) -> None:
    if not run:
        return
    names.append(" ".join(run))
    if len(run) > 1:
        names.append(run[-1])


def mention_names(mentions: Iterable) -> list[str]:
    names = []
    for mention in mentions:
        if mention.label in NAME_LABELS:
            parts = mention.text.lower().split()
            if parts:
                names.append(" ".join(parts))
                if len(parts) > 1:
                    names.append(parts[-1])
    return names


def day_of(date: dt.date | None) -> float:
    """Days since 1970; NaN for an undated article (time then neither helps nor hurts)."""
    return float((date - EPOCH).days) if date is not None else math.nan


def signals_from_text(
    article_id: str, *, title: str | None, text: str, time: float = math.nan,
    entity_names: Sequence[str] | None = None,
) -> StorySignals:
    """Signals from raw text; ``entity_names`` (from a parse) replaces the capitalised-token path."""
    title = title or ""
    body = text[:BODY_CHARS]
    title_words = words_of(title)
    words = Counter(words_of(body))
    for word in title_words:  # the headline names the story: count it twice
        words[word] += 2
    if entity_names is not None:
        names = list(entity_names)
    else:
        names = capitalised_names(body if is_title_case(title) else f"{title}\n{body}")
    return StorySignals(
        id=article_id, time=time, words=dict(words), entities=dict(Counter(names)),
        title=dict(Counter(title_words)), title_text=title.strip(),
        numbers=dict(Counter(numbers_of(f"{title}\n{body}"))),
    )


def signals_from_article(article, *, time: float | None = None) -> StorySignals:
    """Signals of a ``model.Article``: its spaCy mentions when parsed, else capitalised tokens."""
    names = mention_names(article.mentions) if article.mentions else None
    return signals_from_text(
        article.id, title=article.title, text=article.clean_text or article.raw_text,
        time=day_of(article.published) if time is None else time, entity_names=names,
    )


def sublinear(counts: dict[str, float]) -> dict[str, float]:
    return {term: 1.0 + math.log(count) for term, count in counts.items() if count > 0}
