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

Parsing is done once per story by :func:`parse_sentences` (``nlp.pipe`` over
every article's sentences, NER off since mentions are already on the
article); :mod:`manysides.analyse.claims` reuses the same parses.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from manysides.analyse.sides import side_of
from manysides.model import Article, Entity, EntityType, Quote, QuoteKind, Sentence, Span

# Lemmas of verbs that report speech or a stated position. "believe", "assess"
# and "estimate" are here because analysts' and governments' assessments
# ("British officials said it believed…", "ISW assessed that…") are claims
# with an asserter, not the outlet's own.
REPORTING_VERBS = frozenset(
    """say claim tell report announce confirm deny state add note insist write declare
    assert allege acknowledge admit explain warn stress emphasise emphasize argue maintain
    reiterate post tweet boast concede comment reply respond assess estimate believe
    conclude indicate suggest quote dismiss refute reject accuse promise vow pledge
    predict signal repeat testify call describe""".split()
)
# Cues whose speaker asserts the *opposite* of the content ("denied that…").
NEGATIVE_REPORTING_VERBS = frozenset({"deny", "refute", "dismiss", "reject"})
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

# Quote mark pairs: opening -> closing characters accepted.
_QUOTE_PAIRS: dict[str, str] = {
    "\u201c": "\u201d\u201c",  # “ … ” (some sites close with “)
    "\u201e": "\u201c\u201d",  # „ … “ / „ … ”
    "\u00ab": "\u00bb",  # « … »
    "\u00bb": "\u00ab",  # » … « (German/Danish order)
    '"': '"',
}
_MIN_QUOTE_WORDS = 3  # "regrouping" in quote marks is a scare quote, not a quotation


@dataclass(frozen=True, slots=True)
class DirectQuoteMarks:
    """A direct quote's marks: ``open`` and ``close`` index the mark characters."""

    open: int
    content_start: int
    content_end: int
    close: int  # index just after the closing mark (or paragraph end when unclosed)


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
    docs: Mapping[str, object] | None = None,
    batch_size: int = 16,
) -> dict[str, list[ParsedSentence]]:
    """Parse every article once, with our sentence boundaries imposed on the parser.

    ``docs`` (article id -> spaCy ``Doc`` of its clean text, e.g. kept from the
    annotation pass) is reused as is when given, which skips the second parse.
    Otherwise each article is parsed with NER off (mentions are already on the
    article), headline lines and datelines set apart as their own sentences so
    the parser cannot hang "KYIV (AFP) - Russia's ministry said" on "KYIV".
    """
    docs = dict(docs or {})
    pieces = {article.id: claim_sentences(article) for article in articles}
    by_id = {article.id: article for article in articles}
    reusable = {
        article.id for article in articles
        if article.id in docs and docs[article.id].text == article.clean_text
    }
    disabled = [name for name in ("ner",) if name in nlp.pipe_names]
    to_parse = [a for a in articles if a.id not in reusable]
    spans: dict[tuple[str, int], object] = {}
    # A kept doc's sentences may run across a headline or dateline that our pieces cut;
    # such pieces are parsed alone (the rest of the text blanked, so offsets hold).
    lone: list[tuple[str, Sentence]] = []
    for article_id in reusable:
        doc = docs[article_id]
        for piece in pieces[article_id]:
            span = doc.char_span(piece.start, piece.end, alignment_mode="expand")
            if span is not None and _is_whole_sentence(span):
                spans[(article_id, piece.start)] = span
            else:
                lone.append((article_id, piece))
    with nlp.select_pipes(disable=disabled):
        prepared = (_prepared_doc(nlp, article, pieces[article.id]) for article in to_parse)
        for article, doc in zip(to_parse, nlp.pipe(prepared, batch_size=batch_size)):
            for piece in pieces[article.id]:
                spans[(article.id, piece.start)] = doc.char_span(piece.start, piece.end, alignment_mode="expand")
        prepared = (_prepared_doc(nlp, by_id[article_id], [piece]) for article_id, piece in lone)
        for (article_id, piece), doc in zip(lone, nlp.pipe(prepared, batch_size=64)):
            spans[(article_id, piece.start)] = doc.char_span(piece.start, piece.end, alignment_mode="expand")
    parsed: dict[str, list[ParsedSentence]] = {}
    for article in articles:
        parsed[article.id] = [
            ParsedSentence(sentence=piece, doc=span)
            for piece in pieces[article.id]
            if (span := spans.get((article.id, piece.start))) is not None and len(span)
        ]
    return parsed


