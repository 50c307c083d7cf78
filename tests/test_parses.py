"""One parse path: the annotation pass's parses serve every stage; only what is missing is parsed."""

from __future__ import annotations

from manysides.model import Article
from manysides.nlp import Parses, annotate


class CountingNlp:
    """The real pipeline, counting the texts it is asked to parse."""

    def __init__(self, nlp):
        self.nlp = nlp
        self.parsed = 0

    def pipe(self, texts, **kwargs):
        for doc in self.nlp.pipe(texts, **kwargs):
            self.parsed += 1
            yield doc

    def __getattr__(self, name):
        return getattr(self.nlp, name)


def _article(article_id: str, text: str) -> Article:
    return Article(id=article_id, source="x.txt", format="txt", outlet="x", raw_text=text, clean_text=text)


def test_kept_parses_are_reused_and_missing_ones_parsed_once(nlp):
    kept = Parses()
    first = list(annotate([_article("a1", "The plant closed on Friday. Workers protested.")], nlp=nlp,
                          keep_docs=kept))[0]
    second = list(annotate([_article("a2", "The union called a strike. Talks failed.")], nlp=nlp))[0]
    counting = CountingNlp(nlp)
    spans = kept.sentence_spans([first, second], counting)
    assert counting.parsed == 1  # only the article the annotation pass did not keep
    for article in (first, second):
        pieces = spans[article.id]
        assert [p.start for p, _ in pieces] == [s.start for s in article.sentences]
        for piece, span in pieces:  # spaCy spans in article offsets
            assert span[0].idx == piece.start
            assert span.text.strip() == article.clean_text[piece.start:piece.end].strip()
    kept.sentence_spans([first, second], counting)
    assert counting.parsed == 1  # the stage after reuses what the stage before parsed


def test_a_parse_of_another_text_under_the_same_id_is_never_used(nlp):
    parses = Parses()
    old = list(annotate([_article("a1", "Prices rose sharply in May.")], nlp=nlp, keep_docs=parses))[0]
    new = list(annotate([_article("a1", "Ferries were cancelled in June.")], nlp=nlp))[0]
    assert parses.doc_of(old) is not None and parses.doc_of(new) is None
    ((_, span),) = parses.sentence_spans([new], nlp)[new.id]
    assert span.text.startswith("Ferries")
