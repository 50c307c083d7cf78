"""Speakers: the noun phrase behind a reporting verb, resolved to a name, an entity and a side.

* A named person inside the phrase is the speaker only at its head or in apposition ("the
  spokesman, Igor K."); one in a modifier is not ("his mother", "a critic of President X",
  "Governor X's critics"), and "a representative/spokesman for X" is the representative: no
  entity, X's side.
* "he"/"she": a person named as a subject in this or the previous sentence after the last speaker,
  else the person who spoke there ("He said Grassley would…" keeps "he" for the speaker), else the
  nearest person named before; always one whose gender the text does not contradict (a title or
  apposition, or the he/his or she that follows the name).
* "the chief justice", "the four-term congressman": the person the article titles so, else the
  last speaker of a matching gender; a role the story gives several people stays unresolved.
* A social network, a town or region (a country or capital speaks for its government) and a
  message with no author ("according to reports" stays the reports) are never a named speaker.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from manysides.analyse.claims.sides import side_of
from manysides.analyse.entities.common import name_words
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
    # The head word's span: only a mention covering it names the speaker ("a representative for
    # X" is the representative, not X); None when the whole candidate is a name.
    head_span: tuple[int, int] | None = None


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
    # Where in the text each remembered speaker spoke (its cue or phrase), parallel to ``history``:
    # a pronoun's antecedent is the latest of a named subject and the last speaker by this position.
    spoken_at: list[int] = field(default_factory=list)
    # Character offsets of grammatical subjects (filled from the parse): "He said Grassley would…"
    # makes Grassley an object, not a candidate for the next "he said".
    subject_starts: set[int] = field(default_factory=set)
    _last_position: int = 0
    last_direct: tuple[int, ResolvedSpeaker] | None = None  # (close of its marks, speaker)
    # Proper-name subjects of two or more words ("Iryna Vereshchuk visited…"): antecedents for
    # "he"/"she" when the NER missed the person (it tags some Ukrainian names ORG).
    subject_names: list[tuple[int, int, str, str | None]] = field(default_factory=list)
    _person_mentions: list[tuple[int, int, str, str | None]] = field(default_factory=list)
    _mentions: list[tuple[int, int, str, str | None]] = field(default_factory=list)
    # Spans of the group words (NORP) in this article, the NER's and the entities stage's alike.
    _group_spans: set[tuple[int, int]] = field(default_factory=set)

    def __post_init__(self) -> None:
        # a pronoun the resolver joined to a person is not a name to give a quote to: the speaker
        # layer resolves pronouns itself, by the quote's own cue
        def pronoun(start: int, end: int) -> bool:
            return self.article.clean_text[start:end].lower() in en.GENDERED_PRONOUNS

        for mention in sorted(self.article.mentions, key=lambda m: m.start):
            if pronoun(mention.start, mention.end):
                continue
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
                ) and not pronoun(span.start, span.end):
                    label = _entity_label(entity, "")
                    self._mentions.append((span.start, span.end, label, entity.id))
                    if label == "PERSON":
                        self._person_mentions.append((span.start, span.end, label, entity.id))
        self._mentions.sort()
        self._person_mentions.sort()
        self._group_spans = {(m.start, m.end) for m in self.article.mentions if m.label == "NORP"} | {
            (s.start, s.end) for e in self.entities.values() if e.type is EntityType.NORP
            for s in e.mentions if s.article_id == self.article.id}

    # -- mentions ---------------------------------------------------------
    def mentions_in(self, start: int, end: int) -> list[tuple[int, int, str, str | None]]:
        return [m for m in self._mentions if m[0] >= start and m[1] <= end]

    def resolve(self, candidate: SpeakerCandidate) -> ResolvedSpeaker:
        self._last_position = candidate.start
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
        names_inside = [m for m in self.mentions_in(candidate.start, candidate.end)
                        if m[2] in ("PERSON", "ORG", "GPE", "LOC", "NORP")]
        if candidate.text.lower().startswith("the ") and not names_inside:
            described = self._described_person(candidate)
            if described is not None:
                return described
        entity_id = self._entity_for(candidate)
        entity = self.entities.get(entity_id) if entity_id else None
        side = side_of(candidate.text, entity=entity) or self.side_in_text(entity)
        if side is None and entity is None:
            side = self._principal_side(candidate)
        resolved = ResolvedSpeaker(
            name=candidate.text,
            span=Span(article_id=self.article.id, start=candidate.start, end=candidate.end),
            entity_id=entity_id,
            side=side,
            is_person=(candidate.mention_label == "PERSON")
            or (entity is not None and entity.type == EntityType.PER)
            or (entity is None and _person_noun(candidate.head_lemma) is not None),
        )
        return resolved

    def paragraph_speaker(self, position: int) -> ResolvedSpeaker | None:
        """The speaker of the last direct quote when it closed in this paragraph before ``position``
        with no other person named in between."""
        if self.last_direct is None:
            return None
        close, speaker = self.last_direct
        between = self.article.clean_text[close:position]
        if close > position or "\n" in between:
            return None
        named = [m for m in self._person_mentions if close <= m[0] < position]
        if any(speaker.span is None or (m[0], m[1]) != (speaker.span.start, speaker.span.end) for m in named):
            return None
        return speaker

    def _described_person(self, candidate: SpeakerCandidate) -> ResolvedSpeaker | None:
        """"the chief justice" / "the four-term congressman": the person the article titles so
        ("Chief Justice John Roberts"), else the latest person named as a subject before it."""
        text = self.article.clean_text
        words = [w for w in re.findall(r"[a-z][\w-]*", candidate.text.lower()) if w != "the"]
        if not words or _person_noun(candidate.head_lemma) is None and candidate.head_lemma not in ANAPHORIC_HEADS:
            return None
        title = r"\s+".join(re.escape(w) for w in words)
        titled = {m[3] or (m[0], m[1]) for m in self._person_mentions
                  if re.search(r"(?i:\b" + title + r")\s+(?:[A-Z][\w.’'-]*\s+){0,3}$",
                               text[max(0, m[0] - 40):m[1]].rsplit(None, 1)[0] + " ")}
        if len(titled) == 1:
            key = next(iter(titled))
            mention = next(m for m in self._person_mentions if (m[3] or (m[0], m[1])) == key)
            return self._speaker_from_mention(mention)
        if candidate.head_lemma in ANAPHORIC_HEADS or " ".join(words) in name_words("role") \
                or words[-1] in name_words("role"):
            return None  # "the president" is whoever holds the title here, never the nearest name
        gender = _person_noun(candidate.head_lemma)
        wanted = gender if gender in ("male", "female") else None
        # A gendered noun ("the congressman") goes to the last speaker known to match, else to the
        # last one whose gender the text leaves open.
        spoken = next((s for s in reversed(self.history) if s.is_person and wanted is not None
                       and self._gender_of_speaker(s) == wanted), None) \
            or next((s for s in reversed(self.history) if s.is_person
                     and (wanted is None or self._gender_of_speaker(s) is None)), None)
        if spoken is not None:
            return spoken  # "the aide said" after "a spokesperson for X": the one who spoke
        subjects = [m for m in self._person_mentions if m[1] <= candidate.start and m[3]
                    and any(m[0] <= at < m[1] for at in self.subject_starts)
                    and (wanted is None or self.gender_at(m[0], m[1]) in (None, wanted))]
        return self._speaker_from_mention(subjects[-1]) if subjects else None

    def _speaker_from_mention(self, mention: tuple[int, int, str, str | None]) -> ResolvedSpeaker:
        name = self.article.clean_text[mention[0]:mention[1]]
        entity_id = mention[3] or self.name_index.get(normalise_name(name))
        entity = self.entities.get(entity_id) if entity_id else None
        return ResolvedSpeaker(name=name, span=Span(article_id=self.article.id, start=mention[0], end=mention[1]),
                               entity_id=entity_id, side=side_of(name, entity=entity) or self.side_in_text(entity),
                               is_person=True)

    def side_in_text(self, entity: Entity | None) -> str | None:
        """The side a person is shown serving where the entities stage found none, read beside
        their names in this article: the owner of a title in apposition before the name ("Kenya's
        foreign minister, X,"), or a group word the NER labels (NORP) as a title's modifier or a
        noun in apposition ("Republican Governor X", "X, a Republican,"). None when the names say
        nothing or disagree."""
        if entity is None or entity.type is not EntityType.PER:
            return None
        text = self.article.clean_text
        found: set[str] = set()
        for span in entity.mentions:
            if span.article_id != self.article.id:
                continue
            titled = _TITLE_BEFORE_APPOSITION.search(text[max(0, span.start - 80):span.start])
            if titled and _role_word(titled.group("role").split()[-1]):
                side = side_of(titled.group("owner"))
                if side is not None:
                    found.add(side)
                    continue
            for start, end in self._group_spans:
                before = text[end:span.start]
                after = text[span.end:start]
                titles = re.fullmatch(r"\s+((?:[\w.-]+\s+){0,2}[\w.-]+)\s+", before) if end <= span.start else None
                apposed = re.fullmatch(r",\s+an?\s+", after) and re.match(
                    r"\s*(?:[,.;)\n]|\s+(?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*\s*[,.;])", text[end:end + 40]) \
                    if span.end <= start else None
                if (titles and _title_words(titles.group(1).split())) or apposed:
                    word = text[start:end]
                    found.add(side_of(word) or word)
        return found.pop() if len(found) == 1 else None

    def _principal_side(self, candidate: SpeakerCandidate) -> str | None:
        """"a spokesman for X", "X's lawyer", "an aide to X": the speaker is the agent, not X, but
        speaks for X's side (never so for "a critic of X" or "his mother")."""
        if _lemma_guess(candidate.head_lemma) not in name_words("agent"):
            return None
        inside = [m for m in self.mentions_in(candidate.start, candidate.end) if m[3] and m[2] in ("ORG", "PERSON", "GPE")]
        for mention in inside:
            principal = self.entities.get(mention[3])
            side = side_of(self.article.clean_text[mention[0]:mention[1]], entity=principal)
            if side is not None:
                return side
        return None

    def resolve_speaker(self, candidate: SpeakerCandidate) -> ResolvedSpeaker | None:
        """``resolve``, but None for what cannot speak: a social network ("wrote on Instagram"), a
        town or region (a country or capital speaks for its government), a message with no author."""
        head = candidate.head_lower
        if head in name_words("platform") or candidate.text.casefold() in name_words("platform"):
            return None
        if not candidate.is_pronoun and candidate.head_lemma in MESSAGE_NOUNS and candidate.mention_label is None \
                and not self.mentions_in(candidate.start, candidate.end):
            # "The statement said": the author of the statement quoted before; "according to
            # news reports" stays the reports.
            if candidate.text.lower().startswith(("the ", "that ", "this ")) and self.history:
                return self.history[-1]
        speaker = self.resolve(candidate)
        entity = self.entities.get(speaker.entity_id) if speaker.entity_id else None
        if entity is not None and entity.type in (EntityType.GPE, EntityType.LOC) and entity.place is not None \
                and entity.place.admin_level not in ("country",) and entity.place.feature_code != "PPLC":
            return None
        if entity is not None and _platform_name(entity.canonical_name):
            return None
        return speaker

    def remember(self, speaker: ResolvedSpeaker) -> None:
        self.history.append(speaker)
        self.spoken_at.append(self._last_position)

    def _entity_for(self, candidate: SpeakerCandidate) -> str | None:
        inside = [m for m in self.mentions_in(candidate.start, candidate.end) if m[3]]
        if candidate.head_span is not None and inside:
            head_start, head_end = candidate.head_span
            inside = [m for m in inside if m[0] <= head_start and head_end <= m[1]]
            if not inside:
                return None  # a description ("his mother", "a representative for X"): nobody named
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
            wanted = "female" if candidate.head_lower in ("she", "her") else "male"
            window_start = self._previous_sentence_start(candidate.start)
            spoken = next(((s, at) for s, at in zip(reversed(self.history), reversed(self.spoken_at))
                           if s.is_person and self._gender_of_speaker(s) in (None, wanted)), None)
            last_person_speaker, spoken_at = spoken if spoken else (None, -1)
            # 1. a person named as a subject in this or the previous sentence, after the last speaker;
            # 2. else the person who spoke there ("He said Grassley would…" keeps "he" for the speaker);
            # 3. else the nearest person named before, unless a speaker spoke after that name.
            recent_subjects = [m for m in self._person_mentions
                               if window_start <= m[0] and m[1] <= candidate.start and self._is_person_mention(m)
                               and any(m[0] <= at < m[1] for at in self.subject_starts)
                               and self.gender_at(m[0], m[1]) in (None, wanted)]
            if recent_subjects and recent_subjects[-1][0] > spoken_at:
                return self._speaker_from_mention(recent_subjects[-1])
            if last_person_speaker is not None and spoken_at >= window_start:
                return last_person_speaker
            mention = self._last_person_before(candidate.start, wanted)
            if mention is not None and (last_person_speaker is None or mention[0] >= spoken_at):
                return self._speaker_from_mention(mention)
            return last_person_speaker
        # "it" / "they": the last speaker that is not a person (a ministry, officials).
        return next((s for s in reversed(self.history) if not s.is_person), None)

    def gender_at(self, start: int, end: int) -> str | None:
        """"male" / "female" for the person named at [start, end), read from the text: a title or
        gendered noun next to the name, else the first he/his or she/her after it before another
        person is named; None when the text does not say."""
        text = self.article.clean_text
        entity_id = next((m[3] for m in self._person_mentions if m[0] == start and m[1] == end), None)
        spans = [(start, end)]
        if entity_id and entity_id in self.entities:
            spans += [(s.start, s.end) for s in self.entities[entity_id].mentions if s.article_id == self.article.id]
        votes = {"male": 0, "female": 0}
        for span_start, span_end in spans:
            # Gendered nouns count only as titles or appositions of the name ("Mrs.", "spokeswoman
            # Jane Roe", "Jane Roe, his mother,"), not "Jane Roe said her son …".
            apposition = re.match(r",\s+(?:(?:the|a|an|his|her|their)\s+)?([A-Za-z]+)(?:\s+([A-Za-z]+))?",
                                  text[span_end:span_end + 40])
            for word in re.findall(r"[A-Za-z]+", text[max(0, span_start - 25):span_start])[-2:] + \
                    ([w for w in apposition.groups() if w] if apposition else []):
                gender = _person_noun(word.casefold())
                if gender in votes:
                    votes[gender] += 2
            following = [m[0] for m in self._person_mentions if m[0] >= span_end]
            stop = min([*following, span_end + 250])
            # Nominative and unambiguous forms only: "accused X of telling her" says nothing of X.
            pronoun = re.search(r"\b(he|his|himself|she|herself)\b", text[span_end:stop], re.IGNORECASE)
            if pronoun:
                votes["female" if pronoun.group(1).casefold().startswith(("she", "her")) else "male"] += 1
        if votes["male"] == votes["female"]:
            return None
        return "male" if votes["male"] > votes["female"] else "female"

    def _gender_of_speaker(self, speaker: ResolvedSpeaker) -> str | None:
        if speaker.span is None:
            return None
        noun = _person_noun(speaker.name.split()[-1].casefold()) if speaker.name.split() else None
        if noun in ("male", "female"):
            return noun
        return self.gender_at(speaker.span.start, speaker.span.end)

    def _previous_sentence_start(self, position: int) -> int:
        starts = [sentence.start for sentence in self.article.sentences if sentence.start <= position]
        return starts[-2] if len(starts) >= 2 else 0

    def _is_person_mention(self, mention: tuple[int, int, str, str | None]) -> bool:
        entity = self.entities.get(mention[3]) if mention[3] else None
        name = self.article.clean_text[mention[0]:mention[1]]
        return not _platform_name(name) and (entity is None or entity.type is EntityType.PER)

    def _last_person_before(self, position: int, wanted: str | None = None) -> tuple[int, int, str, str | None] | None:
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
            if not self._is_person_mention(mention):
                continue
            if len(name.split()) > 1 or mention[3] or name in surnames or side_of(name) is not None:
                if wanted is not None and self.gender_at(mention[0], mention[1]) not in (None, wanted):
                    continue  # "she said" after a man was named: not him
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


# Words before a name that make it the object of a relation, not the head's own name.
_NOT_A_TITLE = frozenset("of for to from with by about against and or the a an his her their its".split())
# Cues that introduce a direct quotation without asserting it ("asked", "went on").
DIRECT_QUOTE_VERBS = frozenset(
    """ask answer continue recall joke quip shout whisper exclaim plead concur agree wonder urge
    apologize apologise insist muse observe remark interject""".split()
)


# "Kenya's foreign minister, " before a name: the title's owner and its role noun.
_TITLE_BEFORE_APPOSITION = re.compile(
    r"(?P<owner>(?<![\w’'-])[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3})(?:['’]s)?\s+"
    r"(?P<role>(?:[a-z][\w-]*\s+){0,3}[a-z][\w-]*),\s+$"
)


def _role_word(word: str) -> bool:
    """A noun for an office or for one who speaks for others ("governor", "minister", "spokesman")."""
    word = word.casefold().rstrip(".")
    return word in name_words("role") or word in name_words("agent")


def _title_words(words: list[str]) -> bool:
    """Words of a title before a name, ending in a role: "Governor", "state Senator"; not "association
    president" (the group word before it names the association, not the person)."""
    return _role_word(words[-1]) and all(w[:1].isupper() or _role_word(w) or w.casefold() in en.REGION_WORDS
                                         for w in words[:-1])


def _person_noun(word: str) -> str | None:
    """"female" / "male" for a gendered person noun ("mother", "spokesman"), "person" for other
    nouns naming a person ("representative", "witness"), None otherwise."""
    word = word.casefold().rstrip(".")
    if word in name_words("person_female"):
        return "female"
    if word in name_words("person_male"):
        return "male"
    singular = word[:-1] if word.endswith("s") and not word.endswith("ss") else word
    if word in name_words("person") or singular in name_words("person"):
        return "person"
    return None


def _platform_name(name: str) -> bool:
    return name.casefold().strip() in name_words("platform")


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
    # A person named in a modifier is not the speaker: "his mother", "a critic of President X",
    # "a representative for X", "X's lawyer"; one in apposition is ("the spokesman, Igor K.").
    modifiers = [parsed.span_of(child.subtree) for child in head.children
                 if child.dep_ in ("prep", "poss", "relcl", "acl", "advcl")]
    text = resolver.article.clean_text

    def names_the_head(mention) -> bool:
        # "the deputy chief of investigations for the city's police Craig McCartt": a name right
        # after a lowercase noun, ending the phrase, is the head's own name, however it is parsed.
        before = re.search(r"([A-Za-z]+)\s+$", text[max(0, mention[0] - 30):mention[0]])
        return (mention[2] == "PERSON" and mention[1] >= subtree_end - 1 and before is not None
                and before.group(1).islower() and before.group(1) not in _NOT_A_TITLE)

    mentions = [m for m in mentions if not any(lo <= m[0] and m[1] <= hi for lo, hi in modifiers)
                or names_the_head(m)]
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
    owner = _pronoun_owner(parsed, run[0], text) if run else None
    if owner is not None:
        # "Bavaria said in a statement from its health ministry": "Bavaria's health ministry"
        text = owner + "’s" + text[start + len(run[0].text):end]
    else:
        text = text[start:end]
    label = next((m[2] for m in mentions if m[0] <= start and m[1] >= end), None)
    head_span = (parsed.start_of(head), parsed.end_of(head))
    return SpeakerCandidate(text, start, end, head.lower_, head.lemma_.lower(), mention_label=label,
                            head_span=head_span)


def _pronoun_owner(parsed: ParsedSentence, token, text: str) -> str | None:
    """The named subject an "its"/"their" before a speaker refers to, when the speaker hangs
    below that subject's verb ("X said in a statement from its ministry"); None otherwise."""
    if token.dep_ != "poss" or token.lower_ not in ("its", "their"):
        return None
    verb = token.head
    for _ in range(6):
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.pos_ != "PROPN":
        return None
    words = [t for t in subject.subtree if t.dep_ not in ("det", "punct", "appos", "relcl", "acl")]
    words = [t for t in words if subject.i - 3 <= t.i <= subject.i]
    if not words:
        return None
    start, end = parsed.span_of(words)
    return text[start:end]


def speaker_token(verb):
    """The subject of a reporting verb, inherited from a governing verb ("…, adding that")."""
    current = verb
    for _ in range(4):
        # The subject nearest the verb: a misparse can hang a word inside the quote on "said" too.
        subjects = [c for c in current.children if c.dep_ in _SPEAKER_DEPS]
        if subjects:
            subject = min(subjects, key=lambda c: abs(c.i - current.i))
            if current is verb and subject.dep_ == "nsubjpass" and _passive_subject_is_spoken_of(verb):
                # "X has been called “…” by his opponents": X is what the words are about
                return _agent_of(verb)
            if current is verb:
                return _message_author(verb, subject) or subject
            return subject
        # "said X" is sometimes parsed with X as dobj/attr after the verb.
        if current is verb and verb.lemma_.lower() != "tell":  # "telling FoxNews.com": the addressee
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


# Passive reporting verbs whose subject is the one quoted: "X was quoted by the paper", "X was
# cited as saying".
_PASSIVE_OF_SOURCE = frozenset({"quote", "cite"})


def _passive_subject_is_spoken_of(verb) -> bool:
    """The passive subject of a reporting verb is what the words are said about ("X was called
    “…”", "X is described as …"), unless the verb passes on X's own words ("X was quoted as
    saying", "X was reported as saying")."""
    if verb.lemma_.lower() in _PASSIVE_OF_SOURCE:
        return False
    return not any(is_quote_cue(t) for t in verb.subtree if t.i != verb.i and t.dep_ in ("xcomp", "advcl", "pcomp")
                   and (t.head.i == verb.i or t.head.head.i == verb.i))


def _agent_of(verb):
    """The "by <agent>" of a passive verb, or None when the passive names nobody."""
    for child in verb.children:
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


def _message_author(verb, subject):
    """"Bavaria said in a statement from its health ministry": the named author of the message
    speaks, not the place or body it is announced under. Only a name announces for another: a
    person, a pronoun or a common noun subject stays the speaker ("X said in a statement from
    her lawyer" is still X's statement)."""
    if subject.pos_ != "PROPN" or subject.ent_type_ == "PERSON":
        return None
    for prep in verb.children:
        if prep.dep_ != "prep" or prep.lower_ not in ("in", "through", "via"):
            continue
        message = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if message is None or message.lemma_.lower() not in MESSAGE_NOUNS:
            continue
        for by in message.children:
            if by.dep_ == "prep" and by.lower_ in ("from", "by"):
                author = next((c for c in by.children if c.dep_ == "pobj"), None)
                if author is not None and author.pos_ in ("NOUN", "PROPN") and not any(
                        c.dep_ == "poss" and c.lower_ in ("his", "her") for c in author.children):
                    return author  # "from her lawyer": a person's own statement, whoever sent it
    return None


def is_reporting_verb(token) -> bool:
    return token.lemma_.lower() in REPORTING_VERBS and token.pos_ in ("VERB", "AUX")


def is_quote_cue(token) -> bool:
    """A verb that can introduce a direct quotation: a reporting verb, or "asked", "went on"."""
    lemma = token.lemma_.lower()
    if lemma == "go" and any(c.dep_ == "prt" and c.lower_ == "on" for c in token.children):
        return True  # "he went on, “…”"
    return token.pos_ in ("VERB", "AUX") and (lemma in REPORTING_VERBS or lemma in DIRECT_QUOTE_VERBS)


def content_clause(verb):
    """The clausal complement of a reporting verb: ccomp, else a 'that'-clause or xcomp.

    A fronted complement that reports speech of its own, with its own speaker ("Officials say
    seven died; neighbours say 12 died"), is a second attribution, not this verb's content: the
    complement after the verb is."""
    for dep in ("ccomp", "xcomp"):
        clauses = [c for c in verb.children if c.dep_ == dep]
        own = [c for c in clauses if not (c.i < verb.i and is_reporting_verb(c)
                                          and any(g.dep_ in _SPEAKER_DEPS for g in c.children))]
        if own:
            return own[-1] if len(own) < len(clauses) else own[0]
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