def _is_whole_sentence(span) -> bool:
    """Whether ``span`` holds closed dependency trees: no arc joins it to a token outside."""
    inside = range(span.start, span.end)
    for token in span:
        if token.is_space or token.is_punct:
            continue
        if token.head.i not in inside:
            return False
        if any(child.i not in inside for child in token.children if not (child.is_space or child.is_punct)):
            return False
    return True


def _prepared_doc(nlp, article: Article, pieces: Sequence[Sentence]):
    """A tokenised doc whose sentence starts are exactly ``pieces`` (the parser respects them).

    Cut-away datelines are blanked with spaces (same length, so offsets hold).
    """
    text = list(article.clean_text)
    covered = [False] * len(text)
    for piece in pieces:
        for index in range(piece.start, piece.end):
            covered[index] = True
    for index, char in enumerate(text):
        if not covered[index] and not char.isspace():
            text[index] = " "
    doc = nlp.make_doc("".join(text))
    starts = {piece.start for piece in pieces}
    for token in doc:
        token.is_sent_start = token.i == 0 or token.idx in starts
    return doc


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
            pieces.append(sentence.model_copy(update={"start": start, "end": end}))
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
        return sentence.model_copy(update={"start": match.end()})
    return sentence


# --------------------------------------------------------------------------
# Direct quote marks
# --------------------------------------------------------------------------


def find_quote_marks(text: str) -> list[DirectQuoteMarks]:
    """Direct quotations in ``text``: balanced marks within a paragraph, at least 3 words.

    A quote left open at a paragraph's end (the convention for a quotation that
    runs on into the next paragraph) is closed there.
    """
    quotes: list[DirectQuoteMarks] = []
    paragraph_start = 0
    for paragraph in text.split("\n"):
        quotes.extend(_quotes_in_paragraph(paragraph, paragraph_start))
        paragraph_start += len(paragraph) + 1
    return quotes


def _quotes_in_paragraph(paragraph: str, offset: int) -> list[DirectQuoteMarks]:
    found: list[DirectQuoteMarks] = []
    position = 0
    length = len(paragraph)
    while position < length:
        char = paragraph[position]
        closers = _QUOTE_PAIRS.get(char)
        if closers is None or (char == "\u00bb" and "\u00ab" not in paragraph[position:]):
            position += 1
            continue
        close = -1
        for index in range(position + 1, length):
            if paragraph[index] in closers:
                close = index
                break
        if close < 0:
            # Unclosed: a quotation running on past the paragraph (curly/guillemet only).
            content_end = length
            next_position = length
            if char == '"':
                position += 1
                continue
        else:
            content_end = close
            next_position = close + 1
        content = paragraph[position + 1 : content_end]
        if len(content.split()) >= _MIN_QUOTE_WORDS:
            start, end = _trim(content, position + 1, content_end)
            if end > start:
                found.append(
                    DirectQuoteMarks(
                        open=offset + position,
                        content_start=offset + start,
                        content_end=offset + end,
                        close=offset + (next_position if close >= 0 else length),
                    )
                )
        position = next_position
    return found


def _trim(content: str, start: int, end: int) -> tuple[int, int]:
    """Strip whitespace and a trailing comma (“We will win,” he said) from a content span."""
    text_start = start
    while start < end and content[start - text_start].isspace():
        start += 1
    while end > start and (content[end - 1 - text_start].isspace() or content[end - 1 - text_start] == ","):
        end -= 1
    return start, end


# --------------------------------------------------------------------------
# Speakers
# --------------------------------------------------------------------------


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


# --------------------------------------------------------------------------
# Speaker phrases from the parse
# --------------------------------------------------------------------------

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


def quote_id(article_id: str, start: int, end: int, kind: QuoteKind) -> str:
    digest = hashlib.sha1(f"{article_id}:{start}:{end}:{kind.value}".encode()).hexdigest()
    return "q" + digest[:15]


# --------------------------------------------------------------------------
# Attribution in one article
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Attribution:
    """A quote plus what the claim layer needs about its cue."""

    quote: Quote
    cue_lemma: str
    negative_cue: bool  # the speaker asserts the opposite of the content ("denied that…")
    marks: DirectQuoteMarks | None = None


_STRIP_END = ".,;: \t\n\u2014\u2013-"


