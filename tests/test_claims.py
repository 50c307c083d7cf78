"""Claims: check-worthy sentences with asserter, outlet, entities, numbers, time, negation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from manysides.analyse.claims.extract import claims_stage
from manysides.model import Article, Briefing, Entity, EntityType, Span, TimeRef
from manysides.nlp import annotate
from manysides.resources import Resources, Settings

FIXTURES = Path(__file__).parent / "fixtures" / "claims"


def articles_of(resources: Resources, texts: dict[str, str]) -> list[Article]:
    articles = [
        Article(id=f"art-{outlet}", source=f"{outlet}.txt", format="txt", outlet=outlet,
                raw_text=text, clean_text=text)
        for outlet, text in texts.items()
    ]
    return list(annotate(articles, nlp=resources.nlp))


def run(resources: Resources, texts: dict[str, str], **fields) -> Briefing:
    briefing = Briefing(id="t", created_at=dt.datetime(2022, 9, 11),
                        articles=articles_of(resources, texts), **fields)
    return claims_stage(briefing, resources)


def claim_with(briefing: Briefing, fragment: str):
    matches = [c for c in briefing.claims if fragment in briefing.text(c.span)]
    assert matches, f"no claim contains {fragment!r}: {[briefing.text(c.span) for c in briefing.claims]}"
    return matches[0]


def claim_texts(briefing: Briefing) -> list[str]:
    return [briefing.text(c.span) for c in briefing.claims]


def test_opinion_question_boilerplate_and_fragments_are_skipped(resources):
    briefing = run(resources, {"paper": (
        "Ukrainian troops entered Balakliia on Thursday. "
        "This is a shameful day for the Kremlin. "
        "Moscow should negotiate now. "
        "Is the war about to end? "
        "Subscribe to our newsletter for the latest updates. "
        "Photo below."
    )})
    assert claim_texts(briefing) == ["Ukrainian troops entered Balakliia on Thursday."]


def test_outlet_voice_when_nothing_is_attributed(resources):
    briefing = run(resources, {"Daily Planet": "Ukrainian forces advanced 30 miles on Friday."})
    (claim,) = briefing.claims
    assert claim.asserter.is_outlet_voice
    assert claim.asserter.name == "Daily Planet" == claim.outlet
    assert claim.asserter.side is None


def test_attributed_claim_carries_speaker_side_and_quote(resources):
    briefing = run(resources, {"wire": (
        "Ukrainian forces have recaptured more than 20 settlements, the General Staff of Ukraine said."
    )})
    claim = claim_with(briefing, "20 settlements")
    assert briefing.text(claim.span) == "Ukrainian forces have recaptured more than 20 settlements"
    assert not claim.asserter.is_outlet_voice
    assert claim.asserter.side == "ukraine"
    assert claim.quote_id in {q.id for q in briefing.quotes}
    assert claim.predicate == "recapture"
    assert [(q.value, q.unit, q.approximate) for q in claim.quantities] == [(20.0, "settlement", True)]


def test_relayed_claims_keep_the_source_side_not_the_outlet(resources):
    text = "Russia's defence ministry said it was regrouping troops near Izium to reinforce Donetsk."
    briefing = run(resources, {"UK paper": text, "Russian blog": text.replace("Izium", "Izyum")})
    sides = {c.outlet: c.asserter.side for c in briefing.claims}
    assert sides == {"UK paper": "russia", "Russian blog": "russia"}
    assert {c.predicate for c in briefing.claims} == {"regroup"}


@pytest.mark.parametrize(
    ("sentence", "negated", "predicate"),
    [
        ("Ukrainian troops did not capture Kupiansk on Saturday.", True, "capture"),
        ("There has been no confirmation that Ukrainian forces fully control Kupiansk.", True, "control"),
        ("It has not been confirmed that Russian troops left Lyman.", True, "leave"),
        ("Russian forces no longer control the town of Izium.", True, "control"),
        ("Russian forces control the town of Izium.", False, "control"),
        ("The Russian army was forced to retreat from Izium.", False, "retreat"),
        ("Russian forces failed to capture the town of Kupiansk.", True, "capture"),
        ("The Kremlin denied that its troops had retreated from Izium.", True, "retreat"),
        ("British officials said that they believed Russian troops had withdrawn from Izium.", False, "withdraw"),
    ],
)
def test_negation_and_predicate(resources, sentence, negated, predicate):
    briefing = run(resources, {"o": sentence})
    (claim,) = briefing.claims
    assert (claim.negated, claim.predicate) == (negated, predicate)


def test_capture_and_no_confirmation_differ_only_in_negation(resources):
    briefing = run(resources, {
        "a": "Ukrainian forces captured Kupiansk on Saturday.",
        "b": "There is no confirmation that Ukrainian forces captured Kupiansk.",
    })
    by_outlet = {c.outlet: c for c in briefing.claims}
    assert by_outlet["a"].predicate == by_outlet["b"].predicate == "capture"
    assert (by_outlet["a"].negated, by_outlet["b"].negated) == (False, True)


def test_coordinated_independent_clauses_become_two_claims(resources):
    briefing = run(resources, {"o": "Russian forces withdrew from Izium, and Ukrainian troops entered the city."})
    assert claim_texts(briefing) == ["Russian forces withdrew from Izium", "Ukrainian troops entered the city."]
    assert [c.predicate for c in briefing.claims] == ["withdraw", "enter"]


def test_entities_and_time_inside_the_span_are_attached(resources):
    text = "Ukrainian troops entered Balakliia on Thursday, the General Staff said."
    articles = articles_of(resources, {"o": text})
    start = text.index("Balakliia")
    balakliia = Entity(id="e-bal", canonical_name="Balakliia", type=EntityType.GPE,
                       mentions=[Span(article_id="art-o", start=start, end=start + 9)])
    day = text.index("Thursday")
    thursday = TimeRef(span=Span(article_id="art-o", start=day, end=day + 8), text="Thursday",
                       value="2022-09-08", granularity="day")
    said = text.index("said")
    outside = TimeRef(span=Span(article_id="art-o", start=said, end=said + 4), text="said",
                      value="2022-09-10", granularity="day")
    briefing = claims_stage(
        Briefing(id="t", created_at=dt.datetime(2022, 9, 11), articles=articles,
                 entities=[balakliia], time_refs=[outside, thursday]),
        resources,
    )
    (claim,) = briefing.claims
    assert claim.entity_ids == ["e-bal"]
    assert claim.time == thursday


def test_a_date_after_since_is_a_comparison_not_the_claims_time(resources):
    text = "The jobless rate rose to 4.1% in May, the highest since March 2019."
    articles = articles_of(resources, {"o": text})

    def ref(words: str, value: str) -> TimeRef:
        start = text.index(words)
        return TimeRef(span=Span(article_id="art-o", start=start, end=start + len(words)), text=words,
                       value=value, granularity="month")

    may, march = ref("May", "2026-05"), ref("March 2019", "2019-03")
    briefing = claims_stage(Briefing(id="t", created_at=dt.datetime(2026, 6, 5), articles=articles,
                                     time_refs=[march, may]), resources)
    assert claim_with(briefing, "jobless rate").time == may
    without_may = claims_stage(Briefing(id="t", created_at=dt.datetime(2026, 6, 5), articles=articles,
                                        time_refs=[march]), resources)
    assert claim_with(without_may, "jobless rate").time is None


def test_ids_are_stable_unique_and_spans_exact_on_the_fixture_story(resources):
    texts = {path.stem: path.read_text("utf-8") for path in sorted(FIXTURES.glob("*.txt"))}
    first = run(resources, texts)
    second = run(resources, texts)
    assert [c.id for c in first.claims] == [c.id for c in second.claims]
    assert len({c.id for c in first.claims}) == len(first.claims) >= 15
    for claim in first.claims:
        text = first.text(claim.span)
        assert text == text.strip() and text
        for quantity in claim.quantities:
            assert claim.span.start <= quantity.start < quantity.end <= claim.span.end
            assert first.article(claim.span.article_id).clean_text[quantity.start:quantity.end] == quantity.surface
    # the dateline does not become a speaker, and the junk line is not a claim
    assert not any("KYIV" in c.asserter.name for c in first.claims)
    assert not any("newsletter" in t for t in claim_texts(first))
    assert Briefing.from_json(first.to_json()).claims == first.claims


def test_traps_stay_out_of_claim_quantities(resources):
    briefing = run(resources, {"o": (
        "Ukrainian forces advanced dozens of kilometers on the sixth day of the offensive. "
        "Peskov said the battle of 1943 near Izium had shown the value of patience."
    )})
    quantities = [(q.value, q.unit) for c in briefing.claims for q in c.quantities]
    assert quantities == [(24.0, "km")]


def test_works_without_sentences_or_entities(resources):
    empty = Article(id="x", source="x", format="txt", raw_text="", clean_text="")
    briefing = claims_stage(
        Briefing(id="t", created_at=dt.datetime(2022, 9, 11), articles=[empty]), resources
    )
    assert briefing.claims == [] and briefing.quotes == []


# -- asserter, not outlet (issue 10 item 5) ------------------------------------


def test_quote_left_open_over_paragraphs_stays_with_its_speaker(resources):
    briefing = run(resources, {"Gazette": (
        "\u201cWe cut the deficit by four billion dollars,\u201d Okafor said. "
        "\u201cTeachers got a raise in every year of my term.\n\n"
        "\u201cSchools will get more money next year. The new plan covers every county.\n\n"
        "The rival campaign disputed both figures."
    )})
    for fragment in ("Teachers got a raise", "Schools will get", "The new plan covers"):
        asserter = claim_with(briefing, fragment).asserter
        assert (asserter.name, asserter.is_outlet_voice) == ("Okafor", False), fragment
    assert claim_with(briefing, "rival campaign disputed").asserter.is_outlet_voice


def test_lines_introduced_by_a_campaign_colon_are_the_campaigns(resources):
    briefing = run(resources, {"Gazette": (
        "The Okafor campaign's talking points read:\n\n"
        "\u2022 Okafor cut the state deficit by four billion dollars.\n"
        "\u2022 Okafor raised teacher pay in every year of his term.\n\n"
        "The rival campaign disputed both figures."
    )})
    texts = claim_texts(briefing)
    assert not any("talking points" in text for text in texts)  # the introduction states nothing
    for fragment in ("cut the state deficit", "raised teacher pay"):
        claim = claim_with(briefing, fragment)
        assert not claim.asserter.is_outlet_voice and "Okafor" in claim.asserter.name
        assert not briefing.text(claim.span).startswith("\u2022")
    assert claim_with(briefing, "rival campaign disputed").asserter.is_outlet_voice


def test_unresolved_pronoun_speaker_goes_to_the_person_named_in_the_paragraph_before(resources):
    from manysides.analyse.claims.extract import extract_claims
    from manysides.analyse.claims.quotes import extract_quotes, parse_sentences

    text = ("The council thanked Maria Lindqvist on Monday for the repairs.\n\n"
            "The bridge will reopen in March, she told reporters.")
    (article,) = articles_of(resources, {"Gazette": text})
    start = text.index("Maria")
    lindqvist = Entity(id="e-ml", canonical_name="Maria Lindqvist", type=EntityType.PER,
                       mentions=[Span(article_id=article.id, start=start, end=start + 15)])
    parsed = parse_sentences([article], resources.nlp)
    attributions = extract_quotes([article], parsed)[article.id]
    # The quote layer left the pronoun unresolved: the asserter code resolves it.
    from dataclasses import replace
    she = text.index("she told")
    unresolved = {"speaker": "she", "speaker_entity_id": None,
                  "speaker_span": Span(article_id=article.id, start=she, end=she + 3)}
    attributions = [replace(a, quote=a.quote.model_copy(update=unresolved)) for a in attributions]
    assert attributions
    claims = extract_claims(article, parsed[article.id], attributions, entities=[lindqvist],
                            entity_names={"e-ml": "Maria Lindqvist"})
    claim = next(c for c in claims if "bridge will reopen" in text[c.span.start:c.span.end])
    assert (claim.asserter.name, claim.asserter.entity_id) == ("Maria Lindqvist", "e-ml")
    assert not claim.asserter.is_outlet_voice


def test_pronoun_with_nobody_to_resolve_to_is_an_unknown_party_not_the_outlet(resources):
    briefing = run(resources, {"Gazette": "The bridge will reopen in March, she told reporters."})
    claim = claim_with(briefing, "bridge will reopen")
    assert not claim.asserter.is_outlet_voice
    assert claim.asserter.name != "Gazette" and claim.asserter.entity_id is None


def test_a_spokesman_for_x_has_xs_side_but_not_xs_entity():
    resources = Resources(Settings(embedder="tfidf", sides={"okafor camp": ("Paul Okafor",)}))
    text = "A spokesman for Paul Okafor said the senator will vote against the bill on Friday."
    articles = articles_of(resources, {"Gazette": text})
    start = text.index("Paul")
    okafor = Entity(id="e-po", canonical_name="Paul Okafor", type=EntityType.PER,
                    mentions=[Span(article_id=articles[0].id, start=start, end=start + 11)])
    briefing = claims_stage(Briefing(id="t", created_at=dt.datetime(2022, 9, 11), articles=articles,
                                     entities=[okafor]), resources)
    claim = claim_with(briefing, "vote against the bill")
    assert claim.asserter.side == "okafor camp"
    assert claim.asserter.entity_id != "e-po"
    assert "spokesman" in claim.asserter.name


# -- check-worthiness on real-style sentences (claim coverage) --------------------------


def test_a_few_quoted_words_leave_the_outlets_sentence_a_claim(resources):
    briefing = run(resources, {"Gazette": (
        'Mayor Ines Varga described the storm on Tuesday night as a "historic event," and the weather '
        "service issued a flood emergency for the first time."
    )})
    claim_with(briefing, "Mayor Ines Varga described the storm")
    assert claim_with(briefing, "weather service issued").asserter.is_outlet_voice


def test_what_follows_the_attribution_is_its_own_claim(resources):
    briefing = run(resources, {"Gazette": (
        "The army is drafting plans to keep 900 soldiers in the region, officials said, a shift that "
        "comes two months after the president ordered a full withdrawal."
    )})
    assert not claim_with(briefing, "drafting plans").asserter.is_outlet_voice
    tail = claim_with(briefing, "a shift that comes")
    assert tail.asserter.is_outlet_voice and "officials said" not in briefing.text(tail.span)


def test_the_main_clause_before_a_saying_cue_is_its_own_claim(resources):
    briefing = run(resources, {"Gazette": (
        "City officials acknowledged the error on Friday, saying the storm drain had been blocked for weeks."
    )})
    head = claim_with(briefing, "acknowledged the error")
    assert briefing.text(head.span) == "City officials acknowledged the error on Friday"
    content = claim_with(briefing, "storm drain had been blocked")
    assert not content.asserter.is_outlet_voice and "officials" in content.asserter.name.lower()


def test_a_reporting_verb_with_an_object_and_no_clause_reports_no_speech(resources):
    briefing = run(resources, {"Gazette": "Local employers added 3,000 jobs in May, easing fears of a slowdown."})
    claim = claim_with(briefing, "3,000 jobs")
    assert claim.asserter.is_outlet_voice


def test_a_speakers_judgement_of_someone_is_a_claim_but_this_is_shameful_is_not(resources):
    briefing = run(resources, {"Gazette": (
        "The commander announced on Friday that the pilots were wrong. "
        "\u201cThis is shameful,\u201d the commander said."
    )})
    assert not claim_with(briefing, "pilots were wrong").asserter.is_outlet_voice
    assert not any("shameful" in text for text in claim_texts(briefing))


def test_a_trailing_event_clause_is_a_claim_of_its_own(resources):
    briefing = run(resources, {"Gazette": (
        "The harbour town woke on Friday to flooded cellars and closed roads after a sudden storm "
        "from the north killed at least four people."
    )})
    first = claim_with(briefing, "harbour town woke")
    second = claim_with(briefing, "killed at least four people")
    assert first.id != second.id and "killed" not in briefing.text(first.span)
    # "as many as", "such as" are no clause marks.
    briefing = run(resources, {"Gazette": "The storm killed as many as four people in the harbour town on Friday."})
    assert len(briefing.claims) == 1


def test_a_trailing_apposition_with_its_own_verb_is_a_claim_of_its_own(resources):
    # A second sentence of the article: token indices run past the sentence's own length.
    briefing = run(resources, {"Gazette": (
        "Residents of the border region stayed indoors on Monday as patrols passed through. "
        "The army has plans to keep 900 soldiers in the region, a change that comes two months "
        "after the president called for a full withdrawal."
    )})
    plans = claim_with(briefing, "plans to keep 900 soldiers")
    assert "a change that comes" not in briefing.text(plans.span)
    claim_with(briefing, "a change that comes")


def test_a_figure_officials_did_not_confirm_stays_the_witnesses_claim(resources):
    """Issue 10: "X told the paper that …, a figure officials did not confirm" was given to the
    officials, who doubt it."""
    briefing = run(resources, {"Gazette": (
        "Fishermen told the Gazette that at least 30 boats were lost, a number the harbour office did not confirm."
    )})
    lost = claim_with(briefing, "30 boats were lost")
    assert "fishermen" in lost.asserter.name.lower()
    assert not any("harbour office" in c.asserter.name.lower() or "number" in c.asserter.name.lower()
                   for c in briefing.claims)


def test_two_speakers_in_one_sentence_each_keep_their_figure(resources):
    briefing = run(resources, {"Gazette": "Police say four people drowned; villagers say at least nine people drowned."})
    police = claim_with(briefing, "four people drowned")
    villagers = claim_with(briefing, "nine people drowned")
    assert "police" in police.asserter.name.lower() and "four" not in briefing.text(villagers.span)
    assert "villagers" in villagers.asserter.name.lower() and "nine" not in briefing.text(police.span)


def test_an_outlets_clause_joined_to_an_attributed_one_is_its_own_claim(resources):
    """Issue 10: "Rescuers pulled nine survivors from the rubble, and the office says seven were
    killed" kept the first fact out of every group."""
    briefing = run(resources, {"Gazette": (
        "Divers recovered two fishing boats from the bay, and the coast guard says three sailors are still missing."
    )})
    recovered = claim_with(briefing, "Divers recovered two fishing boats")
    assert recovered.asserter.is_outlet_voice and "coast guard" not in briefing.text(recovered.span)
    missing = claim_with(briefing, "three sailors are still missing")
    assert "coast guard" in missing.asserter.name.lower()


def test_a_clause_after_when_is_its_own_claim_even_when_its_verb_is_tagged_a_noun(resources):
    briefing = run(resources, {"Gazette": (
        "The firm said on Monday that about 400 jobs would be cut when production moves to its larger "
        "plant in Porto by the end of 2026."
    )})
    cut = claim_with(briefing, "400 jobs would be cut")
    moves = claim_with(briefing, "plant in Porto")
    assert cut.id != moves.id and "Porto" not in briefing.text(cut.span)
