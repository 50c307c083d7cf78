"""Quotes and attribution: speakers, spans, pronouns, chains, sides."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from manysides.analyse.claims.extract import claims_stage
from manysides.analyse.claims.quotes import find_quote_marks
from manysides.model import Article, Briefing, Entity, EntityType, Place, QuoteKind, Span
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


# -- sides: side_of itself is tested in test_packs.py (the war pack's parties) ----------------


# -- issue 12: the right speaker behind every quote (texts written by the team) ---------------


def _speaker_of(briefing, fragment: str) -> str:
    return quote_containing(briefing, fragment).speaker


def test_a_critics_words_are_not_given_to_the_leader_they_criticise(resources):
    text = ("Governor Laura Kent signed the water plan on Monday.\n"
            "Governor Laura Kent's critics said the plan was a disaster for small farmers.")
    spans = [Span(article_id="art-local", start=at, end=at + len("Laura Kent"))
             for at in (text.index("Laura Kent"), text.rindex("Laura Kent"))]
    kent = Entity(id="e-kent", canonical_name="Laura Kent", type=EntityType.PER, mentions=spans,
                  surface_forms={"art-local": ["Laura Kent"]})
    briefing = make_briefing(resources, {"local": text}, entities=[kent])
    quote = quote_containing(briefing, "a disaster for small farmers")
    assert quote.speaker_entity_id != "e-kent" and "critics" in quote.speaker


def _with_entities(resources, texts: dict[str, str], *, mislabel: tuple[str, str] | None = None,
                   pronouns: bool = False) -> Briefing:
    """Like ``make_briefing``, with the entities stage run first; ``mislabel`` = (phrase, label) adds
    a mention as a careless NER might ("Twitter" as a PERSON)."""
    from manysides.analyse.entities.resolve import resolve_entities
    from manysides.model import Mention

    articles = [Article(id=f"art-{outlet}", source=f"{outlet}.txt", format="txt", outlet=outlet,
                        raw_text=text, clean_text=text) for outlet, text in texts.items()]
    articles = list(annotate(articles, nlp=resources.nlp))
    if mislabel is not None:
        phrase, label = mislabel
        fixed = []
        for article in articles:
            extra = [Mention(span=Span(article_id=article.id, start=at, end=at + len(phrase)), text=phrase, label=label)
                     for at in [i for i in range(len(article.clean_text)) if article.clean_text.startswith(phrase, i)]]
            kept = [m for m in article.mentions if not any(m.start < e.end and e.start < m.end for e in extra)]
            fixed.append(article.model_copy(update={"mentions": sorted([*kept, *extra], key=lambda m: m.start)}))
        articles = fixed
    articles, entities = resolve_entities(articles, resources.gazetteer, pronouns=pronouns)
    briefing = Briefing(id="test", created_at=dt.datetime(2022, 9, 11), articles=articles, entities=entities)
    return claims_stage(briefing, resources)


def test_a_representative_for_a_company_is_the_speaker_not_the_company(resources):
    briefing = _with_entities(resources, {"wire": (
        "Northwind Energy lost its case in the appeals court on Friday.\n"
        "\u201cWe are reviewing the ruling and will respond in court,\u201d a representative for Northwind Energy said."
    )})
    quote = quote_containing(briefing, "reviewing the ruling")
    company = {e.id for e in briefing.entities if e.canonical_name == "Northwind Energy"}
    assert company and quote.speaker_entity_id not in company
    assert "representative" in quote.speaker


def test_a_social_network_is_never_the_speaker(resources):
    briefing = _with_entities(resources, {"daily": (
        "Representative Mark Ellis resigned on Friday. After the vote, Mr. Ellis deleted his Twitter account.\n"
        "\u201cI am sorry for the pain I caused my family and my staff,\u201d he said in his statement."
    )}, mislabel=("Twitter", "PERSON"))
    quote = quote_containing(briefing, "sorry for the pain")
    assert "Twitter" not in quote.speaker and "Ellis" in quote.speaker


def test_she_is_the_mother_not_the_son_named_just_before(resources):
    briefing = make_briefing(resources, {"daily": (
        "Maria Lopez said her son, Daniel Lopez, had saved for the car for two years before the crash.\n"
        "\u201cHe loved driving it to school every morning,\u201d she said."
    )})
    assert _speaker_of(briefing, "loved driving it") == "Maria Lopez"


def test_he_is_the_leader_who_spoke_not_the_former_president_he_met(resources):
    briefing = make_briefing(resources, {"daily": (
        "Senate leader Paul Ortiz spoke to reporters after meeting former President Tom Reyes.\n"
        "\u201cWe have the votes to pass this bill before the recess,\u201d he said."
    )})
    assert "Ortiz" in _speaker_of(briefing, "We have the votes")


def test_a_town_is_never_the_speaker(resources):
    text = "Denver said the bridge would reopen to traffic on Monday morning."
    start = text.index("Denver")
    town = Entity(id="e-denver", canonical_name="Denver", type=EntityType.GPE,
                  mentions=[Span(article_id="art-wire", start=start, end=start + 6)],
                  surface_forms={"art-wire": ["Denver"]},
                  place=Place(latitude=39.74, longitude=-104.98, admin_level="city", country_code="US"))
    briefing = make_briefing(resources, {"wire": text}, entities=[town])
    assert not any(q.speaker_entity_id == "e-denver" or q.speaker == "Denver" for q in briefing.quotes)


def test_the_statement_said_is_the_author_of_the_statement(resources):
    briefing = make_briefing(resources, {"wire": (
        "\u201cWe are disappointed by the decision but not surprised,\u201d said the statement from "
        "the mayor's lawyer, Daniel Price.\n"
        "The statement said the mayor \u201cwill be cleared of every charge.\u201d"
    )})
    assert "Price" in _speaker_of(briefing, "cleared of every charge")


def test_a_quote_continuing_in_the_same_paragraph_keeps_its_speaker(resources):
    briefing = make_briefing(resources, {"court": (
        "\u201cSo the company looks like every other employer in the country,\u201d Justice Alan Moore said. "
        "\u201cThen every employer would be in breach of the act\u201d as the plaintiffs read it?"
    )})
    assert "Moore" in _speaker_of(briefing, "every employer would be in breach")


def test_a_quote_inside_a_quote_keeps_the_outer_speaker(resources):
    briefing = make_briefing(resources, {"daily": (
        "\u201cWhen the coach told me \u2018we will win this final,\u2019 I believed him,\u201d Sara Diaz said."
    )})
    outer = quote_containing(briefing, "I believed him")
    assert outer.speaker == "Sara Diaz"
    inner = [q for q in briefing.quotes if briefing.text(q.span) == "we will win this final,"
             or briefing.text(q.span) == "we will win this final"]
    assert inner and "coach" in inner[0].speaker


def test_a_speaker_takes_the_side_of_the_country_the_text_shows_them_serving(resources):
    briefing = _with_entities(resources, {"wire": (
        "Foreign Minister Amara Osei of Ghana met reporters in Accra on Monday.\n"
        "Osei said the northern border would stay open to traders through the dry season."
    )})
    quote = quote_containing(briefing, "northern border would stay open")
    assert "Osei" in quote.speaker and quote.side == "Ghana"


def test_a_clause_after_a_comma_is_not_an_affiliation(resources):
    # "According to X, the Nigerian army ..." names what X spoke about, not whom X serves.
    briefing = _with_entities(resources, {"wire": (
        "Foreign Minister Amara Osei of Ghana spoke in Accra on Monday.\n"
        "According to Osei, the Nigerian delegation \u201chad left the talks early\u201d on Sunday."
    )})
    osei = [e for e in briefing.entities if "Osei" in e.canonical_name]
    assert osei and all(e.side == "Ghana" for e in osei)


def test_a_party_official_speaks_for_the_party_the_text_names(resources):
    briefing = _with_entities(resources, {"wire": (
        "Regional governor Paulo Mendes of the Liberal Party visited the bridge on Monday.\n"
        "\u201cWe will rebuild it within a year,\u201d Mendes said.\n"
        "The Green Alliance spokeswoman Rita Vaz said the repairs were overdue."
    )})
    assert quote_containing(briefing, "rebuild it within a year").side == "Liberal Party"
    vaz = [e for e in briefing.entities if "Vaz" in e.canonical_name]
    assert vaz and all(e.side == "Green Alliance" for e in vaz)


def test_pronouns_joined_to_people_leave_the_speaker_to_the_quotes_own_cue(resources):
    # the resolver joins "he"/"him" to people (the pipeline's setting); the speaker is still a name
    text = ("Tom Reed, a lawyer for the city, defended the deal on Monday. The council thanked him.\n"
            "\u201cWe did nothing wrong,\u201d he said.")
    briefing = _with_entities(resources, {"daily": text}, pronouns=True)
    reed = next(e for e in briefing.entities if e.canonical_name == "Tom Reed")
    assert any(text[m.start:m.end] == "him" for m in reed.mentions), "the resolver did not join 'him' to Tom Reed"
    assert _speaker_of(briefing, "nothing wrong") == "Tom Reed"


def test_a_firm_the_ner_calls_a_person_does_not_take_the_quote_of_the_lawyer_who_works_there(resources):
    text = ("Tom Reed, a lawyer at Harlow Briggs, defended the deal on Monday. Harlow Briggs has advised "
            "the city for years and its fees rose last year.\n"
            "\u201cWe did nothing wrong,\u201d he said in his statement.")
    briefing = _with_entities(resources, {"daily": text}, mislabel=("Harlow Briggs", "PERSON"), pronouns=True)
    assert _speaker_of(briefing, "nothing wrong") == "Tom Reed"


# -- passives, messages announced under a name, sides read beside a name ------------------------


def test_the_subject_of_a_passive_reporting_verb_is_not_the_speaker(resources):
    briefing = _with_entities(resources, {"wire": (
        "Mayor Ann Cole has been described as \u201cthe hardest worker in city hall.\u201d\n"
        "Mayor Ann Cole was told by the auditor that the budget had a hole of two million dollars.")})
    assert not any("Cole" in (q.speaker or "") for q in briefing.quotes), [(q.speaker, q.cue) for q in briefing.quotes]
    assert "auditor" in quote_containing(briefing, "hole of two million").speaker


def test_the_subject_quoted_as_saying_is_still_the_speaker(resources):
    briefing = _with_entities(resources, {"wire": (
        "Mayor Ann Cole was quoted as saying \u201cthe budget is safe for another year.\u201d")})
    assert "Cole" in quote_containing(briefing, "budget is safe").speaker


def test_a_statement_from_a_countrys_ministry_is_the_ministrys_and_keeps_the_country_side(resources):
    briefing = _with_entities(resources, {"wire": (
        "Norway said in a statement from its foreign ministry that the embassy would reopen in May.\n"
        "Ann Cole said in a statement from her lawyer that she had done nothing wrong.")})
    ministry = quote_containing(briefing, "embassy would reopen")
    assert "foreign ministry" in ministry.speaker and ministry.side == "Norway", (ministry.speaker, ministry.side)
    assert "Cole" in quote_containing(briefing, "done nothing wrong").speaker  # a person's statement stays hers


@pytest.mark.parametrize("opening, name, side", [
    ("Senator Ruth Hale, a Democrat, toured the plant on Friday.", "Hale", "Democrat"),
    ("Chile's interior minister, Rosa Vidal, visited the port on Sunday.", "Vidal", "Chile"),
])
def test_a_side_written_beside_the_name_is_the_speakers(resources, opening, name, side):
    briefing = _with_entities(resources, {"wire": opening + f"\n\u201cWe will keep these jobs here,\u201d {name} said."})
    quote = quote_containing(briefing, "keep these jobs")
    assert name in quote.speaker and quote.side == side, (quote.speaker, quote.side)


def test_a_group_word_naming_an_association_is_not_its_presidents_side(resources):
    briefing = _with_entities(resources, {"wire": (
        "Neighbourhood association president Pedro Ramos walked the street on Monday.\n"
        "\u201cThe rain is not to blame,\u201d Ramos said.")}, mislabel=("Neighbourhood", "NORP"))
    assert quote_containing(briefing, "rain is not to blame").side is None


@pytest.mark.parametrize("dateline", ["Lisbon (AFP) - ", "LISBON \u2014 ", "LISBON, March 3 (Reuters) - "])
def test_a_datelines_place_and_agency_are_not_part_of_what_officials_said(resources, dateline):
    text = dateline + "Rescuers pulled four people alive from the rubble of the old market, officials said on Sunday."
    briefing = make_briefing(resources, {"wire": text})
    quote = quote_containing(briefing, "pulled four people")
    assert briefing.text(quote.span).startswith("Rescuers"), briefing.text(quote.span)
