"""Same referent, different words: what each outlet says an actor or event *did*.

For every actor that is the subject of a sentence (or the owner of an event
noun: "the company's closure", "the resignation of the minister"), the dependency
parse gives the predicate each outlet chose — "cut", "lay off", "slash" —
lemmatised, counted, with spans, and flagged when the word sits inside a quote
(the speaker's word, not the outlet's). Claim groups, when present, add one
referent per group: the main verb each outlet's version of the claim uses.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from manysides.lang import en
from manysides.model import Claim, ClaimGroup, ReferentWording, Span, Wording

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "agent"})
OBJECT_DEPS = frozenset({"dobj", "pobj", "iobj", "dative", "attr", "oprd"})
MODIFIER_DEPS = frozenset({"amod", "compound", "poss", "nmod"})

# Nouns that stand for an actor's armed forces: "Chadian troops" and "Chadian
# forces" are one referent.
FORCE_NOUNS = frozenset(
    {"force", "forces", "troop", "troops", "army", "soldier", "military", "unit", "serviceman",
     "servicemen", "fighter", "grouping", "garrison", "formation", "contingent", "brigade",
     "battalion"}
)
# Verbs that say nothing about the event themselves; their complement does
# ("began to cut", "were forced to close").
LIGHT_VERBS = frozenset(
    {"begin", "start", "continue", "try", "attempt", "seem", "appear", "be", "become", "force",
     "manage", "have", "need", "want", "decide", "keep", "go", "get", "do", "make"}
)
# Attribution, not framing of the event: handled by the voices view.
REPORTING_VERBS = en.REPORTING_VERBS | {"according", "accord", "publish", "cite", "show", "see"}
# Event nouns of news in general an outlet may use for what an actor did; a domain
# pack adds its own (``event_nouns.txt``).
EVENT_NOUNS = frozenset(
    {"collapse", "advance", "attack", "defeat", "victory", "evacuation", "surrender", "strike",
     "breakthrough", "push", "operation", "escape", "exodus", "setback", "loss", "gain", "success",
     "failure", "blunder", "triumph", "terror", "campaign", "closure", "shutdown", "layoff",
     "cut", "resignation", "arrest", "protest", "shooting", "merger", "takeover", "bankruptcy",
     "recall", "crackdown", "raid", "walkout", "boycott", "bailout", "rescue", "expansion"}
)
MAX_WORDS_PER_OUTLET = 8
MAX_REFERENTS = 25


@dataclass(frozen=True, slots=True)
class ActorMention:
    start: int
    end: int
    actor_id: str
    label: str


@dataclass(frozen=True, slots=True)
class QuoteInterval:
    start: int
    end: int
    speaker: str


@dataclass
class WordTally:
    count: int = 0
    quoted_count: int = 0
    spans: list[Span] = field(default_factory=list)
    speakers: list[str] = field(default_factory=list)


@dataclass
class ReferentTally:
    label: str
    claim_group_ids: list[str] = field(default_factory=list)
    words: dict[tuple[str, str], WordTally] = field(default_factory=dict)  # (outlet, word)

    def add(self, outlet: str, word: str, span: Span, quote: QuoteInterval | None) -> None:
        tally = self.words.setdefault((outlet, word), WordTally())
        tally.count += 1
        tally.spans.append(span)
        if quote is not None:
            tally.quoted_count += 1
            if quote.speaker and quote.speaker not in tally.speakers:
                tally.speakers.append(quote.speaker)

    @property
    def outlets(self) -> set[str]:
        return {outlet for outlet, _ in self.words}


def mention_at(start: int, end: int, mentions: Sequence[ActorMention]) -> ActorMention | None:
    for mention in mentions:
        if mention.start < end and start < mention.end:
            return mention
    return None


def quote_at(position: int, quotes: Sequence[QuoteInterval]) -> QuoteInterval | None:
    for quote in quotes:
        if quote.start <= position < quote.end:
            return quote
    return None


def _token_bounds(token, base: int) -> tuple[int, int]:
    return base + token.idx, base + token.idx + len(token.text)


def actor_of_noun(token, base: int, mentions: Sequence[ActorMention], *, recent_forces=None):
    """(actor_id, label) for a noun token, or None.

    The token itself may be a mention ("Ethiopia", "Abiy"); a force noun
    modified by a mention ("Ethiopian troops", "Sudan's army") is that actor's
    forces. A bare force noun ("the troops", "its troops") is taken to be the
    forces named last in the article (``recent_forces``), a one-step
    coreference that holds in war reports, where "the troops" follows
    "Ethiopian troops".
    """
    mention = mention_at(*_token_bounds(token, base), mentions)
    is_force = token.lemma_.lower() in FORCE_NOUNS or token.lower_ in FORCE_NOUNS
    if mention is not None and not is_force:
        return mention.actor_id, mention.label
    if is_force:
        for child in token.children:
            if child.dep_ in MODIFIER_DEPS:
                mention = mention_at(*_token_bounds(child, base), mentions)
                if mention is not None:
                    return f"{mention.actor_id}#forces", f"{mention.label} forces"
        if recent_forces is not None and not any(
            c.dep_ in ("amod", "compound") or (c.dep_ == "poss" and c.pos_ != "PRON")
            for c in token.children
        ):
            return recent_forces
    return None


PARTICLE_ADVERBS = frozenset({"back", "out", "away", "off"})


def noun_word(noun) -> str:
    """Event-noun lemma; a gerund is folded into its verb ("regrouping" -> "regroup")."""
    lemma = noun.lemma_.lower()
    if lemma.endswith("ing") and len(lemma) > 6:
        return lemma[:-3]
    return lemma


def verb_word(verb) -> str:
    """Lemma with its particle and negation: "pull back", "not retreat"."""
    word = verb.lemma_.lower()
    particles = [
        c.lower_ for c in verb.children
        if c.dep_ == "prt" or (c.dep_ == "advmod" and c.lower_ in PARTICLE_ADVERBS)
    ]
    if particles:
        word = f"{word} {' '.join(particles)}"
    if any(c.dep_ == "neg" for c in verb.children):
        word = f"not {word}"
    return word


def content_predicates(verb, *, depth: int = 0, event_nouns: frozenset[str] = EVENT_NOUNS) -> list:
    """The tokens that carry meaning for ``verb``: itself, or its complement if it is light."""
    lemma = verb.lemma_.lower()
    if depth > 3 or lemma in REPORTING_VERBS:
        return []
    if lemma in LIGHT_VERBS:
        complements = [c for c in verb.children if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX")]
        if complements:
            return [p for c in complements for p in content_predicates(c, depth=depth + 1, event_nouns=event_nouns)]
        if lemma == "be":
            # copula: "were in full retreat", "was a rout"
            nouns = [
                grandchild
                for child in verb.children
                if child.dep_ == "prep"
                for grandchild in child.children
                if grandchild.dep_ == "pobj" and grandchild.lemma_.lower() in event_nouns
            ] + [c for c in verb.children if c.dep_ in ("attr", "acomp") and c.lemma_.lower() in event_nouns]
            return nouns
        if lemma in ("force",) and verb.pos_ == "VERB":
            return [verb]
        return []
    if verb.pos_ not in ("VERB", "NOUN"):
        return []
    return [verb]


def subject_predicates(subject, event_nouns: frozenset[str] = EVENT_NOUNS) -> list:
    head = subject.head
    if head.i == subject.i or head.pos_ not in ("VERB", "AUX"):
        return []
    verbs = [head] + [
        conj
        for conj in head.conjuncts
        if conj.pos_ == "VERB" and not any(c.dep_ in SUBJECT_DEPS for c in conj.children)
    ]
    return [p for verb in verbs for p in content_predicates(verb, event_nouns=event_nouns)]


def event_noun_actor(noun, base: int, mentions: Sequence[ActorMention], *, recent_forces=None):
    """Who did the event a noun names: "Acme's closure", "the resignation of the minister"."""
    for child in noun.children:
        if child.dep_ == "poss":
            actor = actor_of_noun(child, base, mentions, recent_forces=recent_forces)
            if actor:
                return actor
        if child.dep_ in ("amod", "compound"):
            mention = mention_at(*_token_bounds(child, base), mentions)
            if mention is not None:
                return f"{mention.actor_id}#forces", f"{mention.label} forces"
        if child.dep_ == "prep" and child.lower_ in ("of", "by"):
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    actor = actor_of_noun(pobj, base, mentions, recent_forces=recent_forces)
                    if actor:
                        return actor
    return None


def collect_actor_wordings(
    sentences: Iterable[tuple[str, str, int, object]],
    mentions_by_article: dict[str, list[ActorMention]],
    quotes_by_article: dict[str, list[QuoteInterval]],
    tallies: dict[str, ReferentTally],
    event_nouns: frozenset[str] = EVENT_NOUNS,
) -> None:
    """Add each (article_id, outlet, base offset, doc) sentence's actor predicates to ``tallies``.

    ``event_nouns``: the general ones plus those of the story's domain packs."""
    recent_forces = None
    current_article = None
    for article_id, outlet, base, doc in sentences:
        if article_id != current_article:
            current_article, recent_forces = article_id, None
        mentions = mentions_by_article.get(article_id, ())
        quotes = quotes_by_article.get(article_id, ())
        for token in doc:
            found = None
            if token.dep_ in SUBJECT_DEPS and token.pos_ in ("NOUN", "PROPN"):
                actor = actor_of_noun(token, base, mentions, recent_forces=recent_forces)
                if actor:
                    found = (actor, subject_predicates(token, event_nouns))
            if found is None and token.pos_ == "NOUN" and token.lemma_.lower() in event_nouns:
                actor = event_noun_actor(token, base, mentions, recent_forces=recent_forces)
                if actor:
                    found = (actor, [token])
            if not found:
                continue
            (actor_id, label), predicates = found
            if actor_id.endswith("#forces"):
                recent_forces = (actor_id, label)
            tally = tallies.setdefault(actor_id, ReferentTally(label=label))
            for predicate in predicates:
                start, end = _token_bounds(predicate, base)
                word = verb_word(predicate) if predicate.pos_ in ("VERB", "AUX") else noun_word(predicate)
                tally.add(outlet, word, Span(article_id=article_id, start=start, end=end),
                          quote_at(start, quotes))