def _strip_span(text: str, start: int, end: int, *, strip_end: str = ",;: \t\n") -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in ",;:\u2014\u2013-"):
        start += 1
    while end > start and text[end - 1] in strip_end:
        end -= 1
    return start, end


def extract_attributions(
    article: Article, parsed: Sequence[ParsedSentence], resolver: SpeakerResolver
) -> list[Attribution]:
    """Direct quotes, indirect speech and "according to" in one article, in text order."""
    text = article.clean_text
    marks = find_quote_marks(text)
    attributions: list[Attribution] = []
    for sentence in parsed:
        for token in sentence.doc:
            if token.dep_ in _SPEAKER_DEPS and token.pos_ == "PROPN":
                names = [c for c in token.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"]
                if names and names[-1].i == token.i - 1:
                    start, end = sentence.span_of([names[0], token])
                    if not any(m[0] <= start < m[1] and m[2] in ("GPE", "LOC") for m in resolver.mentions_in(start, end)):
                        resolver.subject_names.append((start, end, "PERSON", None))
    for index, sentence in enumerate(parsed):
        sent_start, sent_end = sentence.sentence.start, sentence.sentence.end
        opened_here = [m for m in marks if sent_start <= m.open < sent_end]
        direct_found = 0
        for mark in opened_here:
            attribution = _attribute_direct(article, parsed, index, mark, marks, resolver)
            if attribution is not None:
                attributions.append(attribution)
                direct_found += 1
        overlapping = [m for m in marks if m.open < sent_end and m.close > sent_start]
        found = _indirect(article, sentence, overlapping, resolver)
        if not found and not direct_found:
            headline = _name_colon(article, sentence, resolver)
            found = [headline] if headline is not None else []
        attributions.extend(found)
    return attributions


def _name_colon(article: Article, sentence: ParsedSentence, resolver: SpeakerResolver) -> Attribution | None:
    """'Zelenskyy: Russian army is showing its back' — a headline paraphrase with its speaker."""
    text = article.clean_text
    sent_start, sent_end = sentence.sentence.start, sentence.sentence.end
    match = re.match(r"([^:\n]{2,60}?)\s*:\s+(?=\S)", text[sent_start:sent_end])
    if not match or len(match.group(1).split()) > 6:
        return None
    region_end = sent_start + match.end(1)
    tokens = [t for t in sentence.doc if sentence.start_of(t) < region_end]
    if not tokens:
        return None
    inside = {t.i for t in tokens}
    root = next((t for t in tokens if t.head.i not in inside or t.head.i == t.i), tokens[0])
    candidate = speaker_phrase(sentence, root, resolver)
    if candidate.is_pronoun or (
        candidate.mention_label not in ("PERSON", "ORG") and side_of(candidate.text) is None
    ):
        return None
    start, end = _strip_span(text, sent_start + match.end(), sent_end, strip_end=_STRIP_END + "\"\u201d\u00bb")
    if end - start < 8:
        return None
    speaker = resolver.resolve(candidate)
    resolver.remember(speaker)
    quote = _make(article, QuoteKind.INDIRECT, start, end, speaker, ":")
    return Attribution(quote=quote, cue_lemma=":", negative_cue=False)


def _inside_marks(position: int, marks: Sequence[DirectQuoteMarks]) -> bool:
    return any(m.open <= position < m.close for m in marks)


def _make(article: Article, kind: QuoteKind, start: int, end: int, speaker: ResolvedSpeaker, cue: str) -> Quote:
    return Quote(
        id=quote_id(article.id, start, end, kind),
        span=Span(article_id=article.id, start=start, end=end),
        speaker=speaker.name,
        speaker_span=speaker.span,
        speaker_entity_id=speaker.entity_id,
        side=speaker.side,
        kind=kind,
        cue=cue,
    )


def _frame_sentences(parsed: Sequence[ParsedSentence], index: int, mark: DirectQuoteMarks) -> list[ParsedSentence]:
    frame = [p for p in parsed if p.sentence.start < mark.close and p.sentence.end > mark.open]
    last = frame[-1] if frame else parsed[index]
    following = parsed.index(last) + 1
    if following < len(parsed):
        after = parsed[following]
        doc = after.doc
        # The splitter often cuts '“…,” he said.' after the closing mark: take a short tail back.
        if len(doc) <= 12 and any(is_reporting_verb(t) for t in doc[:4]) and after.sentence.start - mark.close <= 2:
            frame.append(after)
    return frame or [parsed[index]]


def _attribute_direct(
    article: Article,
    parsed: Sequence[ParsedSentence],
    index: int,
    mark: DirectQuoteMarks,
    marks: Sequence[DirectQuoteMarks],
    resolver: SpeakerResolver,
) -> Attribution | None:
    frame = _frame_sentences(parsed, index, mark)
    text = article.clean_text
    best = None  # (distance, parsed sentence, token, cue kind)
    outside_words = 0
    for sentence in frame:
        for token in sentence.doc:
            position = sentence.start_of(token)
            if _inside_marks(position, marks):
                continue
            if not token.is_punct and not token.is_space:
                outside_words += 1
            cue = None
            if is_reporting_verb(token):
                cue = "verb"
            elif token.lower_ == "according" and token.i + 1 < len(token.doc) and token.doc[token.i + 1].lower_ == "to":
                cue = "according"
            if cue is None:
                continue
            if position < mark.open:
                distance, between = mark.open - sentence.end_of(token), text[position : mark.open]
            else:
                distance, between = position - mark.close, text[mark.close : position]
            if "\n" in between:
                continue  # attribution never crosses a paragraph break
            if best is None or distance < best[0]:
                best = (distance, sentence, token, cue)

    speaker: ResolvedSpeaker | None = None
    cue_text, cue_lemma = "", ""
    if best is not None:
        _, sentence, token, cue = best
        if cue == "verb":
            subject = speaker_token(token)
            if subject is not None:
                speaker = resolver.resolve(speaker_phrase(sentence, subject, resolver))
                cue_text, cue_lemma = token.text, token.lemma_.lower()
        else:
            pobj = next((c for c in token.doc[token.i + 1].children if c.dep_ == "pobj"), None)
            if pobj is not None:
                speaker = resolver.resolve(speaker_phrase(sentence, pobj, resolver))
                cue_text, cue_lemma = "according to", "according to"
    if speaker is None:
        speaker, cue_text = _colon_speaker(article, parsed, index, mark, resolver)
        cue_lemma = cue_text
    if speaker is None and outside_words <= 1 and index > 0:
        speaker = _previous_sentence_speaker(article, parsed[index - 1], marks, resolver)
        cue_text = cue_lemma = ""
    if speaker is None:
        return None
    resolver.remember(speaker)
    quote = _make(article, QuoteKind.DIRECT, mark.content_start, mark.content_end, speaker, cue_text or None)
    return Attribution(
        quote=quote, cue_lemma=cue_lemma, negative_cue=cue_lemma in NEGATIVE_REPORTING_VERBS, marks=mark
    )


def _colon_speaker(article, parsed, index, mark, resolver) -> tuple[ResolvedSpeaker | None, str]:
    """'Zelensky: “…”' — a bare name before a colon introduces the quote."""
    sentence = parsed[index]
    text = article.clean_text
    before = text[sentence.sentence.start : mark.open]
    match = re.search(r"([^.:;!?\n]{2,80}?)\s*:\s*$", before)
    if not match:
        return None, ""
    region_start = sentence.sentence.start + match.start(1)
    region_end = sentence.sentence.start + match.end(1)
    tokens = [t for t in sentence.doc if region_start <= sentence.start_of(t) < region_end]
    if not tokens:
        return None, ""
    inside = {t.i for t in tokens}
    root = next((t for t in tokens if t.head.i not in inside or t.head.i == t.i), tokens[0])
    return resolver.resolve(speaker_phrase(sentence, root, resolver)), ":"


def _previous_sentence_speaker(article, previous: ParsedSentence, marks, resolver) -> ResolvedSpeaker | None:
    """Speaker for a sentence that is only a quote: the one the sentence before introduces."""
    verbs = [t for t in previous.doc if is_reporting_verb(t) and not _inside_marks(previous.start_of(t), marks)]
    for verb in reversed(verbs):
        subject = speaker_token(verb)
        if subject is not None:
            return resolver.resolve(speaker_phrase(previous, subject, resolver))
    # A quote continuing from the sentence before keeps its speaker.
    if resolver.history and any(previous.sentence.start <= m.close <= previous.sentence.end + 1 for m in marks):
        return resolver.history[-1]
    persons = [m for m in resolver.mentions_in(previous.sentence.start, previous.sentence.end) if m[2] == "PERSON"]
    if persons:
        start, end = persons[-1][0], persons[-1][1]
        name = article.clean_text[start:end]
        candidate = SpeakerCandidate(name, start, end, name.split()[-1].lower(), name.split()[-1].lower(),
                                     mention_label="PERSON")
        return resolver.resolve(candidate)
    return None


def _indirect(
    article: Article,
    sentence: ParsedSentence,
    marks: Sequence[DirectQuoteMarks],
    resolver: SpeakerResolver,
) -> list[Attribution]:
    text = article.clean_text
    doc = sentence.doc
    found: list[Attribution] = []
    taken: list[tuple[int, int]] = []  # token index ranges of contents already attributed

    def inside_taken(token) -> bool:
        return any(lo <= token.i <= hi for lo, hi in taken)

    for token in doc:
        if not is_reporting_verb(token) or inside_taken(token):
            continue
        if _inside_marks(sentence.start_of(token), marks):
            continue
        clause = content_clause(token)
        if clause is None:
            continue
        subtree = list(clause.subtree)
        lo, hi = subtree[0].i, subtree[-1].i
        start, end = sentence.span_of(subtree)
        if clause.dep_ == "xcomp":
            # "claimed to have captured X": the claim needs its subject; cite the whole sentence.
            start, end = sentence.sentence.start, sentence.sentence.end
        start, end = _strip_span(text, start, end, strip_end=_STRIP_END)
        if start < end and text[start:].lower().startswith("that "):
            start += 5
        if end - start < 8 or _mostly_quoted(start, end, marks):
            continue
        if any(c.dep_ in ("auxpass", "nsubjpass") for c in token.children) and not any(
            c.dep_ == "agent" for c in token.children
        ):
            continue  # "it was reported that…", "it has not been confirmed that…": nobody named
        subject = speaker_token(token)
        if subject is None or subject.i in range(lo, hi + 1) or subject.dep_ == "expl":
            continue
        speaker = resolver.resolve(speaker_phrase(sentence, subject, resolver))
        resolver.remember(speaker)
        taken.append((lo, hi))
        quote = _make(article, QuoteKind.INDIRECT, start, end, speaker, token.text)
        lemma = token.lemma_.lower()
        negative = lemma in NEGATIVE_REPORTING_VERBS or any(c.dep_ == "neg" for c in token.children)
        found.append(Attribution(quote=quote, cue_lemma=lemma, negative_cue=negative))

    for according, pobj in according_to(doc):
        if _inside_marks(sentence.start_of(according), marks) or inside_taken(according):
            continue
        phrase = [according, *according.nbor(1).subtree]
        phrase_start, phrase_end = sentence.span_of(phrase)
        sent_start, sent_end = sentence.sentence.start, sentence.sentence.end
        if not text[sent_start:phrase_start].strip(" ,\"\u201c\u201d"):
            start, end = phrase_end, sent_end
        elif not text[phrase_end:sent_end].strip(" .,;"):
            start, end = sent_start, phrase_start
        else:
            start, end = sent_start, sent_end
        start, end = _strip_span(text, start, end, strip_end=_STRIP_END)
        if end - start < 8 or _mostly_quoted(start, end, marks):
            continue
        speaker = resolver.resolve(speaker_phrase(sentence, pobj, resolver))
        resolver.remember(speaker)
        quote = _make(article, QuoteKind.ACCORDING_TO, start, end, speaker, "according to")
        found.append(Attribution(quote=quote, cue_lemma="according to", negative_cue=False))
    return found


def _mostly_quoted(start: int, end: int, marks: Sequence[DirectQuoteMarks]) -> bool:
    """Content that is mostly a direct quote belongs to that quote's attribution."""
    covered = sum(max(0, min(end, m.close) - max(start, m.open)) for m in marks)
    return covered > 0.5 * (end - start)


def extract_quotes(
    articles: Sequence[Article],
    parsed: dict[str, list[ParsedSentence]],
    *,
    entities: Sequence[Entity] = (),
) -> dict[str, list[Attribution]]:
    """Attributions per article id; each carries a :class:`Quote`."""
    entity_by_id = {entity.id: entity for entity in entities}
    name_index = build_name_index(entities)
    result: dict[str, list[Attribution]] = {}
    for article in articles:
        resolver = SpeakerResolver(article=article, entities=entity_by_id, name_index=name_index)
        result[article.id] = extract_attributions(article, parsed.get(article.id, []), resolver)
    return result


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
    "speaker_phrase",
]
