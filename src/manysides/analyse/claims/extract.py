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
denies it ("the ministry denied that…"); ``predicate`` is the lemma of the
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
from manysides.analyse.claims.speakers import (
    MESSAGE_NOUNS,
    SpeakerResolver,
    build_name_index,
    is_quote_cue,
    normalise_name,
    speaker_phrase,
    speaker_token,
)
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
    parties = PartyTable(domain_packs.party_members(packs, resources.settings.sides),
                         ordinary_words=frozenset(w for a in articles for w in en.WORD.findall(a.clean_text)
                                                  if w.islower()))
    count_nouns = domain_packs.count_nouns(packs)
    # The annotation pass's parses (``resources.parses``) save the second parse, which is
    # most of this stage's time.
    parsed = parse_sentences(articles, resources.nlp, parses=resources.parses)
    attributions = _with_story_sides(extract_quotes(articles, parsed, entities=briefing.entities),
                                     briefing.entities, parties)
    entity_spans = _entity_spans(briefing.entities)
    # People are named by their resolved full name (a typo or a bare surname would split
    # one speaker in two); organisations keep the phrase as written, which carries
    # the owner the entity name lacks ("Chile's interior ministry").
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
                entities=briefing.entities,
                parties=parties,
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
            entity = by_id.get(quote.speaker_entity_id or "")
            side = side_of(quote.speaker, entity=entity, parties=parties)
            if side is None and quote.side and entity is not None and entity.type is EntityType.PER \
                    and quote.side.casefold() not in parties.ordinary_words:
                # a side the speaker layer read beside a person's name ("X, a Republican,"), not in it
                side = parties.party_of_word(quote.side) or quote.side
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


def _last_word(text: str, end: int) -> str:
    words = en.WORD.findall(text[max(0, end - 24):end])
    return words[-1].lower() if words else ""


def extract_claims(
    article: Article,
    parsed: Sequence[ParsedSentence],
    attributions: Sequence[Attribution],
    *,
    entity_spans: Sequence[tuple[int, int, str]] = (),
    time_refs: Sequence[TimeRef] = (),
    entity_names: Mapping[str, str] | None = None,
    count_nouns: frozenset[str] = frozenset(),
    entities: Sequence[Entity] = (),
    parties: PartyTable | None = None,
) -> list[Claim]:
    """Claims of one article from its parsed sentences and attributions.

    A speaker resolved to an entity is named by the entity's canonical name, so
    "Hartwg" and "Jonas Hartwig" assert as one party. Sentences of a quotation
    left open over several sentences or paragraphs, and the lines a "X said:"
    introduces, are the quoted party's, not the outlet's.
    """
    entity_names = entity_names or {}
    outlet = article.outlet_name
    text = article.clean_text
    asserters = _AsserterFinder(article, parsed, attributions, entities=entities,
                                entity_names=entity_names, parties=parties)
    mention_spans = sorted(
        {(m.start, m.end, m.entity_id) for m in article.mentions if m.entity_id} | set(entity_spans)
    )
    mention_starts = [m[0] for m in mention_spans]
    claims: list[Claim] = []
    seen: set[tuple[int, int]] = set()
    for sentence in parsed:
        if _skip_sentence(text, sentence) or asserters.is_introduction(sentence):
            continue
        inherited = None
        for segment in _segments(text, sentence, attributions):
            if (segment.start, segment.end) in seen:
                continue
            tokens = [
                t for t in sentence.doc
                if segment.start <= sentence.start_of(t) < segment.end and not t.is_space
            ]
            # a reported figure is check-worthy in three words ("seven people died", officials say)
            least = MIN_CLAIM_WORDS - (segment.attribution is not None and any(t.like_num for t in tokens))
            if sum(1 for t in tokens if t.is_alpha or t.like_num) < least or is_opinion(
                tokens, outlet_voice=segment.attribution is None
            ):
                continue
            root = _segment_root(tokens)
            if root is None or not _has_verb(tokens):
                continue
            seen.add((segment.start, segment.end))
            predicate, negated = predicate_and_negation(root)
            attribution = segment.attribution
            quote_id = None
            if attribution is not None:
                negated = negated != attribution.negative_cue
                asserter = asserters.of_quote(attribution.quote)
                quote_id = attribution.quote.id
            else:
                if inherited is None:
                    inherited = asserters.inherited(sentence) or (Asserter(name=outlet, is_outlet_voice=True), None)
                asserter, quote_id = inherited
            low = bisect_left(mention_starts, segment.start)
            entity_ids: list[str] = []
            for start, end, entity_id in mention_spans[low:]:
                if start >= segment.end:
                    break
                if end <= segment.end and entity_id not in entity_ids:
                    entity_ids.append(entity_id)
            # "the highest since March 2019": a date that marks a comparison or a bound is not when
            # the claim's event happened
            time = next(
                (t for t in sorted(time_refs, key=lambda t: t.start)
                 if t.start >= segment.start and t.end <= segment.end
                 and _last_word(text, t.start) not in en.TIME_BOUND_WORDS),
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
                    quote_id=quote_id,
                    negated=negated,
                    predicate=predicate,
                )
            )
    return claims


