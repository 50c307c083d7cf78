"""Check-worthy claims: who asserts what, in which outlet, about whom, with which numbers.

One claim per sentence (two when a sentence joins independent clauses with
"and"/"but"), skipping questions, boilerplate, fragments and pure opinion.
An attributed sentence's claim is the reported content ("the plant will not
reopen" in "…, the company said") and its asserter the speaker, with the side
(party) the speaker speaks for; otherwise the asserter is the outlet's own voice.
The stage also chooses the story's domain packs (``briefing.packs``) and lists
its sides (``briefing.sides``).

``negated`` marks a claim whose main predicate is negated ("did not
capture", "no confirmation that…", "no longer control") or whose asserter
denies it ("the Kremlin denied that…"); ``predicate`` is the lemma of the
main verb or state, looking through reporting, aspectual and epistemic
wrappers ("it believed troops had withdrawn" → ``withdraw``, "forced to
retreat" → ``retreat``, "no confirmation that forces control" → ``control``).
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from manysides import packs as domain_packs
from manysides.analyse.claims.quantities import counted_nouns, extract_quantities
from manysides.analyse.claims.quotes import (
    Attribution,
    ParsedSentence,
    extract_quotes,
    parse_sentences,
)
from manysides.analyse.claims.sides import PartyTable, side_of
from manysides.lang import en
from manysides.model import Article, Asserter, Briefing, Claim, Entity, EntityType, Quote, Span, TimeRef
from manysides.resources import Resources

MIN_CLAIM_WORDS = 4

_BOILERPLATE = re.compile(
    r"\b(?:subscribe|newsletter|sign up|click here|read more|follow us|all rights reserved|"
    r"cookies?|advertisement|share this|getty images|photo:|image:|copyright|terms of use|"
    r"privacy policy|donate|support our|whatsapp|telegram channel)\b|©",
    re.IGNORECASE,
)
# Adjectives that make a copular sentence an evaluation rather than a report.
EVALUATIVE_WORDS = frozenset(
    """good bad great terrible shameful shameless heroic historic tragic brilliant
    unacceptable outrageous disgraceful disgrace shame glorious humiliating humiliation
    catastrophic disastrous magnificent stunning wonderful awful horrible evil criminal
    cowardly brave courageous barbaric despicable pathetic remarkable impressive
    important clear obvious right wrong fair unfair best worst""".split()
)
_PRESCRIPTIVE_AUX = frozenset({"should", "must", "ought", "shall"})
_FIRST_PERSON = frozenset({"i", "we"})
# Verbs that wrap the real event: "began to withdraw", "forced to retreat".
_WRAPPER_VERBS = frozenset(
    """begin start continue try attempt manage decide plan seek fail force compel
    order want intend aim appear seem need have""".split()
)
# Epistemic wrappers whose clause is the claim: "no confirmation that X", "it is unclear whether X".
_EPISTEMIC_WORDS = frozenset(
    """confirmation evidence sign indication information report proof word claim
    clear unclear certain uncertain possible likely unlikely confirm verify know""".split()
)
# Negating determiners: "no troops remain", "neither side".
_NEGATIVE_DET = en.NEGATION_WORDS & {"no", "neither", "nor"}
# "failed to capture" negates the inner act as "denied that" does.
_NEGATIVE_VERBS = en.NEGATIVE_VERBS | {"fail"}


@dataclass(frozen=True, slots=True)
class _Segment:
    start: int
    end: int
    attribution: Attribution | None


def claims_stage(briefing: Briefing, resources: Resources) -> Briefing:
    """Fill ``briefing.quotes`` and ``briefing.claims``.

    Works without the entities stage (speakers then stay unresolved names) and
    without time references.
    """
    articles = [a for a in briefing.articles if a.sentences]
    packs = domain_packs.story_packs(briefing, resources.settings)
    parties = PartyTable(domain_packs.party_members(packs, resources.settings.sides))
    count_nouns = domain_packs.count_nouns(packs)
    # The annotation pass's parses (``resources.parses``) save the second parse, which is
    # most of this stage's time.
    parsed = parse_sentences(articles, resources.nlp, parses=resources.parses)
    attributions = _with_story_sides(extract_quotes(articles, parsed, entities=briefing.entities),
                                     briefing.entities, parties)
    entity_spans = _entity_spans(briefing.entities)
    # People are named by their resolved full name (a typo or a bare surname would split
    # one speaker in two); organisations keep the phrase as written, which carries
    # the owner the entity name lacks ("Russia's defence ministry").
    entity_names = {entity.id: entity.canonical_name for entity in briefing.entities
                    if entity.type is EntityType.PER}
    times_by_article: dict[str, list[TimeRef]] = {}
    for time_ref in briefing.time_refs:
        times_by_article.setdefault(time_ref.article_id, []).append(time_ref)

    quotes: list[Quote] = []
    claims: list[Claim] = []
    for article in articles:
        article_attributions = attributions.get(article.id, [])
        quotes.extend(a.quote for a in article_attributions)
        claims.extend(
            extract_claims(
                article,
                parsed.get(article.id, []),
                article_attributions,
                entity_spans=entity_spans.get(article.id, []),
                time_refs=times_by_article.get(article.id, []),
                entity_names=entity_names,
                count_nouns=count_nouns,
            )
        )
    return briefing.model_copy(update={
        "quotes": quotes, "claims": claims, "packs": [pack.name for pack in packs],
        "sides": story_sides(quotes, parties),
    })


def _with_story_sides(
    attributions: Mapping[str, list[Attribution]], entities: Sequence[Entity], parties: PartyTable,
) -> dict[str, list[Attribution]]:
    """Attributions whose quotes carry the story's parties (the packs' or the user's), not bare countries."""
    by_id = {entity.id: entity for entity in entities}
    result: dict[str, list[Attribution]] = {}
    for article_id, items in attributions.items():
        result[article_id] = []
        for attribution in items:
            quote = attribution.quote
            side = side_of(quote.speaker, entity=by_id.get(quote.speaker_entity_id or ""), parties=parties)
            if side != quote.side:
                attribution = replace(attribution, quote=quote.model_copy(update={"side": side}))
            result[article_id].append(attribution)
    return result


