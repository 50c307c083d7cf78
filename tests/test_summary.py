"""The summary stage: order, attribution, citations, verification, fallback."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from manysides.analyse.summary.build import (
    SECTION_ORDER,
    SummaryBuilder,
    compress,
    section_quotas,
    summary_stage,
)
from manysides.analyse.summary.verify import verify_sentence
from manysides.model import Asserter, Citation, LoadedMark, SummarySection
from manysides.resources import Resources, Settings

_spec = importlib.util.spec_from_file_location(
    "summary_story", Path(__file__).parent / "fixtures" / "summary" / "story.py")
story = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(story)


def resources(**overrides) -> Resources:
    return Resources(Settings(embedder="tfidf", **overrides))


@pytest.fixture(scope="module")
def summarised():
    return summary_stage(story.build_story(), resources())


def test_consensus_comes_before_contested_before_single_source(summarised):
    sections = [s.section for s in summarised.summary.sentences]
    assert set(sections) == set(SECTION_ORDER)
    assert sections == sorted(sections, key=SECTION_ORDER.index)


def test_contested_sentence_gives_each_side_with_its_asserter(summarised):
    contested = [s for s in summarised.summary.sentences
                 if s.section is SummarySection.CONTESTED]
    assert len(contested) == 1
    text = contested[0].text
    assert "Russia's defence ministry says" in text
    assert "Ukrainian officials say" in text
    # Each side cites the sentence its asserter is named in.
    cited = " ".join(summarised.text(c.span) for c in contested[0].citations)
    assert "Russia's defence ministry" in cited and "Ukrainian officials" in cited


def test_single_source_claims_are_flagged(summarised):
    single = [s for s in summarised.summary.sentences
              if s.section is SummarySection.SINGLE_SOURCE]
    assert single
    for sentence in single:
        assert sentence.text.startswith(f"Only {sentence.citations[0].outlet} reports that")


def test_every_sentence_cites_real_spans_and_passes_the_verifier(summarised):
    assert summarised.summary.sentences
    for sentence in summarised.summary.sentences:
        assert sentence.citations and sentence.verified
        for citation in sentence.citations:
            article = summarised.article(citation.span.article_id)
            assert 0 <= citation.span.start < citation.span.end <= len(article.clean_text)
            assert citation.outlet == article.outlet
        assert verify_sentence(sentence.text, sentence.citations, summarised).ok


def test_corroborated_sentence_cites_every_outlet_that_reports_it(summarised):
    kupiansk = next(s for s in summarised.summary.sentences if s.claim_group_id == "g-kupiansk")
    assert {c.outlet for c in kupiansk.citations} == {story.COURIER, story.HERALD, story.NOTES}
    # Compression deletes the leading discourse marker of the shortest version.
    assert not kupiansk.text.startswith("However")


def test_least_loaded_version_is_chosen(summarised):
    def ukrainian_side_outlets(briefing):
        contested = next(s for s in briefing.summary.sentences
                         if s.section is SummarySection.CONTESTED)
        return {c.outlet for c in contested.citations
                if "Ukrainian officials" in briefing.text(c.span)}

    # The Courier's "fled Izium in disarray" carries a loaded mark: the Herald's is used.
    assert ukrainian_side_outlets(summarised) == {story.HERALD}
    # Mark the Herald's wording instead and the choice follows the marks, not length.
    briefing = story.build_story()
    herald = next(a for a in briefing.articles if a.outlet == story.HERALD)
    framing = briefing.framing.model_copy(update={"loaded": [
        LoadedMark(span=story.span_of(herald, "fled Izium"), kind="loaded")]})
    flipped = summary_stage(briefing.model_copy(update={"framing": framing}), resources())
    assert ukrainian_side_outlets(flipped) == {story.COURIER}


def test_length_follows_the_setting():
    briefing = summary_stage(story.build_story(), resources(summary_sentences=2))
    assert len(briefing.summary.sentences) == 2
    assert [s.section for s in briefing.summary.sentences] == [
        SummarySection.CORROBORATED, SummarySection.CONTESTED]


def test_candidate_with_a_changed_number_is_rejected_and_counted():
    briefing = story.build_story()
    builder = SummaryBuilder(briefing, resources())
    article = briefing.articles[0]
    sentence = article.sentences[-1]  # "… about 3,000 square kilometres …"
    citation = [Citation(span=story.span_of(article, article.clean_text[sentence.start:sentence.end]),
                         outlet=article.outlet)]
    found = builder.first_verified([
        ("The offensive has retaken about 4,000 square kilometres.", citation),
        ("The offensive has retaken about 3,000 square kilometres.", citation),
    ])
    assert found is not None and "3,000" in found[0]
    assert builder.rejected == 1


def test_unverifiable_attribution_falls_back_and_is_counted():
    # The claims stage may normalise a speaker to a name the text never uses:
    # "Russian Ministry of Defence" must not appear, the written speaker must.
    briefing = story.build_story()
    claims = [c.model_copy(update={"asserter": Asserter(name="Russian Ministry of Defence",
                                                        side="Russia")})
              if c.asserter.side == "Russia" else c for c in briefing.claims]
    quotes = [q.model_copy(update={"speaker": "Moscow"}) if q.side == "Russia" else q
              for q in briefing.quotes]
    summarised = summary_stage(briefing.model_copy(update={"claims": claims, "quotes": quotes}),
                               resources())
    contested = next(s for s in summarised.summary.sentences
                     if s.section is SummarySection.CONTESTED)
    assert "Ministry of Defence" not in contested.text and "Moscow" not in contested.text
    assert "Russia's defence ministry said" in contested.text  # the sentence as written
    assert summarised.summary.rejected_candidates >= 2


def test_without_claim_groups_sentences_are_extracted_and_cite_themselves():
    briefing = story.build_story().model_copy(update={"claims": [], "claim_groups": [],
                                                      "quotes": []})
    summarised = summary_stage(briefing, resources(summary_sentences=4))
    summary = summarised.summary
    assert len(summary.sentences) == 4 and "no claim groups" in summary.notes[0]
    sentence_spans = {(s.article_id, s.start, s.end)
                      for a in summarised.articles for s in a.sentences}
    for sentence in summary.sentences:
        own = sentence.citations[0].span
        assert (own.article_id, own.start, own.end) in sentence_spans
        assert verify_sentence(sentence.text, sentence.citations, summarised).ok
    # The sentence three outlets print near-verbatim is corroborated by all of them.
    kupiansk = next(s for s in summary.sentences if "Kupiansk on Saturday" in s.text)
    assert kupiansk.section is SummarySection.CORROBORATED
    assert len({c.outlet for c in kupiansk.citations}) == 3


def test_compress_only_deletes():
    text = ("However, Ukraine's army recaptured Balakliia (the town had been occupied since "
            "March) on Thursday, the general staff said.")
    short = compress(text, strip_attribution=True, speaker_names=["the general staff"])
    assert short == "Ukraine's army recaptured Balakliia on Thursday"
    words = text.replace(",", "").replace(".", "").split()
    position = 0
    for word in short.replace(",", "").split():  # a subsequence of the original words
        position = words.index(word, position) + 1


def test_quotas_give_unused_room_to_other_sections():
    quotas = section_quotas(10, {SummarySection.CORROBORATED: 2, SummarySection.CONTESTED: 5,
                                 SummarySection.SINGLE_SOURCE: 9})
    assert quotas[SummarySection.CORROBORATED] == 2
    assert sum(quotas.values()) == 10


def test_report_section_embeds_cited_text_escaped():
    from manysides.report import _environment
    from manysides.report.sections import SECTIONS
    from manysides.report.views.summary import view

    briefing = story.build_story()
    hostile = story.make_article(
        "Wire <b>Daily</b>", 'Troops entered Kupiansk on Saturday <script>alert("x")</script> '
        "after a long march. Nothing else happened.")
    briefing = briefing.model_copy(update={"articles": [*briefing.articles, hostile],
                                           "claims": [], "claim_groups": []})
    summarised = summary_stage(briefing, resources(summary_sentences=12))
    section = next(s for s in SECTIONS if s.name == "summary")
    context = view(summarised)
    html = _environment(False).get_template(section.html_template).render(
        briefing=summarised, section=section, view=context)
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html  # shown, not executed
    first = context["footnotes"][0]
    assert f'data-start="{first["start"]}"' in html and "<details class=\"cite\">" in html
    markdown = _environment(True).get_template(section.md_template).render(
        briefing=summarised, section=section, view=context)
    assert f'[^s1]: {first["outlet"]}, "' in markdown
    assert "<script>" not in markdown


# -- lead, linked conflicts, honest "only" (issue 10 item 7) -----------------------


def _with_groups(briefing, **changes):
    groups = [g.model_copy(update=changes[g.id]) if g.id in changes else g for g in briefing.claim_groups]
    return briefing.model_copy(update={"claim_groups": groups})


def test_summary_leads_with_the_group_most_independent_origins_state():
    briefing = story.build_story()
    assert summary_stage(briefing, resources()).summary.sentences[0].claim_group_id == "g-kupiansk"
    swapped = _with_groups(briefing, **{"g-balakliia": {"independent_origin_count": 5}})
    assert summary_stage(swapped, resources()).summary.sentences[0].claim_group_id == "g-balakliia"


def test_contested_sentence_pairs_a_linked_conflict_and_gives_the_reason(summarised):
    (contested,) = [s for s in summarised.summary.sentences if s.section is SummarySection.CONTESTED]
    assert contested.text.endswith("\u2014 they give competing explanations.")
    # The second clause starts lower-case unless it starts with a name: "troops", not "Troops".
    first, second = contested.text.split("; ")
    assert "Troops" not in second and "troops were regrouping" in second
    assert second.startswith("Russia's") or second.startswith("Ukrainian")


def test_contested_groups_without_linked_conflicts_are_not_paired():
    briefing = _with_groups(story.build_story(), **{"g-regroup": {"conflicts": []}, "g-fled": {"conflicts": []}})
    sentences = summary_stage(briefing, resources()).summary.sentences
    assert not [s for s in sentences if s.section is SummarySection.CONTESTED]


def test_one_party_group_is_flagged_as_a_party_not_as_one_outlet():
    from manysides.model import ClaimStatus, GroupBasis

    briefing = _with_groups(story.build_story(), **{
        "g-area": {"basis": GroupBasis.ONE_PARTY, "status": ClaimStatus.SINGLE_SOURCE},
        "g-food": {"basis": GroupBasis.ONE_ORIGIN}})
    sentences = {s.claim_group_id: s for s in summary_stage(briefing, resources()).summary.sentences}
    assert sentences["g-area"].text.startswith(
        "Only the Ukrainian general staff (a party to the story) says that")
    assert sentences["g-food"].text.startswith(f"Only {story.HERALD} reports that residents")
    for sentence in sentences.values():
        assert verify_sentence(sentence.text, sentence.citations, briefing,
                               group_id=sentence.claim_group_id).ok


def test_single_source_wording_is_never_used_for_a_corroborated_group():
    from manysides.model import ClaimStatus, GroupBasis

    # A group the summary would put among single-source claims, but whose status says otherwise.
    briefing = _with_groups(story.build_story(), **{
        "g-food": {"basis": GroupBasis.INDEPENDENT, "status": ClaimStatus.CORROBORATED}})
    food = next(s for s in summary_stage(briefing, resources()).summary.sentences
                if s.claim_group_id == "g-food")
    assert food.section is SummarySection.CORROBORATED and "Only" not in food.text


def test_joined_clauses_keep_capitals_only_for_names():
    briefing = story.build_story()
    ledger = story.make_article("Kyiv Ledger", "The Ministry of Defence said the town was retaken. "
                                               "Officials in Kyiv said the town was retaken.")
    briefing = briefing.model_copy(update={"articles": [*briefing.articles, ledger]})
    builder = SummaryBuilder(briefing, resources())
    joined = builder.join_clauses(["Kyiv Ledger says the town was retaken",
                                   "The Ministry of Defence says it was not",
                                   "Kyiv Ledger says so", "NATO says so", "I said so",
                                   "Residents say food ran out"])
    assert joined == ("Kyiv Ledger says the town was retaken; the Ministry of Defence says it was not; "
                      "Kyiv Ledger says so; NATO says so; I said so; residents say food ran out")