# A list item: "- …", "• …", "1. …", "2) …".
_BULLET = re.compile(r"[-\u2013\u2014\u2022*\u25aa\u25cf\u00b7]\s+|\d{1,2}[.)]\s+")
# Verbs that introduce a block without reporting speech themselves: "X's talking points read:".
_INTRO_VERBS = frozenset({"read", "include", "state", "write", "list"})
_OPENING_MARKS = "\u201c\u201e\u00ab"
_CLOSING_MARKS = "\u201d\u00bb"
_PERSON_PRONOUNS = {"he": "male", "him": "male", "she": "female", "her": "female"}


@dataclass(frozen=True, slots=True)
class _Block:
    """Text a "X said:" line introduces, or a quotation run, with its asserter."""

    start: int
    end: int
    asserter: Asserter
    quote_id: str | None


class _AsserterFinder:
    """Who asserts a claim of one article, beyond the attribution that overlaps it.

    * a pronoun speaker the quote layer left unresolved goes to the last person named in the
      same or the previous paragraph whose gender the text does not contradict;
    * a sentence inside a quotation left open (a quote running over several sentences or
      paragraphs, each new paragraph reopening the mark) is the quote's speaker's;
    * the lines a "X said:" / "X's talking points read:" line introduces (a list, or the next
      paragraph) are X's.
    """

    def __init__(self, article: Article, parsed: Sequence[ParsedSentence], attributions: Sequence[Attribution],
                 *, entities: Sequence[Entity], entity_names: Mapping[str, str], parties: PartyTable | None):
        self.article = article
        self.text = article.clean_text
        self.parsed = list(parsed)
        self.attributions = sorted(attributions, key=lambda a: a.quote.span.start)
        self.entities = {entity.id: entity for entity in entities}
        self.entity_names = entity_names
        self.parties = parties
        self._resolver: SpeakerResolver | None = None
        self._people: list[tuple[int, int, str | None]] | None = None
        self._intros: dict[int, _Block | None] | None = None
        self._by_quote: dict[str, Asserter] = {}

    @property
    def resolver(self) -> SpeakerResolver:
        if self._resolver is None:
            self._resolver = SpeakerResolver(article=self.article, entities=self.entities,
                                             name_index=build_name_index(self.entities.values()))
        return self._resolver

    # -- asserters of quotes -------------------------------------------------

    def of_quote(self, quote: Quote) -> Asserter:
        if quote.id not in self._by_quote:
            at = quote.speaker_span.start if quote.speaker_span is not None else quote.span.start
            self._by_quote[quote.id] = self._asserter(quote.speaker, quote.speaker_entity_id, quote.side, at,
                                                      inside=(quote.span.start, quote.span.end))
        return self._by_quote[quote.id]

    def _asserter(self, name: str, entity_id: str | None, side: str | None, at: int,
                  inside: tuple[int, int] = (0, 0)) -> Asserter:
        wanted = _PERSON_PRONOUNS.get(name.strip().lower())
        if entity_id is None and wanted is not None:
            person = self._person_before(at, wanted, skip=inside)
            if person is not None:
                name, entity_id = person
                entity = self.entities.get(entity_id or "")
                side = side_of(name, entity=entity, parties=self.parties) or side
        return Asserter(name=self.entity_names.get(entity_id or "", name), entity_id=entity_id, side=side)

    def _person_before(self, position: int, wanted: str, *, skip: tuple[int, int]) -> tuple[str, str | None] | None:
        """The last person named in this or the previous paragraph before ``position``, outside the
        quote itself, whose gender the text leaves open or matches."""
        paragraph = self._paragraph_start(position)
        window = self._previous_paragraph(paragraph)
        window = paragraph if window is None else window
        for start, end, entity_id in reversed(self.people):
            if end > position or skip[0] <= start < skip[1]:
                continue
            if start < window:
                break
            if self.resolver.gender_at(start, end) in (None, wanted):
                name = self.text[start:end]
                return name, entity_id or self.resolver.name_index.get(normalise_name(name))
        return None

    @property
    def people(self) -> list[tuple[int, int, str | None]]:
        if self._people is None:
            found = {(m.start, m.end, m.entity_id) for m in self.article.mentions
                     if m.label == "PERSON" and (m.entity_id is None or self._is_person(m.entity_id))}
            for entity in self.entities.values():
                if entity.type is EntityType.PER:
                    found |= {(s.start, s.end, entity.id) for s in entity.mentions if s.article_id == self.article.id}
            by_start: dict[int, tuple[int, int, str | None]] = {}
            for start, end, entity_id in sorted(found, key=lambda m: (m[0], m[1], m[2] or "")):
                if start not in by_start or entity_id:
                    by_start[start] = (start, end, entity_id)
            self._people = sorted(by_start.values(), key=lambda m: m[0])
        return self._people

    def _is_person(self, entity_id: str) -> bool:
        entity = self.entities.get(entity_id)
        return entity is None or entity.type is EntityType.PER

    # -- sentences with no attribution of their own ----------------------------

    def is_introduction(self, sentence: ParsedSentence) -> bool:
        """"X's campaign said:" states nothing itself."""
        return sentence.start in self.intros

    def inherited(self, sentence: ParsedSentence) -> tuple[Asserter, str | None] | None:
        for block in self.intros.values():
            if block is not None and block.start <= sentence.start < block.end:
                return block.asserter, block.quote_id
        if self._inside_open_quote(sentence.start):
            attribution = self._run_attribution(sentence.start)
            if attribution is not None:
                return self.of_quote(attribution.quote), attribution.quote.id
        return None

    @property
    def intros(self) -> dict[int, _Block | None]:
        if self._intros is None:
            self._intros = {}
            for index, sentence in enumerate(self.parsed):
                cue = self._introducing_cue(sentence)
                if cue is not None:
                    self._intros[sentence.start] = self._block_after(index, sentence, cue)
        return self._intros

    def _introducing_cue(self, sentence: ParsedSentence):
        body = self.text[sentence.start:sentence.end].rstrip()
        if not body.endswith(":"):
            return None
        root = next((t for t in sentence.doc if t.dep_ == "ROOT"), None)
        if root is None or not (is_quote_cue(root) or root.lemma_.lower() in _INTRO_VERBS):
            return None
        if any(c.dep_ in ("ccomp", "xcomp", "dobj") for c in root.children):
            return None  # "X said the plan was: …" says something itself
        return root

    def _block_after(self, index: int, intro: ParsedSentence, cue) -> _Block | None:
        following = self.parsed[index + 1:]
        if not following:
            return None
        subject = speaker_token(cue)
        if subject is None:
            return None
        if subject.lemma_.lower() in MESSAGE_NOUNS | {"point"}:
            # "X's talking points read:", "the campaign's statement reads:": the author speaks.
            subject = next((c for c in subject.children if c.dep_ == "poss"), subject)
        speaker = self.resolver.resolve_speaker(speaker_phrase(intro, subject, self.resolver))
        if speaker is None:
            return None
        entity = self.entities.get(speaker.entity_id or "")
        side = side_of(speaker.name, entity=entity, parties=self.parties) or speaker.side
        asserter = self._asserter(speaker.name, speaker.entity_id, side, intro.start)
        first = following[0]
        if self._is_bullet(first.start):
            items = []
            for piece in following:
                if not self._is_bullet(self._line_start(piece.start)) and not self._is_bullet(piece.start):
                    break
                items.append(piece)
            end = items[-1].end
        else:
            paragraph = self._paragraph_start(first.start)
            end = self._run_end(paragraph) if self._opens_quote(paragraph) else self._paragraph_end(paragraph)
        return _Block(first.start, end, asserter, None)

    def _is_bullet(self, position: int) -> bool:
        return _BULLET.match(self.text, self._line_start(position)) is not None and \
            not self.text[self._line_start(position):position].strip(" -\u2013\u2014\u2022*\u25aa\u25cf\u00b7.)0123456789")

    def _line_start(self, position: int) -> int:
        return self.text.rfind("\n", 0, position) + 1

    def _paragraph_start(self, position: int) -> int:
        return self._line_start(position)

    def _paragraph_end(self, paragraph_start: int) -> int:
        end = self.text.find("\n", paragraph_start)
        return len(self.text) if end < 0 else end

    def _next_paragraph(self, paragraph_start: int) -> int | None:
        end = self._paragraph_end(paragraph_start)
        rest = self.text[end:]
        if not rest.strip():
            return None
        return end + len(rest) - len(rest.lstrip())

    def _previous_paragraph(self, paragraph_start: int) -> int | None:
        before = self.text[:paragraph_start].rstrip()
        return self._line_start(len(before)) if before else None

    def _opens_quote(self, paragraph_start: int) -> bool:
        return self.text[paragraph_start:paragraph_start + 1] in _OPENING_MARKS + '"'

    def _left_open(self, start: int, end: int) -> bool:
        """Whether text[start:end] opens a quotation it does not close."""
        region = self.text[start:end]
        opened = sum(region.count(mark) for mark in _OPENING_MARKS)
        closed = sum(region.count(mark) for mark in _CLOSING_MARKS)
        return opened > closed or region.count('"') % 2 == 1

    def _inside_open_quote(self, position: int) -> bool:
        paragraph = self._paragraph_start(position)
        # The sentence's own opening mark counts: text up to its first word.
        first_word = next((i for i in range(position, min(len(self.text), position + 8))
                           if self.text[i].isalnum()), position)
        return self._left_open(paragraph, first_word)

    def _run_start(self, paragraph: int) -> int:
        """Back over paragraphs that leave their quote open for this one to reopen."""
        while self._opens_quote(paragraph):
            previous = self._previous_paragraph(paragraph)
            if previous is None or not self._left_open(previous, self._paragraph_end(previous)):
                break
            paragraph = previous
        return paragraph

    def _run_end(self, paragraph: int) -> int:
        while self._left_open(paragraph, self._paragraph_end(paragraph)):
            following = self._next_paragraph(paragraph)
            if following is None or not self._opens_quote(following):
                break
            paragraph = following
        return self._paragraph_end(paragraph)

    def _run_attribution(self, position: int) -> Attribution | None:
        """The attribution of the quotation run around ``position``: the last one before it, else
        the first after it ("“A. B.\n\n“C,” she said.")."""
        paragraph = self._paragraph_start(position)
        start, end = self._run_start(paragraph), self._run_end(paragraph)
        inside = [a for a in self.attributions if a.quote.speaker and start <= a.quote.span.start < end]
        before = [a for a in inside if a.quote.span.start < position]
        if before:
            return before[-1]
        after = [a for a in inside if a.marks is not None]
        return after[0] if after else None