def collect_claim_wordings(
    groups: Sequence[ClaimGroup],
    claims_by_id: dict[str, Claim],
    sentence_lookup,
    quotes_by_article: dict[str, list[QuoteInterval]],
    label_of_group,
    tallies: dict[str, ReferentTally],
) -> None:
    """One referent per claim group reported by several outlets: each claim's main verb.

    ``sentence_lookup(article_id, position) -> (base, doc) | None`` finds the
    parsed sentence holding a claim, for claims without ``predicate``.
    """
    for group in groups:
        claims = [claims_by_id[c] for c in group.claim_ids if c in claims_by_id]
        if len({claim.outlet for claim in claims}) < 2:
            continue
        tally = tallies.setdefault(
            f"group:{group.id}", ReferentTally(label=label_of_group(group), claim_group_ids=[group.id])
        )
        for claim in claims:
            word, span = claim.predicate, claim.span
            if not word:
                word, span = _claim_root(claim, sentence_lookup)
            if not word:
                continue
            quote = None
            if claim.quote_id or not claim.asserter.is_outlet_voice:
                quote = QuoteInterval(claim.span.start, claim.span.end, claim.asserter.name)
            tally.add(claim.outlet, word.lower(), span, quote)


def _claim_root(claim: Claim, sentence_lookup) -> tuple[str | None, Span]:
    found = sentence_lookup(claim.span.article_id, claim.span.start)
    if found is None:
        return None, claim.span
    base, doc = found
    def within(token) -> bool:
        return claim.span.start <= base + token.idx < claim.span.end

    # spaCy makes a new Token object per access: compare indices, never identity
    roots = [t for t in doc if within(t) and (t.head.i == t.i or not within(t.head))]
    for root in roots:
        predicates = content_predicates(root) if root.pos_ in ("VERB", "AUX") else []
        if predicates:
            predicate = predicates[0]
            start, end = _token_bounds(predicate, base)
            word = verb_word(predicate) if predicate.pos_ in ("VERB", "AUX") else noun_word(predicate)
            return word, Span(article_id=claim.span.article_id, start=start, end=end)
    return None, claim.span


def referent_wordings(tallies: dict[str, ReferentTally], *, min_outlets: int = 2) -> list[ReferentWording]:
    """Referents several outlets describe, most-described and most-varied first."""
    chosen = [t for t in tallies.values() if len(t.outlets) >= min_outlets]
    chosen.sort(
        key=lambda t: (
            -len(t.outlets),
            -len({word for _, word in t.words}),
            -sum(w.count for w in t.words.values()),
            t.label,
        )
    )
    result = []
    for tally in chosen[:MAX_REFERENTS]:
        wordings = []
        for outlet in sorted(tally.outlets):
            mine = sorted(
                ((word, w) for (o, word), w in tally.words.items() if o == outlet),
                key=lambda item: (-item[1].count, item[0]),
            )[:MAX_WORDS_PER_OUTLET]
            wordings.extend(
                Wording(outlet=outlet, word=word, count=w.count, spans=w.spans,
                        quoted_count=w.quoted_count, speakers=w.speakers)
                for word, w in mine
            )
        result.append(
            ReferentWording(referent=tally.label, claim_group_ids=tally.claim_group_ids, wordings=wordings)
        )
    return result
