"""Attribution in one article: direct quotes, indirect speech and "according to", each with its speaker."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from manysides.analyse.claims.marks import DirectQuoteMarks, find_quote_marks, nested_quote_marks
from manysides.analyse.claims.sides import side_of
from manysides.analyse.claims.speakers import (
    _SPEAKER_DEPS,
    NEGATIVE_REPORTING_VERBS,
    ResolvedSpeaker,
    SpeakerCandidate,
    SpeakerResolver,
    according_to,
    build_name_index,
    content_clause,
    is_quote_cue,
    is_reporting_verb,
    speaker_phrase,
    speaker_token,
)
from manysides.model import Article, Entity, Quote, QuoteKind, Span

if TYPE_CHECKING:
    from manysides.analyse.claims.quotes import ParsedSentence


def quote_id(article_id: str, start: int, end: int, kind: QuoteKind) -> str:
    digest = hashlib.sha1(f"{article_id}:{start}:{end}:{kind.value}".encode()).hexdigest()
    return "q" + digest[:15]




@dataclass(frozen=True, slots=True)
class Attribution:
    """A quote plus what the claim layer needs about its cue."""

    quote: Quote
    cue_lemma: str
    negative_cue: bool  # the speaker asserts the opposite of the content ("denied that…")
    marks: DirectQuoteMarks | None = None


_STRIP_END = ".,;: \t\n\u2014\u2013-"
# A dateline opening a paragraph: "Kyiv (AFP) - ", "LONDON — ", "BERLIN, March 3 (Reuters) - ".
_DATELINE = re.compile(r"[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3}(?:,\s+[^()\n,]{1,30}?)?\s*"
                       r"(?:\([^()\n]{1,30}\)\s*)?[-\u2013\u2014]{1,2}\s+")


def _after_dateline(text: str, start: int, end: int) -> int:
    """Where reported content starts once a paragraph's dateline is left out: the words are the
    source's, the dateline the outlet's."""
    if start and text[start - 1] != "\n":
        return start
    dateline = _DATELINE.match(text, start, end)
    return dateline.end() if dateline and end - dateline.end() >= 8 else start


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
            # Subjects of main clauses and of reporting verbs only: "He said Grassley would…"
            # leaves Grassley, the subject of the reported clause, out.
            if token.dep_ in _SPEAKER_DEPS and (token.head.dep_ == "ROOT" or is_quote_cue(token.head)):
                resolver.subject_starts.add(sentence.start_of(token))
            if token.dep_ in _SPEAKER_DEPS and token.pos_ == "PROPN":
                names = [c for c in token.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"]
                if names and names[-1].i == token.i - 1:
                    start, end = sentence.span_of([names[0], token])
                    # a two-word subject the story knows as a place or a firm is nobody's name
                    if not any(m[0] <= start < m[1] and m[2] in ("GPE", "LOC", "ORG") for m in resolver.mentions_in(start, end)):
                        resolver.subject_names.append((start, end, "PERSON", None))
    for index, sentence in enumerate(parsed):
        sent_start, sent_end = sentence.sentence.start, sentence.sentence.end
        opened_here = [m for m in marks if sent_start <= m.open < sent_end]
        direct_found = 0
        for mark in opened_here:
            attribution = _attribute_direct(article, parsed, index, mark, marks, resolver)
            if attribution is not None:
                attributions.append(attribution)
                attributions.extend(_nested(article, parsed, mark, resolver))
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
    speaker = resolver.resolve_speaker(candidate)
    if speaker is None:
        return None
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
        if len(doc) <= 12 and any(is_quote_cue(t) for t in doc[:4]) and after.sentence.start - mark.close <= 2:
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
            if is_quote_cue(token):
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
            subject = _subject_of(sentence, token, resolver)
            if subject is not None:
                speaker = resolver.resolve_speaker(speaker_phrase(sentence, subject, resolver))
                cue_text, cue_lemma = token.text, token.lemma_.lower()
        else:
            pobj = next((c for c in token.doc[token.i + 1].children if c.dep_ == "pobj"), None)
            if pobj is not None:
                speaker = resolver.resolve_speaker(speaker_phrase(sentence, pobj, resolver))
                cue_text, cue_lemma = "according to", "according to"
    if speaker is None:
        speaker, cue_text = _colon_speaker(article, parsed, index, mark, resolver)
        cue_lemma = cue_text
    if speaker is None and outside_words <= 1 and index > 0:
        speaker = _previous_sentence_speaker(article, parsed[index - 1], marks, resolver)
        cue_text = cue_lemma = ""
    if speaker is None:
        # “…,” Justice A said. “Then …” of the act?  A later quote in the same paragraph, with no
        # cue of its own, is the same speaker's.
        speaker = resolver.paragraph_speaker(mark.open)
        cue_text = cue_lemma = ""
    if speaker is None:
        return None
    resolver.remember(speaker)
    resolver.last_direct = (mark.close, speaker)
    quote = _make(article, QuoteKind.DIRECT, mark.content_start, mark.content_end, speaker, cue_text or None)
    return Attribution(
        quote=quote, cue_lemma=cue_lemma, negative_cue=cue_lemma in NEGATIVE_REPORTING_VERBS, marks=mark
    )


def _nested(article: Article, parsed: Sequence[ParsedSentence], outer: DirectQuoteMarks,
            resolver: SpeakerResolver) -> list[Attribution]:
    """Quotes inside a quote keep their own level: “When the coach told me ‘we will win,’ I
    believed him,” X said — X says the outer words, the coach the inner ones. The inner speaker is
    the subject of a cue inside the outer quote; a pronoun there speaks from X's point of view and
    is left alone, as is an inner quote with no cue."""
    found = []
    for inner in nested_quote_marks(article.clean_text, outer):
        cue = None
        for sentence in parsed:
            for token in sentence.doc:
                position = sentence.start_of(token)
                if outer.content_start <= position < inner.open and is_quote_cue(token):
                    cue = (sentence, token)
        if cue is None:
            continue
        sentence, token = cue
        subject = speaker_token(token)
        if subject is None or subject.pos_ == "PRON" or not (outer.content_start <= sentence.start_of(subject)):
            continue
        speaker = resolver.resolve_speaker(speaker_phrase(sentence, subject, resolver))
        if speaker is None:
            continue
        quote = _make(article, QuoteKind.DIRECT, inner.content_start, inner.content_end, speaker, token.text)
        found.append(Attribution(quote=quote, cue_lemma=token.lemma_.lower(),
                                 negative_cue=token.lemma_.lower() in NEGATIVE_REPORTING_VERBS, marks=inner))
    return found


def _subject_of(sentence: ParsedSentence, verb, resolver: SpeakerResolver):
    """The verb's subject; when the parse gave it none ("…, and Justice X said", "X, a candidate
    for Y, announced"), the person named last before the verb with no other verb between."""
    if any(c.dep_ in _SPEAKER_DEPS for c in verb.children):
        return speaker_token(verb)
    verb_start = sentence.start_of(verb)
    people = [m for m in resolver.mentions_in(sentence.start, verb_start) if m[2] == "PERSON"]
    if people:
        start, end = people[-1][0], people[-1][1]
        between = [t for t in sentence.doc if end <= sentence.start_of(t) < verb_start]
        if not any(t.pos_ in ("VERB", "AUX") and t.dep_ not in ("amod", "acl") for t in between):
            last = [t for t in sentence.doc if start <= sentence.start_of(t) < end]
            if last:
                return last[-1]
    return speaker_token(verb)


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
    if root.pos_ in ("VERB", "AUX"):
        # "She wrote on Instagram: “…”": the writer, not the network.
        subject = speaker_token(root)
        if subject is None:
            return None, ""
        root = subject
    return resolver.resolve_speaker(speaker_phrase(sentence, root, resolver)), ":"


