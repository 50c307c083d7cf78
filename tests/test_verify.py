"""The verifier: a summary sentence may say only what its cited spans say."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from manysides.analyse.summary.verify import check_against, stem, verify_sentence
from manysides.model import Article, Briefing, Citation, Span

SOURCE = ("Russia's defence ministry said 30 troops were regrouping near Izium on September 10, "
          "after 2,000 residents left and 1,500,000 people lost power.")


def briefing_with(text: str) -> Briefing:
    article = Article(id="a1", source="a1.txt", format="txt", outlet="Wire Daily",
                      raw_text=text, clean_text=text)
    return Briefing(id="b", created_at=dt.datetime(2022, 9, 11), articles=[article])


def cite(text: str, start: int = 0, end: int | None = None, outlet: str = "Wire Daily") -> Citation:
    return Citation(span=Span(article_id="a1", start=start, end=len(text) if end is None else end),
                    outlet=outlet)


def test_number_changed_is_rejected():
    result = check_against("The defence ministry said 31 troops were regrouping.", [SOURCE])
    assert not result.ok
    assert result.unsupported == ["31"]


def test_numbers_compare_by_value():
    assert check_against("Thirty troops regrouped; 2000 residents left.", [SOURCE]).ok
    assert check_against("One and a half million people lost power.", [SOURCE]).ok is False
    assert check_against("1.5 million people lost power.", [SOURCE]).ok


def test_dates_and_month_abbreviations_match():
    assert check_against("Troops regrouped near Izium on Sept. 10th.", [SOURCE]).ok
    assert not check_against("Troops regrouped near Izium on Sept. 11.", [SOURCE]).ok


def test_negation_and_modality_need_support():
    assert check_against("Troops did not regroup near Izium.", [SOURCE]).unsupported == ["not"]
    assert check_against("Troops may have regrouped near Izium.", [SOURCE]).unsupported == ["may"]


def test_names_must_be_cited():
    result = check_against("Troops were regrouping near Lyman.", [SOURCE])
    assert result.unsupported == ["Lyman"]


def test_inflections_and_possessives_match():
    assert stem("regrouped") == stem("regrouping") == stem("regroups")
    assert stem("Russia's") == stem("Russia")
    assert check_against("Russia regroups troops near Izium.", [SOURCE]).ok


def test_template_words_and_cited_outlet_are_allowed():
    briefing = briefing_with(SOURCE)
    text = "According to Wire Daily, 30 troops were regrouping near Izium."
    assert verify_sentence(text, [cite(SOURCE)], briefing).ok
    # The outlet counts as a source only when it is the one cited.
    other = verify_sentence("According to Kyiv Post, troops regrouped.",
                            [cite(SOURCE)], briefing)
    assert not other.ok and other.unsupported == ["Kyiv", "Post"]


def test_support_comes_only_from_the_cited_span():
    briefing = briefing_with(SOURCE)
    end = SOURCE.index(" near")
    result = verify_sentence("30 troops were regrouping near Izium.", [cite(SOURCE, 0, end)],
                             briefing)
    assert set(result.unsupported) == {"near", "Izium"}


def test_bad_citations_fail():
    briefing = briefing_with(SOURCE)
    assert not verify_sentence("Troops regrouped.", [], briefing).ok
    out_of_range = verify_sentence("Troops regrouped.", [cite(SOURCE, 0, len(SOURCE) + 5)],
                                   briefing)
    assert not out_of_range.ok and "out of range" in out_of_range.unsupported[0]
    missing = Citation(span=Span(article_id="nope", start=0, end=5), outlet="Wire Daily")
    assert not verify_sentence("Troops regrouped.", [missing], briefing).ok


WORDS = SOURCE.replace(",", "").replace(".", "").split()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12))
def test_any_sentence_made_of_cited_words_passes(words):
    assert check_against(" ".join(words), [SOURCE]).ok


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=10**7).filter(
    lambda n: n not in {30, 10, 2000, 1_500_000}))
def test_any_other_number_fails(number):
    assert not check_against(f"{number:,} troops regrouped near Izium.", [SOURCE]).ok


# -- the status a sentence states must be its group's (issue 10 item 7) ---------


def briefing_with_group(status, basis=None, group_id: str = "g1") -> Briefing:
    from manysides.model import ClaimGroup

    group = ClaimGroup(id=group_id, claim_ids=[], representative_claim_id="c1", status=status, basis=basis)
    return briefing_with(SOURCE).model_copy(update={"claim_groups": [group]})


def test_only_x_reports_is_refused_for_a_corroborated_group():
    from manysides.model import ClaimStatus, GroupBasis

    sentence = "Only Wire Daily reports that 2,000 residents left."
    corroborated = briefing_with_group(ClaimStatus.CORROBORATED, GroupBasis.INDEPENDENT)
    single = briefing_with_group(ClaimStatus.SINGLE_SOURCE, GroupBasis.ONE_ORIGIN)
    refused = verify_sentence(sentence, [cite(SOURCE)], corroborated, group_id="g1")
    assert not refused.ok and "corroborated" in refused.unsupported[0]
    assert verify_sentence(sentence, [cite(SOURCE)], single, group_id="g1").ok
    # Without a group to compare with, only the words are checked.
    assert verify_sentence(sentence, [cite(SOURCE)], corroborated).ok
    # A claim that itself starts with "Only" is not the single-source template.
    assert verify_sentence("Only 30 troops were regrouping near Izium.", [cite(SOURCE)], corroborated,
                           group_id="g1").ok


def test_one_party_flag_needs_a_one_party_group_and_plain_only_needs_one_origin():
    from manysides.model import ClaimStatus, GroupBasis

    flagged = "Only Russia's defence ministry (a party to the story) says that 30 troops were regrouping near Izium."
    plain = "Only Russia's defence ministry says that 30 troops were regrouping near Izium."
    one_party = briefing_with_group(ClaimStatus.SINGLE_SOURCE, GroupBasis.ONE_PARTY)
    one_origin = briefing_with_group(ClaimStatus.SINGLE_SOURCE, GroupBasis.ONE_ORIGIN)
    assert verify_sentence(flagged, [cite(SOURCE)], one_party, group_id="g1").ok  # the flag is template text
    assert not verify_sentence(flagged, [cite(SOURCE)], one_origin, group_id="g1").ok
    assert not verify_sentence(plain, [cite(SOURCE)], one_party, group_id="g1").ok
    assert verify_sentence(plain, [cite(SOURCE)], one_origin, group_id="g1").ok


def test_contested_reason_needs_a_contested_group_and_nothing_else_is_template():
    from manysides.model import ClaimStatus

    sentence = ("Russia's defence ministry says 30 troops were regrouping near Izium"
                " \u2014 they give different figures.")
    contested = briefing_with_group(ClaimStatus.CONTESTED)
    corroborated = briefing_with_group(ClaimStatus.CORROBORATED)
    assert verify_sentence(sentence, [cite(SOURCE)], contested, group_id="g1").ok
    assert not verify_sentence(sentence, [cite(SOURCE)], corroborated, group_id="g1").ok
    # The reason words pass only as the closing template, not inside a claim.
    assert not verify_sentence("Russia's defence ministry gave different figures.", [cite(SOURCE)], contested).ok
    assert not verify_sentence("Only Wire Daily reports it.", [cite(SOURCE)], contested, group_id="missing").ok
