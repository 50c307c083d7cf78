"""The NLP layer: sentence spans that cite cleanly, mentions with offsets into the clean text."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from manysides.model import Article
from manysides.nlp import annotate


def sentences_of(nlp, text):
    article = Article(id="a", source="t", format="txt", raw_text=text, clean_text=text,
                      published=dt.date(2022, 9, 10))
    (annotated,) = annotate([article], nlp=nlp)
    return annotated, [text[s.start:s.end] for s in annotated.sentences]


def test_a_sentence_is_not_cut_where_there_is_no_terminal_punctuation(nlp):
    text = ("Konashenkov also said that over the past three days more than 2,000 fighters and over "
            "100 armoured vehicles were destroyed on the Kharkiv direction. The ministry gave no proof.")
    _, sentences = sentences_of(nlp, text)
    assert sentences == [text[:text.index(" The ministry")], "The ministry gave no proof."]


def test_paragraph_breaks_end_sentences_and_quotes_stay_with_their_sentence(nlp):
    text = ('"The army is showing its back," Zelensky said. "It is a good choice for them to run."\n'
            "Headline-like line without a period\nRussia's defence ministry said it was regrouping.")
    _, sentences = sentences_of(nlp, text)
    assert sentences == [
        '"The army is showing its back," Zelensky said.',
        '"It is a good choice for them to run."',
        "Headline-like line without a period",
        "Russia's defence ministry said it was regrouping.",
    ]


def test_mentions_point_into_the_clean_text(nlp):
    article, _ = sentences_of(nlp, "Volodymyr Zelensky spoke in Kyiv on Saturday.")
    assert article.mentions
    for mention in article.mentions:
        assert article.clean_text[mention.start:mention.end] == mention.text


def test_two_processes_give_the_same_annotation_as_one(nlp):
    texts = [f"Story {n}. The mayor of Port Aldwin resigned on Monday.\nCouncillors voted {n} times."
             for n in range(6)]
    articles = [Article(id=f"a{n}", source="t", format="txt", raw_text=t, clean_text=t)
                for n, t in enumerate(texts)]
    one = list(annotate(articles, nlp=nlp, n_process=1, batch_size=2))
    two = list(annotate(articles, nlp=nlp, n_process=2, batch_size=2))
    assert [a.sentences for a in two] == [a.sentences for a in one]
    assert [a.mentions for a in two] == [a.mentions for a in one]


@given(st.lists(st.sampled_from(["word ", "Two words. ", "\n", "\n\n", "x" * 30]), max_size=400),
       st.integers(min_value=20, max_value=400))
def test_text_chunks_concatenate_back_and_respect_the_limit(pieces, limit):
    from manysides.nlp import text_chunks

    text = "".join(pieces)
    chunks = text_chunks(text, limit=limit)
    assert "".join(chunks) == text
    assert all(len(chunk) <= limit for chunk in chunks)


def test_an_article_over_the_chunk_size_is_parsed_whole_with_article_offsets(nlp):
    from manysides.nlp import CHUNK_CHARS, annotate

    paragraph = "The harbour council met on Tuesday in Port Aldwin. It agreed a budget for the ferry.\n\n"
    text = paragraph * (CHUNK_CHARS // len(paragraph) + 40)  # past one chunk: parsed in two
    article = Article(id="c" * 16, source="long.txt", format="txt", raw_text=text, clean_text=text)
    annotated = next(annotate([article], nlp=nlp))
    assert len(annotated.sentences) == 2 * text.count("\n\n")
    last = annotated.sentences[-1]
    assert last.start > CHUNK_CHARS and text[last.start:last.end] == "It agreed a budget for the ferry."
    assert all(text[m.start:m.end] == m.text for m in annotated.mentions)
    assert any(m.start > CHUNK_CHARS and m.text == "Port Aldwin" for m in annotated.mentions)