def _skip_sentence(text: str, sentence: ParsedSentence) -> bool:
    body = text[sentence.sentence.start : sentence.sentence.end].strip()
    if not body or body.rstrip(en.END_QUOTES).endswith("?"):
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
    indirect = [a for a in here if a.marks is None and _reports_speech(sentence, a)]
    direct = [a for a in here if a.marks is not None]
    segments: list[_Segment] = []
    for attribution in direct:
        start = max(attribution.quote.span.start, sent_start)
        end = min(attribution.quote.span.end, sent_end)
        if _is_fragment(sentence, start, end):
            # '… described the flooding as a "historic weather event," and …': the words quoted
            # are part of the outlet's sentence, which is the claim.
            continue
        # A partial quote inside reported speech ("said the plant was “restructuring”"):
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
    else:
        for extra in (_head_before_attribution(text, sentence, segments),
                      _tail_after_attribution(text, sentence, segments)):
            if extra is not None:
                segments.append(extra)
        segments.extend(_clauses_beside_attribution(text, sentence, segments))
    segments = [part for segment in segments for part in _split_subordinate(text, sentence, segment)]
    return sorted(segments, key=lambda s: s.start)
    tokens = [t for t in sentence.doc if segment.start <= t.idx < segment.end and not t.is_space]
    root = _segment_root(tokens)
    if root is None:
        return [segment]
    inside = {t.i for t in tokens}
    for conj in root.children:
        if conj.dep_ != "conj" or conj.i < root.i or conj.i not in inside or conj.pos_ not in ("VERB", "AUX"):
            continue
        if not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in conj.children):
            continue
        coordinator = next((c for c in root.children if c.dep_ == "cc" and root.i < c.i < conj.i
                            and c.lower_ in ("and", "but")), None)
        if coordinator is None or conj.left_edge.i <= coordinator.i:
            continue
        first = [t for t in tokens if t.i < coordinator.i]
        second = [t for t in tokens if t.i >= conj.left_edge.i]
        if _words(first) < MIN_CLAIM_WORDS or _words(second) < MIN_CLAIM_WORDS:
            continue
        head = _Segment(*_trim_claim(text, segment.start, sentence.start_of(coordinator)), segment.attribution)
        tail = _Segment(*_trim_claim(text, sentence.start_of(conj.left_edge), segment.end), segment.attribution)
        if head.end > head.start and tail.end > tail.start:
            return [head, tail]
    return [segment]