def story_sides(quotes: Sequence[Quote], parties: PartyTable) -> list[str]:
    """The story's sides: the given parties first (in their order), then every other side
    a speaker speaks for, most quoted first."""
    counts = Counter(q.side for q in quotes if q.side)
    given = [party for party in parties.parties if party in counts]
    rest = sorted((s for s in counts if s not in parties.parties), key=lambda s: (-counts[s], s))
    return given + rest


def _entity_spans(entities: Sequence[Entity]) -> dict[str, list[tuple[int, int, str]]]:
    spans: dict[str, list[tuple[int, int, str]]] = {}
    for entity in entities:
        for span in entity.mentions:
            spans.setdefault(span.article_id, []).append((span.start, span.end, entity.id))
    for values in spans.values():
        values.sort()
    return spans


def claim_id(article_id: str, start: int, end: int) -> str:
    return "c" + hashlib.sha1(f"{article_id}:{start}:{end}".encode()).hexdigest()[:15]


def extract_claims(
    article: Article,
    parsed: Sequence[ParsedSentence],
    attributions: Sequence[Attribution],
    *,
    entity_spans: Sequence[tuple[int, int, str]] = (),
    time_refs: Sequence[TimeRef] = (),
    entity_names: Mapping[str, str] | None = None,
    count_nouns: frozenset[str] = frozenset(),
) -> list[Claim]:
    """Claims of one article from its parsed sentences and attributions.

    A speaker resolved to an entity is named by the entity's canonical name, so
    "Kohashenkov" and "Igor Konashenkov" assert as one party.
    """
    entity_names = entity_names or {}
    outlet = article.outlet_name
    text = article.clean_text
    mention_spans = sorted(
        {(m.start, m.end, m.entity_id) for m in article.mentions if m.entity_id} | set(entity_spans)
    )
    mention_starts = [m[0] for m in mention_spans]
    claims: list[Claim] = []
    seen: set[tuple[int, int]] = set()
    for sentence in parsed:
        if _skip_sentence(text, sentence):
            continue
        for segment in _segments(text, sentence, attributions):
            if (segment.start, segment.end) in seen:
                continue
            tokens = [
                t for t in sentence.doc
                if segment.start <= sentence.start_of(t) < segment.end and not t.is_space
            ]
            if sum(1 for t in tokens if t.is_alpha or t.like_num) < MIN_CLAIM_WORDS or is_opinion(
                tokens, outlet_voice=segment.attribution is None
            ):
                continue
            root = _segment_root(tokens)
            if root is None or not _has_verb(tokens):
                continue
            seen.add((segment.start, segment.end))
            predicate, negated = predicate_and_negation(root)
            attribution = segment.attribution
            if attribution is not None:
                negated = negated != attribution.negative_cue
                quote = attribution.quote
                asserter = Asserter(
                    name=entity_names.get(quote.speaker_entity_id or "", quote.speaker),
                    entity_id=quote.speaker_entity_id, side=quote.side,
                )
            else:
                asserter = Asserter(name=outlet, is_outlet_voice=True)
            low = bisect_left(mention_starts, segment.start)
            entity_ids: list[str] = []
            for start, end, entity_id in mention_spans[low:]:
                if start >= segment.end:
                    break
                if end <= segment.end and entity_id not in entity_ids:
                    entity_ids.append(entity_id)
            time = next(
                (t for t in sorted(time_refs, key=lambda t: t.start)
                 if t.start >= segment.start and t.end <= segment.end),
                None,
            )
            claims.append(
                Claim(
                    id=claim_id(article.id, segment.start, segment.end),
                    span=Span(article_id=article.id, start=segment.start, end=segment.end),
                    asserter=asserter,
                    outlet=outlet,
                    entity_ids=entity_ids,
                    quantities=extract_quantities(text[segment.start : segment.end], offset=segment.start,
                                                  article_id=article.id, counted=counted_nouns(tokens),
                                                  count_nouns=count_nouns),
                    time=time,
                    quote_id=attribution.quote.id if attribution else None,
                    negated=negated,
                    predicate=predicate,
                )
            )
    return claims


