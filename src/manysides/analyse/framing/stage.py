"""Framing: how each outlet (or outlet group) tells the same story.

``framing_stage`` fills ``briefing.framing`` with

* ``referents`` — same actor or event, the words each outlet uses for it
  (``framing_referents``);
* ``distinctive`` — each outlet's and each group's most over-used terms,
  Fightin' Words log-odds z-scores (``framing_distinctive``);
* ``loaded`` — loaded, intensifying and subjective words marked per article
  (``framing_lexicon``);
* ``actor_sentiment`` — mean VADER compound of the sentences where a main actor
  is subject or object, per outlet;
* ``voices`` — quotes per outlet per side (the story's own sides, see ``briefing.sides``).

It works with whatever earlier stages left: without entities it takes actors
from spaCy's own entities, without quotes it takes quoted passages from
quotation marks (for the quoted/own-voice flag; voices stay empty), without
claim groups it uses the parses alone. Parses come from the story's one parse
path (``resources.parses``); the enabled domain packs add loaded terms and event nouns.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from manysides import packs as domain_packs
from manysides.analyse.framing.distinctive import distinctive_terms
from manysides.analyse.framing.lexicon import LOADED_SCORE_THRESHOLD, LoadedLexicon, tokens_of
from manysides.analyse.framing.referents import (
    EVENT_NOUNS,
    MODIFIER_DEPS,
    OBJECT_DEPS,
    SUBJECT_DEPS,
    ActorMention,
    QuoteInterval,
    ReferentTally,
    collect_actor_wordings,
    collect_claim_wordings,
    mention_at,
    quote_at,
    referent_wordings,
)
from manysides.model import (
    ActorSentiment,
    Article,
    Briefing,
    ClaimGroup,
    EntityType,
    Framing,
    LoadedMark,
    Span,
)
from manysides.lang import en
from manysides.nlp import Parses
from manysides.outlet_groups import group_of
from manysides.resources import Resources

ACTOR_TYPES = frozenset({EntityType.PER, EntityType.ORG, EntityType.GPE, EntityType.NORP})
# spaCy labels standing in for actor entities when the entities stage has not run.
SPACY_ACTOR_LABELS = {"PERSON": "PER", "ORG": "ORG", "GPE": "GPE", "NORP": "NORP"}
UNKNOWN_SIDE = "unknown"
MAX_ACTORS = 15
# A quoted passage between double quotes (any style) needs a few characters.
_OPEN = re.escape("".join(sorted(en.OPENING_QUOTES)))
_CLOSE = re.escape("".join(sorted(en.CLOSING_QUOTES)))
QUOTE_PATTERN = re.compile(rf"[{_OPEN}]([^{re.escape(en.DOUBLE_QUOTES)}]{{3,}}?)[{_CLOSE}]")


@dataclass(frozen=True, slots=True)
class ParsedSentence:
    article_id: str
    outlet: str
    start: int  # where the sentence starts in the article's clean text
    doc: object  # spaCy Span of the sentence; token offsets are article offsets
    base: int = 0  # what to add to a token's offset to get an article offset


def parse_sentences(articles: Sequence[Article], nlp, *, batch_size: int = 64,
                    parses: Parses | None = None) -> list[ParsedSentence]:
    """Each article's sentences with their parse, through the story's one parse path
    (``parses``: the annotation pass's :class:`~manysides.nlp.Parses`, parsing only what it lacks)."""
    parses = parses if parses is not None else Parses()
    spans = parses.sentence_spans(articles, nlp, batch_size=batch_size)
    return [
        ParsedSentence(article.id, article.outlet_name, sentence.start, span)
        for article in articles
        for sentence, span in spans.get(article.id, [])
    ]


def _normalise_actor_name(text: str) -> str:
    text = re.sub(r"^(the|The)\s+", "", text.strip())
    return re.sub(r"['’]s$", "", text).strip()


def actor_mentions(briefing: Briefing, parsed: Sequence[ParsedSentence]) -> dict[str, list[ActorMention]]:
    """Actor mentions per article: resolved entities when present, else spaCy's entities."""
    by_article: dict[str, list[ActorMention]] = defaultdict(list)
    actors = [e for e in briefing.entities if e.type in ACTOR_TYPES]
    if actors:
        for entity in actors:
            for span in entity.mentions:
                by_article[span.article_id].append(
                    ActorMention(span.start, span.end, entity.id, entity.canonical_name)
                )
    else:
        for sentence in parsed:
            for ent in sentence.doc.ents:
                if ent.label_ in SPACY_ACTOR_LABELS:
                    name = _normalise_actor_name(ent.text)
                    if name:
                        by_article[sentence.article_id].append(
                            ActorMention(sentence.base + ent.start_char, sentence.base + ent.end_char,
                                         name, name)
                        )
    for mentions in by_article.values():
        mentions.sort(key=lambda m: (m.start, m.end))
    return by_article


def quote_intervals(briefing: Briefing) -> dict[str, list[QuoteInterval]]:
    """Quoted passages per article: the claims stage's quotes, else text in quotation marks."""
    by_article: dict[str, list[QuoteInterval]] = defaultdict(list)
    if briefing.quotes:
        for quote in briefing.quotes:
            by_article[quote.span.article_id].append(
                QuoteInterval(quote.span.start, quote.span.end, quote.speaker)
            )
    else:
        for article in briefing.articles:
            for match in QUOTE_PATTERN.finditer(article.clean_text):
                by_article[article.id].append(QuoteInterval(match.start(1), match.end(1), ""))
    return by_article


def term_counts(parsed: Sequence[ParsedSentence]) -> dict[str, Counter[str]]:
    """Content-word lemma counts per outlet (stop words, numbers and punctuation left out)."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for sentence in parsed:
        for token in sentence.doc:
            if token.is_alpha and not token.is_stop and len(token.text) > 2:
                counts[sentence.outlet][token.lemma_.lower()] += 1
    return counts


def loaded_marks(
    parsed: Sequence[ParsedSentence],
    quotes_by_article: dict[str, list[QuoteInterval]],
    lexicon: LoadedLexicon,
) -> list[LoadedMark]:
    marks = []
    for sentence in parsed:
        tokens = tokens_of(sentence.doc, offset=sentence.base)
        for hit in lexicon.mark(tokens, min_score=LOADED_SCORE_THRESHOLD):
            marks.append(
                LoadedMark(
                    span=Span(article_id=sentence.article_id, start=hit.start, end=hit.end),
                    kind=hit.kind.value,
                    score=hit.score,
                    in_quote=quote_at(hit.start, quotes_by_article.get(sentence.article_id, ()))
                    is not None,
                )
            )
    return marks


def _actor_role(token) -> bool:
    """True when ``token`` is (part of) a subject or object: directly, or as the
    modifier of one ("Kenyan" in "Kenyan police withdrew")."""
    if token.dep_ in SUBJECT_DEPS or token.dep_ in OBJECT_DEPS:
        return True
    return token.dep_ in MODIFIER_DEPS and (
        token.head.dep_ in SUBJECT_DEPS or token.head.dep_ in OBJECT_DEPS
    )


def actor_sentiment(
    parsed: Sequence[ParsedSentence],
    mentions_by_article: dict[str, list[ActorMention]],
) -> list[ActorSentiment]:
    """Mean VADER compound of sentences where an actor is subject or object, per outlet."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    scores: dict[tuple[str, str], list[float]] = defaultdict(list)
    for sentence in parsed:
        mentions = mentions_by_article.get(sentence.article_id, ())
        if not mentions:
            continue
        actors_here = set()
        for token in sentence.doc:
            if not _actor_role(token):
                continue
            start = sentence.base + token.idx
            mention = mention_at(start, start + len(token.text), mentions)
            if mention is not None:
                actors_here.add(mention.actor_id)
        if actors_here:
            compound = analyzer.polarity_scores(sentence.doc.text)["compound"]
            for actor_id in actors_here:
                scores[(actor_id, sentence.outlet)].append(compound)
    sentences_per_actor = Counter()
    outlets_per_actor: dict[str, set[str]] = defaultdict(set)
    for (actor_id, outlet), values in scores.items():
        sentences_per_actor[actor_id] += len(values)
        outlets_per_actor[actor_id].add(outlet)
    # main actors: those several outlets put in subject/object position, most often first
    main = sorted(
        (a for a in sentences_per_actor if len(outlets_per_actor[a]) >= 2 or sentences_per_actor[a] >= 3),
        key=lambda a: (-len(outlets_per_actor[a]), -sentences_per_actor[a], a),
    )[:MAX_ACTORS]
    return [
        ActorSentiment(entity_id=actor_id, outlet=outlet, mean=round(sum(v) / len(v), 3), sentences=len(v))
        for actor_id in main
        for outlet in sorted(outlets_per_actor[actor_id])
        for v in [scores[(actor_id, outlet)]]
    ]


def voices(briefing: Briefing) -> dict[str, dict[str, int]]:
    outlet_by_article = {a.id: a.outlet_name for a in briefing.articles}
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for quote in briefing.quotes:
        outlet = outlet_by_article.get(quote.span.article_id)
        if outlet is not None:
            counts[outlet][quote.side or UNKNOWN_SIDE] += 1
    return {outlet: dict(sides) for outlet, sides in sorted(counts.items())}


def resolve_groups(outlets: Sequence[str], outlet_groups: dict[str, str]) -> dict[str, str]:
    """outlet -> group for the outlets of this story (names matched case-insensitively)."""
    resolved = {}
    for outlet in outlets:
        group = group_of(outlet, outlet_groups)
        if group is not None:
            resolved[outlet] = group
    return resolved


def group_key(group: str, outlets: Sequence[str]) -> str:
    """Key of a group in ``Framing.distinctive``; prefixed only if an outlet has the same name."""
    return f"group:{group}" if group in outlets else group


def _sentence_finder(parsed: Sequence[ParsedSentence]):
    by_article: dict[str, list[ParsedSentence]] = defaultdict(list)
    for sentence in parsed:
        by_article[sentence.article_id].append(sentence)
    starts = {a: [s.start for s in sentences] for a, sentences in by_article.items()}

    def lookup(article_id: str, position: int):
        sentences = by_article.get(article_id)
        if not sentences:
            return None
        index = bisect_right(starts[article_id], position) - 1
        if index < 0:
            return None
        return sentences[index].base, sentences[index].doc

    return lookup


def _group_label(briefing: Briefing):
    claims = {c.id: c for c in briefing.claims}
    names = {e.id: e.canonical_name for e in briefing.entities}

    def label(group: ClaimGroup) -> str:
        claim = claims.get(group.representative_claim_id)
        if claim is None:
            return group.id
        words = briefing.text(claim.span).split()
        text = " ".join(words[:12]) + (" …" if len(words) > 12 else "")
        actors = [names[e] for e in claim.entity_ids if e in names][:3]
        return f"{', '.join(actors)}: {text}" if actors else text

    return label


def framing_stage(briefing: Briefing, resources: Resources) -> Briefing:
    articles = [a for a in briefing.articles if a.clean_text.strip()]
    settings = resources.settings
    if not articles:
        return briefing.model_copy(update={"framing": Framing()})
    parsed = parse_sentences(articles, resources.nlp, batch_size=settings.batch_size, parses=resources.parses)
    packs = domain_packs.story_packs(briefing, settings)
    mentions = actor_mentions(briefing, parsed)
    quotes = quote_intervals(briefing)

    tallies: dict[str, ReferentTally] = {}
    if briefing.claim_groups and briefing.claims:
        collect_claim_wordings(
            briefing.claim_groups, {c.id: c for c in briefing.claims}, _sentence_finder(parsed),
            quotes, _group_label(briefing), tallies,
        )
    collect_actor_wordings(
        ((s.article_id, s.outlet, s.base, s.doc) for s in parsed), mentions, quotes, tallies,
        EVENT_NOUNS | domain_packs.event_nouns(packs),
    )

    outlets = sorted({a.outlet_name for a in articles})
    groups = resolve_groups(outlets, dict(settings.outlet_groups))
    counts = term_counts(parsed)
    distinctive = distinctive_terms(counts)
    if groups and len(set(groups.values()) | ({"(ungrouped)"} if len(groups) < len(outlets) else set())) >= 2:
        group_counts: dict[str, Counter[str]] = defaultdict(Counter)
        for outlet, outlet_counts in counts.items():
            # ungrouped outlets stay in "the rest of the story" without a row of their own
            group_counts[groups.get(outlet, "\0ungrouped")].update(outlet_counts)
        by_group = distinctive_terms(group_counts)
        by_group.pop("\0ungrouped", None)
        distinctive.update({group_key(g, outlets): terms for g, terms in by_group.items()})

    framing = Framing(
        outlet_groups=groups,
        referents=referent_wordings(tallies),
        distinctive=distinctive,
        loaded=loaded_marks(parsed, quotes, LoadedLexicon.default(packs=packs)),
        actor_sentiment=actor_sentiment(parsed, mentions),
        voices=voices(briefing),
    )
    return briefing.model_copy(update={"framing": framing})
