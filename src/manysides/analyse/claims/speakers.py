"""Speakers: the noun phrase behind a reporting verb, resolved to a name, an entity and a side."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from manysides.analyse.claims.sides import side_of
from manysides.lang import en
from manysides.model import Article, Entity, EntityType, Span

if TYPE_CHECKING:
    from manysides.analyse.claims.quotes import ParsedSentence

# Lemmas of verbs that report speech or a stated position. "believe", "assess"
# and "estimate" are here because analysts' and governments' assessments
# ("British officials said it believed…", "ISW assessed that…") are claims
# with an asserter, not the outlet's own.
REPORTING_VERBS = en.REPORTING_VERBS
# Cues whose speaker asserts the *opposite* of the content ("denied that…").
NEGATIVE_REPORTING_VERBS = en.NEGATIVE_VERBS
# Nouns for a message rather than its author: "the ministry's statement said".
MESSAGE_NOUNS = frozenset(
    """statement report communique communiqué briefing update post message video address
    release bulletin announcement summary assessment note letter telegram channel""".split()
)
# Heads of definite descriptions that usually refer back to an earlier speaker.
ANAPHORIC_HEADS = frozenset(
    """ministry spokesman spokeswoman spokesperson official officials governor president
    army military command staff mayor agency department commander general minister
    leader head administration authorities government institute analyst analysts
    service office military""".split()
)
_PRONOUNS_PERSON = frozenset({"he", "she", "him", "her"})
_SPEAKER_DEPS = ("nsubj", "nsubjpass")


@dataclass(slots=True)
class SpeakerCandidate:
    text: str
    start: int
    end: int
    head_lower: str
    head_lemma: str
    is_pronoun: bool = False
    mention_label: str | None = None


@dataclass(slots=True)
class ResolvedSpeaker:
    name: str
    span: Span | None
    entity_id: str | None
    side: str | None
    is_person: bool


@dataclass
class SpeakerResolver:
    """Resolves speaker phrases in one article to names, spans, entities and sides."""

    article: Article
    entities: dict[str, Entity]
    name_index: dict[str, str]  # normalised name -> entity id
    history: list[ResolvedSpeaker] = field(default_factory=list)
    # Proper-name subjects of two or more words ("Iryna Vereshchuk visited…"): antecedents for
    # "he"/"she" when the NER missed the person (it tags some Ukrainian names ORG).
    subject_names: list[tuple[int, int, str, str | None]] = field(default_factory=list)
    _person_mentions: list[tuple[int, int, str, str | None]] = field(default_factory=list)
    _mentions: list[tuple[int, int, str, str | None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        for mention in sorted(self.article.mentions, key=lambda m: m.start):
            label = mention.label
            entity = self.entities.get(mention.entity_id) if mention.entity_id else None
            if entity is not None:
                label = _entity_label(entity, label)
            self._mentions.append((mention.start, mention.end, label, mention.entity_id))
            if label == "PERSON":
                self._person_mentions.append((mention.start, mention.end, label, mention.entity_id))
        for entity in self.entities.values():
            for span in entity.mentions:
                if span.article_id == self.article.id and not any(
                    s <= span.start < e for s, e, _, _ in self._mentions
                ):
                    label = _entity_label(entity, "")
                    self._mentions.append((span.start, span.end, label, entity.id))
                    if label == "PERSON":
                        self._person_mentions.append((span.start, span.end, label, entity.id))
        self._mentions.sort()
        self._person_mentions.sort()

    # -- mentions ---------------------------------------------------------
    def mentions_in(self, start: int, end: int) -> list[tuple[int, int, str, str | None]]:
        return [m for m in self._mentions if m[0] >= start and m[1] <= end]

    def resolve(self, candidate: SpeakerCandidate) -> ResolvedSpeaker:
        if candidate.is_pronoun:
            antecedent = self._antecedent(candidate)
            if antecedent is not None:
                return antecedent
        elif candidate.head_lemma in ANAPHORIC_HEADS and candidate.text.lower().startswith(
            ("the ", "that ", "this ")
        ) and side_of(candidate.text) is None and not self.mentions_in(candidate.start, candidate.end):
            earlier = self._earlier_speaker_with(candidate.head_lemma, candidate.start)
            if earlier is not None:
                return earlier
        entity_id = self._entity_for(candidate)
        entity = self.entities.get(entity_id) if entity_id else None
        resolved = ResolvedSpeaker(
            name=candidate.text,
            span=Span(article_id=self.article.id, start=candidate.start, end=candidate.end),
            entity_id=entity_id,
            side=side_of(candidate.text, entity=entity),
            is_person=(candidate.mention_label == "PERSON")
            or (entity is not None and entity.type == EntityType.PER),
        )
        return resolved

    def remember(self, speaker: ResolvedSpeaker) -> None:
        self.history.append(speaker)

    def _entity_for(self, candidate: SpeakerCandidate) -> str | None:
        inside = [m for m in self.mentions_in(candidate.start, candidate.end) if m[3]]
        if inside:
            # Prefer a person, then an organisation, over the country in "Russia's defence ministry".
            rank = {"PERSON": 0, "ORG": 1}
            best = min(inside, key=lambda m: (rank.get(m[2], 2), -(m[1] - m[0])))
            if best[2] in ("PERSON", "ORG") or (best[0] == candidate.start and best[1] == candidate.end):
                return best[3]
        key = normalise_name(candidate.text)
        if key in self.name_index:
            return self.name_index[key]
        if candidate.mention_label == "PERSON":
            surname = key.split()[-1] if key else ""
            return self.name_index.get(surname)
        return None

    def _antecedent(self, candidate: SpeakerCandidate) -> ResolvedSpeaker | None:
        if candidate.head_lower in _PRONOUNS_PERSON:
            mention = self._last_person_before(candidate.start)
            last_person_speaker = next((s for s in reversed(self.history) if s.is_person), None)
            if mention is not None and (
                last_person_speaker is None
                or last_person_speaker.span is None
                or mention[0] >= last_person_speaker.span.start
            ):
                name = self.article.clean_text[mention[0] : mention[1]]
                entity_id = mention[3] or self.name_index.get(normalise_name(name))
                if entity_id is None:
                    entity_id = self.name_index.get(normalise_name(name).split()[-1])
                entity = self.entities.get(entity_id) if entity_id else None
                return ResolvedSpeaker(
                    name=name,
                    span=Span(article_id=self.article.id, start=mention[0], end=mention[1]),
                    entity_id=entity_id,
                    side=side_of(name, entity=entity),
                    is_person=True,
                )
            return last_person_speaker
        # "it" / "they": the last speaker that is not a person (a ministry, officials).
        return next((s for s in reversed(self.history) if not s.is_person), None)

    def _last_person_before(self, position: int) -> tuple[int, int, str, str | None] | None:
        """The nearest person mention before ``position`` that looks like a person.

        The statistical NER tags some transliterated towns as PERSON ("Balakliia"),
        so a one-word mention only counts when it is a known actor, resolved to an
        entity, or the surname of a full name met earlier.
        """
        before = sorted(
            {m for m in (*self._person_mentions, *self.subject_names) if m[1] <= position},
            key=lambda m: (m[0], m[1], m[2], m[3] or ""),  # entity ids may be None
        )
        full_names = [self.article.clean_text[m[0] : m[1]] for m in before]
        surnames = {name.split()[-1] for name in full_names if len(name.split()) > 1}
        for mention, name in zip(reversed(before), reversed(full_names)):
            if len(name.split()) > 1 or mention[3] or name in surnames or side_of(name) is not None:
                return mention
        return None

    def _earlier_speaker_with(self, head_lemma: str, before: int) -> ResolvedSpeaker | None:
        """An earlier speaker, else an earlier organisation, whose name has the head word."""
        wanted = _lemma_guess(head_lemma)
        for speaker in reversed(self.history):
            words = {_lemma_guess(word) for word in re.findall(r"[a-z]+", speaker.name.lower())}
            if wanted in words:
                return speaker
        for start, end, label, entity_id in reversed(self._mentions):
            if end > before or label not in ("ORG", "GPE"):
                continue
            if self.article.clean_text[start:end].lower().startswith("the "):
                start += 4
            name = self.article.clean_text[start:end]
            if wanted in {_lemma_guess(word) for word in re.findall(r"[a-z]+", name.lower())}:
                entity = self.entities.get(entity_id) if entity_id else None
                return ResolvedSpeaker(
                    name=name,
                    span=Span(article_id=self.article.id, start=start, end=end),
                    entity_id=entity_id or self.name_index.get(normalise_name(name)),
                    side=side_of(name, entity=entity),
                    is_person=False,
                )
        return None


def _lemma_guess(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _entity_label(entity: Entity, fallback: str) -> str:
    return {
        EntityType.PER: "PERSON",
        EntityType.ORG: "ORG",
        EntityType.GPE: "GPE",
        EntityType.LOC: "LOC",
        EntityType.NORP: "NORP",
    }.get(entity.type, fallback)


def normalise_name(name: str) -> str:
    name = re.sub(r"['’]s\b", "", name.lower())
    words = re.findall(r"[\w-]+", name)
    while words and words[0] in ("the", "a", "an"):
        words.pop(0)
    return " ".join(words)


def build_name_index(entities: Iterable[Entity]) -> dict[str, str]:
    """Normalised names (canonical, spellings, and a person's surname) -> entity id."""
    index: dict[str, str] = {}
    surnames: dict[str, set[str]] = {}
    for entity in entities:
        names = {entity.canonical_name}
        for forms in entity.surface_forms.values():
            names.update(forms)
        for name in names:
            key = normalise_name(name)
            if key:
                index.setdefault(key, entity.id)
            if entity.type == EntityType.PER and len(key.split()) > 1:
                surnames.setdefault(key.split()[-1], set()).add(entity.id)
    for surname, ids in surnames.items():
        if len(ids) == 1:  # an ambiguous surname resolves to nobody
            index.setdefault(surname, next(iter(ids)))
    return index



_CORE_LEFT_DEPS = frozenset({"det", "amod", "compound", "poss", "case", "nmod", "nummod", "quantmod", "predet"})
_CORE_RIGHT_DEPS = frozenset({"prep", "compound", "flat", "nmod", "case"})


def speaker_phrase(parsed: ParsedSentence, head, resolver: SpeakerResolver) -> SpeakerCandidate:
    """The speaker noun phrase headed by ``head``, preferring a named person inside it.

    "Igor Konashenkov, the spokesman for the defence ministry" -> "Igor Konashenkov";
    "the spokesman, Igor Konashenkov," -> "Igor Konashenkov";
    "Russia's defence ministry" -> the whole phrase (a country is not the speaker);
    "the ministry's statement" / "a statement from the General Staff" -> the author.
    """
    if head.lemma_.lower() in MESSAGE_NOUNS:
        author = next((c for c in head.children if c.dep_ == "poss"), None)
        if author is None:
            for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ in ("from", "by", "of")):
                author = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if author is not None:
                    break
        if author is not None:
            head = author
    if head.pos_ == "PRON":
        start, end = parsed.start_of(head), parsed.end_of(head)
        return SpeakerCandidate(head.text, start, end, head.lower_, head.lemma_.lower(), is_pronoun=True)

    subtree_start, subtree_end = parsed.span_of(head.subtree)
    mentions = resolver.mentions_in(subtree_start, subtree_end)
    person = next((m for m in mentions if m[2] == "PERSON"), None)
    if person is not None:
        text = resolver.article.clean_text[person[0] : person[1]]
        return SpeakerCandidate(text, person[0], person[1], text.split()[-1].lower(), text.split()[-1].lower(),
                                mention_label="PERSON")

    tokens = [head]
    for child in head.lefts:
        if child.dep_ in _CORE_LEFT_DEPS:
            tokens.extend(child.subtree)
    for child in head.rights:
        if child.dep_ == "case":
            break  # the "'s" of "the ministry's statement"
        if child.dep_ in _CORE_RIGHT_DEPS:
            tokens.extend(child.subtree)
        elif child.dep_ not in ("punct",):
            break
    tokens = sorted(set(tokens), key=lambda t: t.i)
    # Contiguous run around the head, without leading articles or trailing punctuation.
    run = [t for t in tokens if abs(t.i - head.i) <= len(tokens)]
    # "a Ukrainian official" -> "Ukrainian official"; "the Kremlin" -> "Kremlin"; "the ministry" stays
    # (a definite description, resolved against earlier speakers).
    while run and run[0].is_punct or (
        len(run) > 1 and run[0].dep_ == "det" and (run[0].lower_ in ("a", "an") or run[1].text[:1].isupper())
    ):
        run.pop(0)
    while run and run[-1].is_punct:
        run.pop()
    start, end = parsed.span_of(run or [head])
    text = resolver.article.clean_text[start:end]
    label = next((m[2] for m in mentions if m[0] <= start and m[1] >= end), None)
    return SpeakerCandidate(text, start, end, head.lower_, head.lemma_.lower(), mention_label=label)