# Conjunctions of a trailing clause that states its own event: "…, after a downpour killed eight".
_EVENT_MARKS = frozenset({"after", "as", "when", "since", "because", "while", "before", "following"})


def _split_subordinate(text: str, sentence: ParsedSentence, segment: _Segment) -> list[_Segment]:
    """Two facts in one sentence are two claims: a trailing adverbial clause with its own subject
    ("The region awoke to flooded basements after a downpour killed eight people") or a trailing
    apposition with its own verb ("…1,000 troops in Syria, a change that comes after …")."""
    tokens = [t for t in sentence.doc if segment.start <= t.idx < segment.end and not t.is_space]
    inside = {t.i for t in tokens}
    for token in tokens:
        cut = None
        if token.dep_ == "advcl" and token.tag_ in _FINITE_TAGS and token.head.i in inside \
                and any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children):
            mark = next((c for c in token.children if c.dep_ == "mark" and c.lower_ in _EVENT_MARKS), None)
            if mark is not None and min(t.i for t in token.subtree) == mark.i:
                cut = (mark, [t for t in token.subtree if t.i != mark.i])
        elif token.dep_ == "appos" and token.head.i in inside and any(
                c.dep_ == "relcl" and c.tag_ in _FINITE_TAGS for c in token.children):
            before = token.doc[token.left_edge.i - 1] if token.left_edge.i > sentence.doc[0].i else None
            if before is not None and before.text == ",":
                cut = (before, list(token.subtree))
        if cut is None:
            continue
        boundary, clause = cut
        if max(t.i for t in clause) < max(inside) - 1 or _words(clause) < MIN_CLAIM_WORDS:
            continue  # only a clause that ends the segment, and says enough
        main = [t for t in tokens if t.i < boundary.i]
        if _words(main) < MIN_CLAIM_WORDS or not _has_verb(main):
            continue
        first = _Segment(*_trim_claim(text, segment.start, sentence.start_of(boundary)), segment.attribution)
        second = _Segment(*_trim_claim(text, clause[0].idx, segment.end), segment.attribution)
        if first.end > first.start and second.end > second.start:
            return [first, second]
    return _split_at_event_mark(text, sentence, segment, tokens)


