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