def speaker_token(verb):
    """The subject of a reporting verb, inherited from a governing verb ("…, adding that")."""
    current = verb
    for _ in range(4):
        subject = next((c for c in current.children if c.dep_ in _SPEAKER_DEPS), None)
        if subject is not None:
            return subject
        # "said X" is sometimes parsed with X as dobj/attr after the verb.
        if current is verb:
            after = next(
                (c for c in current.rights if c.dep_ in ("dobj", "attr", "npadvmod") and c.pos_ == "PROPN"),
                None,
            )
            if after is not None and not any(g.dep_ == "ccomp" for g in current.children if g.i < after.i):
                return after
        if current.head.i == current.i:
            return None
        current = current.head
    return None


def is_reporting_verb(token) -> bool:
    return token.lemma_.lower() in REPORTING_VERBS and token.pos_ in ("VERB", "AUX")


def content_clause(verb):
    """The clausal complement of a reporting verb: ccomp, else a 'that'-clause or xcomp."""
    for dep in ("ccomp", "xcomp"):
        clause = next((c for c in verb.children if c.dep_ == dep), None)
        if clause is not None:
            return clause
    return None


def according_to(doc) -> list[tuple[object, object]]:
    """``(according token, pobj token)`` pairs for "according to X"."""
    pairs = []
    for token in doc:
        if token.lower_ == "according" and token.i + 1 < len(token.doc) and token.nbor(1).lower_ == "to":
            to = token.nbor(1)
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                pairs.append((token, pobj))
    return pairs