def _acts(token) -> bool:
    """A finite verb, a past form with an object the parser took for a participle ("a storm
    killed four people" parsed as "storm [killed four people]"), or a clause head with its own
    subject the tagger took for a noun ("when production moves to …" with "moves" tagged NNS)."""
    return token.tag_ in _FINITE_TAGS or (token.tag_ == "VBN" and any(c.dep_ == "dobj" for c in token.children)
                                          and not any(c.dep_ in ("aux", "auxpass") for c in token.children)) \
        or (token.dep_ in ("advcl", "ccomp", "conj", "relcl") and token.tag_ in ("NNS", "NN")
            and any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children))


def _split_at_event_mark(text: str, sentence: ParsedSentence, segment: _Segment, tokens: Sequence) -> list[_Segment]:
    """The parser often hangs "as/after X did Y" on the wrong word: read it off the words. The mark
    needs a finite verb on each side and a subject between it and its own verb."""
    for k, token in enumerate(tokens):
        if token.lower_ not in _EVENT_MARKS or k == 0:
            continue
        previous, following = tokens[k - 1], tokens[k + 1] if k + 1 < len(tokens) else None
        if following is None or previous.lower_ in ("such", "as", "well", "just", "soon") \
                or following.lower_ in ("well", "many", "much", "soon", "long", "far", "of", "if", "though") \
                or following.like_num or following.pos_ in ("VERB", "AUX", "ADV", "PRON") and following.lower_ not in ("it", "they", "he", "she", "we"):
            continue
        main, rest = tokens[:k], tokens[k + 1:]
        verb = next((j for j, t in enumerate(rest) if _acts(t)), None)
        if verb is None or verb == 0 or rest[verb - 1].tag_ == "POS" or not any(t.tag_ in _FINITE_TAGS for t in main):
            continue
        if _words(main) < MIN_CLAIM_WORDS or _words(rest) < MIN_CLAIM_WORDS:
            continue
        first = _Segment(*_trim_claim(text, segment.start, sentence.start_of(token)), segment.attribution)
        second = _Segment(*_trim_claim(text, rest[0].idx, segment.end), segment.attribution)
        if first.end > first.start and second.end > second.start:
            return [first, second]
    return [segment]