def _previous_sentence_speaker(article, previous: ParsedSentence, marks, resolver) -> ResolvedSpeaker | None:
    """Speaker for a sentence that is only a quote: the one the sentence before introduces."""
    verbs = [t for t in previous.doc if is_quote_cue(t) and not _inside_marks(previous.start_of(t), marks)]
    for verb in reversed(verbs):
        subject = _subject_of(previous, verb, resolver)
        if subject is not None:
            return resolver.resolve_speaker(speaker_phrase(previous, subject, resolver))
    # A quote continuing from the sentence before keeps its speaker.
    if resolver.history and any(previous.sentence.start <= m.close <= previous.sentence.end + 1 for m in marks):
        return resolver.history[-1]
    persons = [m for m in resolver.mentions_in(previous.sentence.start, previous.sentence.end) if m[2] == "PERSON"]
    if persons:
        start, end = persons[-1][0], persons[-1][1]
        name = article.clean_text[start:end]
        candidate = SpeakerCandidate(name, start, end, name.split()[-1].lower(), name.split()[-1].lower(),
                                     mention_label="PERSON")
        return resolver.resolve_speaker(candidate)
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
        if (clause is None or clause.i < token.i) and _doubts_what_precedes(token):
            # "Neighbours told X that 12 were killed, a figure officials did not confirm": the
            # officials do not assert the figure; the sentence's own reporting verb does.
            continue
        if clause is None:
            # "A gunman killed eight people, police said, in …": the verb hangs off the clause it
            # reports (parataxis); the content is the sentence before the verb's own words.
            own = [t for t in token.subtree if not t.is_punct] or [token]
            fronted = [c for c in token.children if c.i < token.i and c.dep_ in ("ccomp", "parataxis", "advcl", "conj")
                       and min(t.i for t in c.subtree) == doc[0].i]
            if token.dep_ == "ROOT" and fronted:
                # "Hiring cooled in May, the Labor Department reported Friday, as …"
                subtree = list(fronted[0].subtree)
            elif token.dep_ not in ("parataxis", "advcl", "conj") or token.head.i > token.i \
                    or own[0].i - doc[0].i < 4 or not text[:sentence.start_of(own[0])].rstrip().endswith(","):
                continue
            else:
                subtree = [t for t in doc if t.i < own[0].i]
            if any(lo <= t.i <= hi for t in subtree for lo, hi in taken):
                continue  # "Officials say seven died; neighbours say 12": the fronted words have a speaker
        else:
            subtree = list(clause.subtree)
        lo, hi = subtree[0].i, subtree[-1].i
        start, end = sentence.span_of(subtree)
        if clause is not None and clause.dep_ == "xcomp":
            # "claimed to have captured X": the claim needs its subject; cite the whole sentence.
            start, end = sentence.sentence.start, sentence.sentence.end
        start, end = _strip_span(text, start, end, strip_end=_STRIP_END)
        start = _after_dateline(text, start, end)
        if start < end and text[start:].lower().startswith("that "):
            start += 5
        if end - start < 8 or _mostly_quoted(start, end, marks):
            continue
        if any(c.dep_ in ("auxpass", "nsubjpass") for c in token.children) and not any(
            c.dep_ == "agent" for c in token.children
        ):
            continue  # "it was reported that…", "it has not been confirmed that…": nobody named
        subject = _subject_of(sentence, token, resolver)
        if subject is None or subject.i in range(lo, hi + 1) or subject.dep_ == "expl":
            continue
        speaker = resolver.resolve_speaker(speaker_phrase(sentence, subject, resolver))
        if speaker is None:
            continue
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
        start = _after_dateline(text, start, end)
        if end - start < 8 or _mostly_quoted(start, end, marks):
            continue
        speaker = resolver.resolve_speaker(speaker_phrase(sentence, pobj, resolver))
        if speaker is None:
            continue
        resolver.remember(speaker)
        quote = _make(article, QuoteKind.ACCORDING_TO, start, end, speaker, "according to")
        found.append(Attribution(quote=quote, cue_lemma="according to", negative_cue=False))
    return found


def _doubts_what_precedes(token) -> bool:
    """A reporting verb hung after the content it would report, negated ("…, officials did not
    confirm") or with an appositive subject ("…, a figure officials gave"): it comments on the
    content, nobody is quoted saying it."""
    if any(c.dep_ == "neg" for c in token.children):
        return True
    subject = next((c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None:
        return False
    first = min(subject.subtree, key=lambda t: t.i)
    return first.lower_ in ("a", "an") and any(t.dep_ == "compound" and t.pos_ == "NOUN" for t in subject.lefts)


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
