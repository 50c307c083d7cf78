"""Quotes and attribution: speakers, spans, pronouns, chains, sides."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from manysides.analyse.claims.extract import claims_stage
from manysides.analyse.claims.quotes import find_quote_marks
from manysides.analyse.claims.sides import side_of
from manysides.model import Article, Briefing, Entity, EntityType, QuoteKind, Span
from manysides.nlp import annotate
from manysides.resources import Resources

FIXTURES = Path(__file__).parent / "fixtures" / "claims"


def make_briefing(resources: Resources, texts: dict[str, str], *, entities=()) -> Briefing:
    articles = [
        Article(id=f"art-{outlet}", source=f"{outlet}.txt", format="txt", outlet=outlet,
                raw_text=text, clean_text=text)
        for outlet, text in texts.items()
    ]
    articles = list(annotate(articles, nlp=resources.nlp))
    briefing = Briefing(id="test", created_at=dt.datetime(2022, 9, 11), articles=articles,
                        entities=list(entities))
    return claims_stage(briefing, resources)


def quotes_of(briefing: Briefing, outlet: str):
    return [q for q in briefing.quotes if q.span.article_id == f"art-{outlet}"]


def quote_containing(briefing: Briefing, fragment: str):
    matches = [q for q in briefing.quotes if fragment in briefing.text(q.span)]
    assert matches, f"no quote contains {fragment!r}: {[briefing.text(q.span) for q in briefing.quotes]}"
    return matches[0]


# -- quote marks ---------------------------------------------------------------


def test_quote_marks_of_every_style_are_found_and_scare_quotes_are_not():
    text = (
        'He said "we hold the line here." She wrote \u201cthe town is ours now\u201d. '
        "They wrote \u00ablosses were very heavy\u00bb. Troops were \u201cregrouping\u201d."
    )
    contents = [text[m.content_start : m.content_end] for m in find_quote_marks(text)]
    assert contents == ["we hold the line here.", "the town is ours now", "losses were very heavy"]


def test_an_unclosed_curly_quote_runs_to_the_end_of_its_paragraph():
    text = "He said: \u201cWe will hold Izium for as long as it takes.\nNext paragraph here."
    (mark,) = find_quote_marks(text)
    assert text[mark.content_start : mark.content_end] == "We will hold Izium for as long as it takes."


# -- attribution -----------------------------------------------------------------


def test_defence_ministry_chain_keeps_one_speaker_and_side(resources):
    briefing = make_briefing(resources, {"wire": (
        "Russia's defence ministry said on Saturday it was regrouping troops near Izium. "
        "The ministry said the decision was taken to reinforce the Donetsk front. "
        "It added that Ukrainian losses were heavy."
    )})
    quotes = quotes_of(briefing, "wire")
    assert [q.kind for q in quotes] == [QuoteKind.INDIRECT] * 3
    assert {q.speaker for q in quotes} == {"Russia's defence ministry"}
    assert {q.side for q in quotes} == {"russia"}
    assert briefing.text(quotes[1].span) == "the decision was taken to reinforce the Donetsk front"
    assert [q.cue for q in quotes] == ["said", "said", "added"]


def test_the_same_quote_in_three_outlets_resolves_to_one_entity(resources):
    texts = {
        "afp": "\u201cThe Russian army is showing its back,\u201d Zelensky said in his nightly address.",
        "blog": "Zelenskyy said in a video: \u00abThe Russian army these days shows its back to us\u00bb.",
        "agg": (
            "Ukrainian President Volodymyr Zelenskyy spoke on Saturday evening.\n"
            "\u201cIn these days the Russian army is showing us its back.\u201d"
        ),
    }
    zelensky = Entity(
        id="e-zelensky", canonical_name="Volodymyr Zelensky", type=EntityType.PER,
        surface_forms={"x": ["Zelensky", "Zelenskyy", "Volodymyr Zelenskyy"]},
    )
    briefing = make_briefing(resources, texts, entities=[zelensky])
    for outlet in texts:
        direct = [q for q in quotes_of(briefing, outlet) if q.kind == QuoteKind.DIRECT]
        assert len(direct) == 1, outlet
        assert "its back" in briefing.text(direct[0].span)
        assert direct[0].speaker_entity_id == "e-zelensky", (outlet, direct[0].speaker)
        assert direct[0].side == "ukraine"
        assert "Zelensk" in briefing.text(direct[0].speaker_span)


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("According to the Institute for the Study of War, Ukrainian units retook 2,000 square kilometers.",
         "Ukrainian units retook 2,000 square kilometers"),
        ("Ukrainian units retook 2,000 square kilometers, according to the Institute for the Study of War.",
         "Ukrainian units retook 2,000 square kilometers"),
    ],
)
def test_according_to_at_either_end(resources, text, content):
    briefing = make_briefing(resources, {"isw": text})
    (quote,) = quotes_of(briefing, "isw")
    assert quote.kind == QuoteKind.ACCORDING_TO
    assert briefing.text(quote.span) == content
    assert quote.speaker == "Institute for the Study of War"
    assert quote.side == "western"


def test_pronoun_speaker_goes_to_the_last_named_person(resources):
    briefing = make_briefing(resources, {"blog": (
        "Igor Konashenkov briefed journalists in Moscow on Saturday. "
        "\u201cThe enemy lost more than 4,000 servicemen in three days,\u201d he said."
    )})
    quote = quote_containing(briefing, "4,000 servicemen")
    assert quote.speaker == "Igor Konashenkov"
    assert briefing.text(quote.speaker_span) == "Igor Konashenkov"
    assert quote.side == "russia"


def test_told_keeps_the_teller_not_the_listener(resources):
    briefing = make_briefing(resources, {"tv": (
        "Denis Pushilin told Russian state television that the situation in Lyman was difficult."
    )})
    quote = quote_containing(briefing, "situation in Lyman")
    assert quote.speaker == "Denis Pushilin"
    assert quote.cue == "told"
    assert quote.side == "russia"


def test_said_after_a_parenthetical_claim_and_british_officials(resources):
    briefing = make_briefing(resources, {"uk": (
        "Ukrainian forces have not captured Kupiansk, the General Staff of Ukraine said. "
        "British officials said Saturday that it believed Russian troops had withdrawn from Izium."
    )})
    first = quote_containing(briefing, "Kupiansk")
    assert briefing.text(first.span) == "Ukrainian forces have not captured Kupiansk"
    assert first.side == "ukraine"
    second = quote_containing(briefing, "withdrawn")
    assert second.speaker == "British officials"
    assert second.side == "western"
    assert briefing.text(second.span).startswith("it believed Russian troops")


def test_a_quote_spanning_two_sentences_is_one_quote(resources):
    briefing = make_briefing(resources, {"paper": (
        "\u201cWe have liberated Balakliia. Our troops are moving towards Kupiansk,\u201d "
        "Oleksandr Syrskyi said."
    )})
    (quote,) = [q for q in briefing.quotes if q.kind == QuoteKind.DIRECT]
    assert briefing.text(quote.span) == "We have liberated Balakliia. Our troops are moving towards Kupiansk"
    assert quote.speaker == "Oleksandr Syrskyi"
    assert quote.side == "ukraine"


def test_every_span_is_exact_on_the_fixture_story(resources):
    texts = {path.stem: path.read_text("utf-8") for path in sorted(FIXTURES.glob("*.txt"))}
    briefing = make_briefing(resources, texts)
    assert len(briefing.quotes) >= 10
    for quote in briefing.quotes:
        content = briefing.text(quote.span)
        assert content.strip() == content and content
        assert content[0] not in "\"\u201c\u00ab" and content[-1] not in "\"\u201d\u00bb,"
        if quote.speaker_span is not None:
            assert briefing.text(quote.speaker_span) == quote.speaker
    assert len({q.id for q in briefing.quotes}) == len(briefing.quotes)


def test_speaker_resolved_through_mention_entity_ids(resources):
    text = "Dmitry Peskov told reporters that the operation would continue."
    briefing = make_briefing(resources, {"wire": text})
    start = text.index("Dmitry Peskov")
    peskov = Entity(
        id="e-peskov", canonical_name="Dmitry Peskov", type=EntityType.PER,
        mentions=[Span(article_id="art-wire", start=start, end=start + len("Dmitry Peskov"))],
    )
    resolved = claims_stage(briefing.model_copy(update={"entities": [peskov]}), resources)
    (quote,) = resolved.quotes
    assert quote.speaker_entity_id == "e-peskov"


# -- sides -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("asserter", "side"),
    [
        ("Russia's defence ministry", "russia"),
        ("Igor Konashenkov", "russia"),
        ("Kohashenkov", "russia"),  # a typo seen in scraped copy
        ("Kremlin spokesman Dmitry Peskov", "russia"),
        ("pro-Russian officials", "russia"),
        ("Vladimir Saldo", "russia"),
        ("the Russian-installed head of Ukraine's Kharkiv region", "russia"),
        ("Ukrainian officials", "ukraine"),
        ("Volodymyr Zelenskyy", "ukraine"),
        ("General Staff of Ukraine", "ukraine"),
        ("Kyiv", "ukraine"),
        ("British officials", "western"),
        ("US officials", "western"),
        ("Institute for the Study of War", "western"),
        ("NATO", "western"),
        ("the ministry", None),
        ("a local resident", None),
        ("us", None),  # the pronoun, not the country
    ],
)
def test_sides_of_common_asserters(asserter, side):
    assert side_of(asserter) == side


def test_entity_side_and_spellings_are_used():
    entity = Entity(id="e1", canonical_name="Sergei Shoigu", type=EntityType.PER)
    assert side_of("the minister", entity=entity) == "russia"
    assert side_of("anyone", entity=entity.model_copy(update={"side": "ukraine"})) == "ukraine"