def _clauses_beside_attribution(text: str, sentence: ParsedSentence,
                                segments: Sequence[_Segment]) -> list[_Segment]:
    """"Rescuers pulled nine survivors, and the office says seven were killed": an independent
    clause joined to an attributed one states its own fact, in the outlet's voice."""
    clauses = independent_clauses(sentence)
    if len(clauses) < 2:
        return []
    found: list[_Segment] = []
    for start, end in clauses:
        start, end = _trim_claim(text, start, end)
        if end <= start or any(s.start < end and start < s.end for s in (*segments, *found)):
            continue
        tokens = [t for t in sentence.doc if start <= t.idx < end and not t.is_space]
        if any(t.lemma_.lower() in en.REPORTING_VERBS for t in tokens):
            continue  # the attribution's own frame ("the office says …")
        if _words(tokens) < MIN_CLAIM_WORDS or not any(t.tag_ in _FINITE_TAGS for t in tokens):
            continue
        found.append(_Segment(start, end, None))
    return found


# Finite verb tags: a tail after "…, officials said," that states something has one.
_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})


def _words(tokens) -> int:
    return sum(1 for t in tokens if t.is_alpha or t.like_num)


def _is_fragment(sentence: ParsedSentence, start: int, end: int) -> bool:
    """A few quoted words inside a longer sentence of the outlet's own."""
    inside = [t for t in sentence.doc if start <= t.idx < end]
    outside = [t for t in sentence.doc if not start <= t.idx < end]
    return _words(inside) < MIN_CLAIM_WORDS and _words(outside) >= MIN_CLAIM_WORDS and _has_verb(outside)


def _reports_speech(sentence: ParsedSentence, attribution: Attribution) -> bool:
    """"U.S. employers added 224,000 jobs": a reporting verb with an object and no reported clause
    reports no speech, so its subject asserts nothing."""
    quote = attribution.quote
    cues = [t for t in sentence.doc if t.lemma_.lower() == attribution.cue_lemma and t.pos_ in ("VERB", "AUX")
            and not quote.span.start <= t.idx < quote.span.end]
    if not cues:
        return True
    return any(not any(c.dep_ == "dobj" for c in cue.children) or any(_is_clause(c) for c in cue.children)
               for cue in cues)