def _skip_sentence(text: str, sentence: ParsedSentence) -> bool:
    body = text[sentence.sentence.start : sentence.sentence.end].strip()
    if not body or body.rstrip("\"'”’»").endswith("?"):
        return True
    if _BOILERPLATE.search(body):
        return True
    return False


def _segments(text: str, sentence: ParsedSentence, attributions: Sequence[Attribution]) -> list[_Segment]:
    """The claim-bearing parts of a sentence with the attribution each carries."""
    sent_start, sent_end = sentence.sentence.start, sentence.sentence.end
    here = [
        a for a in attributions
        if a.quote.span.start < sent_end and a.quote.span.end > sent_start
    ]
    indirect = [a for a in here if a.marks is None]
    direct = [a for a in here if a.marks is not None]
    segments: list[_Segment] = []
    for attribution in direct:
        start = max(attribution.quote.span.start, sent_start)
        end = min(attribution.quote.span.end, sent_end)
        # A partial quote inside reported speech ("said troops were “regrouping”"):
        # the reported clause is the claim.
        host = next(
            (a for a in indirect
             if a.quote.span.start < start - 1 and a.quote.span.end >= end), None
        )
        if host is None:
            segments.append(_Segment(*_trim_claim(text, start, end), attribution))
    for attribution in indirect:
        start = max(attribution.quote.span.start, sent_start)
        end = min(attribution.quote.span.end, sent_end)
        segments.append(_Segment(*_trim_claim(text, start, end), attribution))
    if not segments:
        segments = [
            _Segment(*_trim_claim(text, start, end), None)
            for start, end in independent_clauses(sentence)
        ]
    return sorted(segments, key=lambda s: s.start)


def _trim_claim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in "\"“”«»„,;:–—-"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in "\"“”«»„,;:–—-"):
        end -= 1
    return start, end


def independent_clauses(sentence: ParsedSentence) -> list[tuple[int, int]]:
    """Split 'A did X, and B did Y' into its two clauses (each with its own subject)."""
    doc = sentence.doc
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    whole = [(sentence.sentence.start, sentence.sentence.end)]
    if root is None:
        return whole
    for conj in root.children:
        if conj.dep_ != "conj" or conj.i < root.i:
            continue
        has_subject = any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in conj.children)
        coordinator = next((c for c in root.children if c.dep_ in ("cc", "punct") and root.i < c.i < conj.i
                            and c.lower_ in ("and", "but", ";", "while", "whereas")), None)
        left_edge = conj.left_edge
        if not has_subject or coordinator is None or left_edge.i <= coordinator.i:
            continue
        first_end = sentence.start_of(coordinator)
        second_start = sentence.start_of(left_edge)
        return [(sentence.sentence.start, first_end), (second_start, sentence.sentence.end)]
    return whole


def _segment_root(tokens: Sequence) -> object | None:
    if not tokens:
        return None
    inside = {t.i for t in tokens}
    roots = [t for t in tokens if t.head.i not in inside or t.head.i == t.i]
    verbs = [t for t in roots if t.pos_ in ("VERB", "AUX")]
    return (verbs or roots or [None])[0]


