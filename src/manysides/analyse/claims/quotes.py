"""Quotes and attribution: who said what, with exact spans.

Three forms are found:

* direct quotes between quote marks (straight, curly, «guillemets», „low-high“),
  possibly spanning sentences, attributed to the nearest reporting verb outside
  the marks ("…,” he said / said X / X told Y: “…”), a colon-introduced frame
  ("Zelensky: “…”"), or — for a sentence that is only a quote — the speaker of
  the sentence before;
* indirect speech: a reporting verb with a clausal complement ("X said (that)…",
  "…, the ministry said", "X told Y that…", "adding that…");
* "according to X, …".

Speakers are noun phrases from the dependency parse; "he"/"she" go to the last
named person, "it"/"they" and definite descriptions ("the ministry") to an
earlier speaker of the same article, and names are resolved to the briefing's
entities through mention spans (``entity_id``) or name matching.

The work is split by seam: :mod:`~manysides.analyse.claims.marks` (quote marks),
:mod:`~manysides.analyse.claims.speakers` (speaker phrases and their resolution) and
:mod:`~manysides.analyse.claims.attribution` (quotes, indirect speech and "according to" in one
article); this module keeps the parse path and the public names other modules import.

Parsing goes through the story's one parse path (:func:`parse_sentences` over
:class:`manysides.nlp.Parses`); :mod:`manysides.analyse.claims.extract` reuses the same parses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from manysides.analyse.claims.attribution import (
    Attribution,
    extract_attributions,
    extract_quotes,
    quote_id,
)
from manysides.analyse.claims.marks import DirectQuoteMarks, find_quote_marks
from manysides.analyse.claims.speakers import (
    ANAPHORIC_HEADS,
    MESSAGE_NOUNS,
    NEGATIVE_REPORTING_VERBS,
    REPORTING_VERBS,
    ResolvedSpeaker,
    SpeakerResolver,
    build_name_index,
    normalise_name,
    speaker_phrase,
)
from manysides.model import Article, Sentence
from manysides.nlp import Parses


@dataclass(slots=True)
class ParsedSentence:
    """One sentence (or line of one) and its parse: a spaCy ``Span`` of the article's ``Doc``.

    Token ``idx`` values are offsets in the article's clean text.
    """

    sentence: Sentence
    doc: object  # spacy.tokens.Span over the sentence's tokens

    @property
    def start(self) -> int:
        return self.sentence.start

    @property
    def end(self) -> int:
        return self.sentence.end

    @staticmethod
    def start_of(token) -> int:
        return token.idx

    @staticmethod
    def end_of(token) -> int:
        return token.idx + len(token.text)

    def span_of(self, tokens: Iterable) -> tuple[int, int]:
        tokens = list(tokens)
        first = min(tokens, key=lambda t: t.i)
        last = max(tokens, key=lambda t: t.i)
        return first.idx, last.idx + len(last.text)


def claim_sentences(article: Article) -> list[Sentence]:
    """The article's sentences cut at line breaks and stripped of datelines."""
    return [
        _without_dateline(article.clean_text, line)
        for sentence in article.sentences
        for line in _split_lines(article.clean_text, sentence)
    ]


def parse_sentences(
    articles: Sequence[Article],
    nlp,
    *,
    parses: Parses | None = None,
    batch_size: int = 16,
) -> dict[str, list[ParsedSentence]]:
    """Every article's claim sentences with their parse, through the story's one parse path.

    ``parses`` (the annotation pass's :class:`~manysides.nlp.Parses`) is reused where it
    holds the article; what it lacks is parsed with headline lines and datelines set apart
    as their own sentences, so the parser cannot hang "KYIV (AFP) - Russia's ministry
    said" on "KYIV".
    """
    parses = parses if parses is not None else Parses()
    spans = parses.sentence_spans(articles, nlp, pieces=claim_sentences, batch_size=batch_size)
    return {
        article_id: [ParsedSentence(sentence=piece, doc=span) for piece, span in pairs]
        for article_id, pairs in spans.items()
    }


def _split_lines(text: str, sentence: Sentence) -> list[Sentence]:
    """Cut a sentence at line breaks: a headline or dateline is not part of the next sentence.

    Pieces keep the sentence's index; pieces of punctuation only are dropped.
    """
    body = text[sentence.start : sentence.end]
    if "\n" not in body:
        return [sentence]
    pieces = []
    for match in re.finditer(r"[^\n]+", body):
        start = sentence.start + match.start()
        end = sentence.start + match.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if any(char.isalnum() for char in text[start:end]):
            pieces.append(sentence.model_copy(update={"span": sentence.span.model_copy(update={"start": start, "end": end})}))
    return pieces


# "KYIV (AFP) - ", "MOSCOW, Sept 10 (Reuters) — ", "Kyiv (AFP) - ": a dateline confuses the
# parser about the subject. A place in title case counts only with its agency in brackets.
_DATELINE = re.compile(
    r"(?:[A-Z][A-Z.' -]{1,30}(?:,\s*[A-Za-z]{3,9}\.?\s+\d{1,2})?\s*(?:\([A-Za-z .-]{2,20}\))?"
    r"|[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2}(?:,\s*[A-Za-z]{3,9}\.?\s+\d{1,2})?\s*\([A-Za-z .-]{2,20}\))"
    r"\s*[-\u2013\u2014:]\s+"
)


def _without_dateline(text: str, sentence: Sentence) -> Sentence:
    match = _DATELINE.match(text, sentence.start, sentence.end)
    if match and match.end() < sentence.end:
        return sentence.model_copy(update={"span": sentence.span.model_copy(update={"start": match.end()})})
    return sentence


__all__ = [
    "Attribution",
    "extract_attributions",
    "extract_quotes",
    "ANAPHORIC_HEADS",
    "MESSAGE_NOUNS",
    "NEGATIVE_REPORTING_VERBS",
    "REPORTING_VERBS",
    "DirectQuoteMarks",
    "ParsedSentence",
    "ResolvedSpeaker",
    "SpeakerResolver",
    "build_name_index",
    "find_quote_marks",
    "normalise_name",
    "parse_sentences",
    "quote_id",
    "speaker_phrase",
]