def _is_clause(token) -> bool:
    """A reported clause: a complement with its own subject or a "that" ("…, easing fears" is not)."""
    return token.dep_ == "ccomp" and any(c.dep_ in ("nsubj", "nsubjpass", "expl", "mark") for c in token.children)


def _head_before_attribution(text: str, sentence: ParsedSentence, segments: Sequence[_Segment]) -> _Segment | None:
    """"Officials acknowledged the error on Friday, saying the strike killed ten": the main clause
    before a participle cue states something of its own, in the outlet's voice."""
    first = min(segments, key=lambda s: s.start)
    if first.attribution is None:
        return None
    cue = next((t for t in sentence.doc if sentence.start_of(t) < first.start and t.tag_ == "VBG"
                and t.lemma_.lower() == first.attribution.cue_lemma and t.dep_ in ("advcl", "xcomp", "conj")), None)
    if cue is None or cue.head.i == cue.i:
        return None
    comma = next((t for t in reversed(list(sentence.doc)) if t.i < cue.i and t.text == ","), None)
    if comma is None:
        return None
    head = [t for t in sentence.doc if t.i < comma.i and not t.is_space]
    if _words(head) < MIN_CLAIM_WORDS or not any(t.tag_ in _FINITE_TAGS for t in head):
        return None
    start, end = _trim_claim(text, sentence.start, sentence.start_of(comma))
    if any(s.start < end and start < s.end for s in segments):
        return None
    return _Segment(start, end, None) if end > start else None


def _tail_after_attribution(text: str, sentence: ParsedSentence, segments: Sequence[_Segment]) -> _Segment | None:
    """"X did Y, officials said, a shift that comes after Z": what follows the attribution states
    something of its own, in the outlet's voice."""
    last = max(segments, key=lambda s: s.end)
    if last.attribution is None:
        return None
    tokens = [t for t in sentence.doc if t.idx >= last.end]
    cue = next((i for i, t in enumerate(tokens) if t.lemma_.lower() == last.attribution.cue_lemma
                and t.pos_ in ("VERB", "AUX")), None)
    if cue is None:
        return None
    comma = next((i for i in range(cue + 1, len(tokens)) if tokens[i].text == ","), None)
    if comma is None:
        return None
    rest = [t for t in tokens[comma + 1:] if not t.is_space]
    if _words(rest) < MIN_CLAIM_WORDS or not any(t.tag_ in _FINITE_TAGS for t in rest):
        return None
    if any(t.lemma_.lower() in en.REPORTING_VERBS and t.head.i == tokens[cue].i for t in rest):
        return None  # "…, he said, adding that …" is the attribution's own
    start, end = _trim_claim(text, rest[0].idx, sentence.end)
    return _Segment(start, end, None) if end > start else None


_CLAIM_EDGES = en.DOUBLE_QUOTES + ",;:–—-\u2022\u25aa\u25cf\u00b7*"


def _trim_claim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in _CLAIM_EDGES):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _CLAIM_EDGES):
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
    return any(t.pos_ in ("VERB", "AUX") or _acts(t) for t in tokens)


def is_opinion(tokens: Sequence, *, outlet_voice: bool) -> bool:
    """Pure opinion: prescriptions, first-person views in the outlet's voice, and evaluative
    copulas, except a speaker's judgement of someone or something named."""
    root = _segment_root(tokens)
    if root is None:
        return True
    children = list(root.children)
    if any(c.dep_ == "aux" and c.lower_ in _PRESCRIPTIVE_AUX for c in children):
        return True
    if outlet_voice and any(c.dep_ in ("nsubj",) and c.lower_ in _FIRST_PERSON for c in children):
        return True
    subject = next((c for c in children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if not outlet_voice and subject is not None and subject.lower_ not in ("this", "that", "these", "those"):
        # "they were very wrong", a general said: a speaker's judgement of someone or something
        # named is what they assert (an admission, an accusation); "this is shameful" stays opinion.
        return False
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