def _has_verb(tokens: Sequence) -> bool:
    return any(t.pos_ in ("VERB", "AUX") for t in tokens)


def is_opinion(tokens: Sequence, *, outlet_voice: bool) -> bool:
    """Pure opinion: evaluative copulas, prescriptions, and first-person views in the outlet's voice."""
    root = _segment_root(tokens)
    if root is None:
        return True
    children = list(root.children)
    if any(c.dep_ == "aux" and c.lower_ in _PRESCRIPTIVE_AUX for c in children):
        return True
    if outlet_voice and any(c.dep_ in ("nsubj",) and c.lower_ in _FIRST_PERSON for c in children):
        return True
    if root.lemma_.lower() == "be":
        for complement in children:
            if complement.dep_ == "acomp" and complement.lower_ in EVALUATIVE_WORDS:
                return True
            if complement.dep_ == "attr" and any(
                m.dep_ == "amod" and m.lower_ in EVALUATIVE_WORDS for m in complement.children
            ):
                return True
    return False


def predicate_and_negation(root) -> tuple[str | None, bool]:
    """Lemma of the main verb or state of a clause, and whether it is negated.

    Looks through reporting verbs ("said troops withdrew" → withdraw), wrappers
    ("forced to retreat" → retreat) and epistemic frames ("no confirmation that
    forces control" → control, negated).
    """
    negated = False
    current = root
    for _ in range(4):
        negated = negated or _is_negated(current)
        lemma = current.lemma_.lower()
        children = list(current.children)
        # "failed to capture", "denied that troops withdrew": the inner act is negated.
        # Checked first: "fail" is also a wrapper and "deny" a reporting verb.
        negated = negated or lemma in _NEGATIVE_VERBS
        if lemma in en.REPORTING_VERBS or lemma in _WRAPPER_VERBS or lemma in ("confirm", "verify", "know"):
            inner = next((c for c in children if c.dep_ in ("ccomp", "xcomp")), None)
            if inner is not None:
                current = inner
                continue
        if lemma in ("be", "remain", "become", "have"):
            complement = next((c for c in children if c.dep_ in ("acomp", "attr")), None)
            if complement is not None:
                negated = negated or any(
                    c.dep_ == "det" and c.lower_ in _NEGATIVE_DET for c in complement.children
                )
                clause = next(
                    (c for c in complement.children if c.dep_ in ("acl", "ccomp", "xcomp", "advcl", "relcl")
                     and c.pos_ in ("VERB", "AUX")),
                    None,
                )
                if complement.lemma_.lower() in _EPISTEMIC_WORDS and clause is not None:
                    current = clause
                    continue
                return complement.lemma_.lower(), negated
            clause = next((c for c in children if c.dep_ in ("ccomp", "csubj")), None)
            if clause is not None:  # "it is unclear whether…" parses with a ccomp on "is"
                current = clause
                continue
            under = next(
                (p for p in children if p.dep_ == "prep" and p.lower_ in ("under", "in")), None
            )
            if under is not None:
                pobj = next((c for c in under.children if c.dep_ == "pobj"), None)
                if pobj is not None and pobj.lemma_.lower() in ("control", "siege", "occupation", "attack"):
                    return pobj.lemma_.lower(), negated
        if lemma in _NEGATIVE_VERBS:
            inner = next((c for c in children if c.dep_ in ("ccomp", "xcomp")), None)
            if inner is not None:
                current = inner
                continue
        return lemma, negated
    return current.lemma_.lower(), negated


def _is_negated(token) -> bool:
    for child in token.children:
        if child.dep_ == "neg" or (child.dep_ == "advmod" and child.lower_ in ("never", "no")):
            return True
        if child.dep_ == "advmod" and any(g.dep_ == "neg" for g in child.children):
            return True  # "no longer control"
        if child.dep_ in ("nsubj", "nsubjpass", "dobj") and any(
            g.dep_ == "det" and g.lower_ in _NEGATIVE_DET for g in child.children
        ):
            return True
        if child.dep_ in ("nsubj", "nsubjpass", "dobj") and child.lower_ in ("nothing", "nobody", "none", "no one"):
            return True
    return False


__all__ = [
    "EVALUATIVE_WORDS",
    "MIN_CLAIM_WORDS",
    "claim_id",
    "claims_stage",
    "extract_claims",
    "independent_clauses",
    "is_opinion",
    "predicate_and_negation",
]
