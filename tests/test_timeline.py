"""Time expressions normalised against publication dates, and the story timeline."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from manysides.analyse.timeline.stage import (
    build_timeline,
    normalise_times,
    story_anchors,
    timeline_stage,
    times_stage,
)
from manysides.analyse.timeline.timexpr import Granularity, calendar_bounds
from manysides.model import (
    Article,
    Asserter,
    Briefing,
    Claim,
    ClaimGroup,
    ClaimStatus,
    Span,
    TimeRef,
)
from manysides.resources import Resources

FIXTURE = Path(__file__).parent / "fixtures" / "timeline" / "story.json"


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    records = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return [
        Article(id=r["id"], source=f"{r['id']}.txt", format="txt", outlet=r["outlet"],
                published=dt.date.fromisoformat(r["published"]), raw_text=r["text"],
                clean_text=r["text"])
        for r in records
    ]


@pytest.fixture(scope="module")
def briefing(articles) -> Briefing:
    empty = Briefing(id="story", created_at=dt.datetime(2022, 9, 16, tzinfo=dt.timezone.utc),
                     articles=articles)
    return times_stage(empty, Resources())


def _by_text(expressions, text):
    found = [e for e in expressions if e.text == text]
    assert found, f"{text!r} not found among {[e.text for e in expressions]}"
    return found[0]


def _article(articles, article_id) -> Article:
    return next(a for a in articles if a.id == article_id)


# -- normalisation against the publication date ------------------------------


def test_weekday_and_dates_without_year_resolve_on_or_before_publication(articles):
    west = _article(articles, "west")  # published Thursday 2022-09-15
    found = normalise_times(west.clean_text, published=west.published)
    assert _by_text(found, "Saturday").value == "2022-09-10"
    assert _by_text(found, "Late Saturday").value == "2022-09-10"
    assert _by_text(found, "Monday").value == "2022-09-12"
    september_6 = _by_text(found, "September 6")
    assert (september_6.value, september_6.granularity) == ("2022-09-06", Granularity.DAY)
    moscow = _article(articles, "moscow")  # published 2022-09-12
    found = normalise_times(moscow.clean_text, published=moscow.published)
    assert _by_text(found, "February 24").value == "2022-02-24"
    july = _by_text(found, "July")
    assert (july.value, july.granularity) == ("2022-07", Granularity.MONTH)
    assert _by_text(found, "Friday").value == "2022-09-09"


def test_same_weekday_moves_with_publication_date():
    text = "Troops entered the town on Saturday."
    assert normalise_times(text, published=dt.date(2022, 9, 10))[0].value == "2022-09-10"
    assert normalise_times(text, published=dt.date(2022, 9, 16))[0].value == "2022-09-10"
    assert normalise_times(text, published=dt.date(2022, 9, 17))[0].value == "2022-09-17"
    assert normalise_times(text, published=dt.date(2022, 9, 16), direction="future")[0].value \
        == "2022-09-17"


def test_future_clause_moves_a_date_without_year_forward(articles):
    moscow = _article(articles, "moscow")
    found = normalise_times(moscow.clean_text, published=moscow.published)
    assert _by_text(found, "September 23").value == "2022-09-23"
    past = normalise_times("The vote was held on September 23.", published=moscow.published)
    assert past[0].value == "2021-09-23"


def test_relative_ranges_are_ranges_ending_at_publication(articles):
    west = _article(articles, "west")
    found = normalise_times(west.clean_text, published=west.published)
    earlier = _by_text(found, "Earlier this week")
    assert (earlier.value, earlier.granularity) == ("2022-09-12/2022-09-14", Granularity.RANGE)
    past_72 = _by_text(found, "the past 72 hours")
    assert (past_72.value, past_72.granularity) == ("2022-09-12/2022-09-15", Granularity.RANGE)
    kyiv = _article(articles, "kyiv")
    explicit = _by_text(normalise_times(kyiv.clean_text, published=kyiv.published), "6 and 10 September")
    assert explicit.value == "2022-09-06/2022-09-10"


def test_durations_are_not_dates(articles):
    moscow = _article(articles, "moscow")
    found = normalise_times(moscow.clean_text, published=moscow.published)
    durations = [e for e in found if e.text == "three days"]
    assert len(durations) == 2
    assert all(e.granularity is Granularity.DURATION and e.value == "P3D" for e in durations)
    assert calendar_bounds("P3D") is None


def test_nth_day_of_offensive_needs_the_start_stated_elsewhere(articles):
    moscow = _article(articles, "moscow")
    alone = _by_text(normalise_times(moscow.clean_text, published=moscow.published),
                     "the sixth day of the offensive")
    assert not alone.resolved and alone.confidence < 0.3
    anchors = story_anchors(articles)  # "counteroffensive ... began on September 6" in 'west'
    assert anchors["counteroffensive"].date == dt.date(2022, 9, 6)
    anchored = _by_text(normalise_times(moscow.clean_text, published=moscow.published,
                                        story_anchors=anchors), "the sixth day of the offensive")
    assert anchored.resolved and anchored.value == "2022-09-11"


def test_without_publication_date_only_absolute_dates_resolve():
    found = normalise_times("On Saturday, a week after September 6, 2022, they left.", published=None)
    saturday = _by_text(found, "Saturday")
    assert not saturday.resolved and saturday.confidence < 0.3
    assert _by_text(found, "September 6, 2022").value == "2022-09-06"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(list("abc 0123456789,.-") + [
    " September ", " Saturday ", " last week ", " 2022 ", " days ", " the past ", " 6 ", " of ",
    " and ", " ago ", " 8 PM "]), max_size=30).map("".join))
def test_offsets_always_slice_the_expression_text(text):
    for expression in normalise_times(text, published=dt.date(2022, 9, 15), include_vague=True):
        assert text[expression.start:expression.end] == expression.text
        if expression.granularity is not Granularity.DURATION and expression.resolved:
            assert calendar_bounds(expression.value) is not None


# -- the stages -------------------------------------------------------------------


def test_times_stage_points_into_clean_text(briefing):
    assert briefing.time_refs
    for time_ref in briefing.time_refs:
        assert briefing.text(Span(article_id=time_ref.article_id, start=time_ref.start,
                                  end=time_ref.end)) == time_ref.text
    sixth = [t for t in briefing.time_refs if t.text == "the sixth day of the offensive"]
    assert sixth and sixth[0].value == "2022-09-11"  # anchor read from another article


def _claim(briefing, claim_id, article_id, needle, outlet, *, time: TimeRef | None = None) -> Claim:
    text = briefing.article(article_id).clean_text
    start = text.index(needle)
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    span = Span(article_id=article_id, start=line_start, end=line_end if line_end != -1 else len(text))
    return Claim(id=claim_id, span=span, asserter=Asserter(name=outlet, is_outlet_voice=True),
                 outlet=outlet, time=time)


@pytest.fixture(scope="module")
def claimed(briefing) -> Briefing:
    claims = [
        _claim(briefing, "c-west-kup", "west", "entered Kupiansk", "Western Daily"),
        _claim(briefing, "c-moscow-kup", "moscow", "entered Kupyansk", "Moscow Wire"),
        _claim(briefing, "c-kyiv-kup", "kyiv", "flag over Kupiansk", "Kyiv Herald"),
        _claim(briefing, "c-moscow-bal", "moscow", "left Balakleya", "Moscow Wire"),
        _claim(briefing, "c-kyiv-izium", "kyiv", "fled Izium", "Kyiv Herald"),
        _claim(briefing, "c-west-izium", "west", "regrouping near Izium", "Western Daily"),
        _claim(briefing, "c-west-undated", "west", "no casualty figures", "Western Daily",
               time=TimeRef(span=Span(article_id="west", start=0, end=0), text="", value="P1D",
                            granularity="duration")),
    ]
    groups = [
        ClaimGroup(id="g-kupiansk", claim_ids=["c-west-kup", "c-moscow-kup", "c-kyiv-kup"],
                   representative_claim_id="c-west-kup",
                   outlets=["Kyiv Herald", "Moscow Wire", "Western Daily"], status=ClaimStatus.CORROBORATED),
        ClaimGroup(id="g-balakliia", claim_ids=["c-moscow-bal"], representative_claim_id="c-moscow-bal",
                   outlets=["Moscow Wire"], status=ClaimStatus.SINGLE_SOURCE),
        ClaimGroup(id="g-izium", claim_ids=["c-kyiv-izium", "c-west-izium"],
                   representative_claim_id="c-kyiv-izium", outlets=["Kyiv Herald", "Western Daily"],
                   status=ClaimStatus.CONTESTED),
        ClaimGroup(id="g-undated", claim_ids=["c-west-undated"], representative_claim_id="c-west-undated",
                   outlets=["Western Daily"], status=ClaimStatus.SINGLE_SOURCE),
    ]
    return timeline_stage(briefing.model_copy(update={"claims": claims, "claim_groups": groups}),
                          Resources())


def test_same_event_appears_once_with_every_outlet_and_the_date_disagreement(claimed):
    entries_with = {g: [e for e in claimed.timeline if g in e.claim_group_ids]
                    for g in ("g-kupiansk", "g-izium")}
    assert all(len(found) == 1 for found in entries_with.values())
    kupiansk = entries_with["g-kupiansk"][0]
    assert kupiansk.value == "2022-09-10"  # two outlets say Saturday, one says Friday
    assert set(kupiansk.outlets) == {"Kyiv Herald", "Moscow Wire", "Western Daily"}
    assert "Moscow Wire: 2022-09-09" in kupiansk.date_disagreement
    assert "2022-09-10" in kupiansk.date_disagreement
    izium = entries_with["g-izium"][0]
    assert izium is kupiansk  # one row per date: both events happened on 10 September


def test_timeline_is_sorted_and_skips_undated_groups(claimed):
    values = [e.value for e in claimed.timeline]
    starts = [calendar_bounds(v)[0] for v in values]
    assert starts == sorted(starts)
    assert not any("g-undated" in e.claim_group_ids for e in claimed.timeline)
    balakliia = next(e for e in claimed.timeline if "g-balakliia" in e.claim_group_ids)
    assert balakliia.value == "2022-09-11" and balakliia.date_disagreement is None


def test_claim_time_set_by_claims_stage_wins_over_span(briefing):
    own_time = TimeRef(span=Span(article_id="kyiv", start=0, end=0), text="", value="2022-09-08", granularity="day")
    claim = _claim(briefing, "c", "kyiv", "flag over Kupiansk", "Kyiv Herald", time=own_time)
    group = ClaimGroup(id="g", claim_ids=["c"], representative_claim_id="c", outlets=["Kyiv Herald"],
                       status=ClaimStatus.SINGLE_SOURCE)
    timeline = build_timeline([claim], [group], briefing.time_refs)
    assert [e.value for e in timeline] == ["2022-09-08"]


def test_fallback_timeline_from_dated_sentences(briefing):
    timeline = timeline_stage(briefing, Resources()).timeline
    values = [e.value for e in timeline]
    assert len(values) == len(set(values))  # one entry per date
    assert "P3D" not in values  # durations never become dates
    saturday = next(e for e in timeline if e.value == "2022-09-10")
    assert {"Western Daily", "Kyiv Herald"} <= set(saturday.outlets)
    assert all(t.value == "2022-09-10" for t in saturday.time_refs)


# -- the report section -------------------------------------------------------------


def test_report_section_shows_dates_outlets_and_disagreement_escaped(claimed):
    from manysides.report import render_html, render_markdown

    html = render_html(claimed)
    assert "Sat 10 Sep 2022" in html
    assert "dates differ" in html and "Moscow Wire: 2022-09-09" in html
    assert '<mark class="timex"' in html
    assert "<script>alert(1)</script>" not in html
    markdown = render_markdown(claimed)
    assert "| **Sat 10 Sep 2022** | day |" in markdown


# -- dates read the way news is written (issue 11) ------------------------------------

THURSDAY = dt.date(2023, 9, 14)


def _value(text: str, needle: str, published: dt.date | None = THURSDAY, **kwargs) -> str:
    return _by_text(normalise_times(text, published=published, **kwargs), needle).value


def test_a_plan_word_in_a_past_clause_does_not_push_a_month_into_next_year():
    text = "The company, which had planned to expand, closed the line in July."
    assert _value(text, "July") == "2023-07"
    assert _value("Orders slumped until July, the company said.", "July") == "2023-07"


def test_a_date_days_before_publication_stays_in_that_year():
    text = "Workers were told by managers on September 6 that the plant would close."
    assert _value(text, "September 6", dt.date(2023, 9, 9)) == "2023-09-06"
    reported_future = "The mayor said the council would vote on September 6."
    assert _value(reported_future, "September 6", dt.date(2023, 9, 9)) == "2023-09-06"


def test_a_past_weekday_is_the_last_one_not_a_week_late():
    text = "Union leaders, who expected to be consulted, learned on Tuesday that the plant would close."
    assert _value(text, "Tuesday") == "2023-09-12"
    after_a_future_clause = "The plant will close next year, the company said on Tuesday."
    assert _value(after_a_future_clause, "Tuesday") == "2023-09-12"


def test_a_future_or_modal_verb_points_forward():
    assert _value("The mayor said the site would reopen in March.", "March") == "2024-03"
    assert _value("In October, the plant will close.", "October") == "2023-10"
    assert _value("The minister is due to visit on Monday.", "Monday") == "2023-09-18"
    # a modal perfect is about the past
    assert _value("The warning could have come in March.", "March") == "2023-03"


def test_counts_and_names_with_numbers_inside_are_not_dates_of_the_story():
    found = normalise_times("Officials recalled the 19 September 11 hijackers at the memorial.",
                            published=dt.date(2016, 9, 12))
    assert not any(e.value == "2015-09-19" or e.text.startswith("19") for e in found)
    assert all(not e.resolved for e in found if "September" in e.text)
    named = normalise_times("Fifteen of the hijackers in the Sept. 11 attacks were never charged.",
                            published=dt.date(2016, 9, 12))
    assert [e.resolved for e in named if e.text == "Sept. 11"] == [False]
    counted = normalise_times("About 1500 workers marched through the town in 2019.", published=THURSDAY)
    assert [e.value for e in counted] == ["2019"]  # 1500 counts workers; it is no year
    assert _value("It cited a 2009 analysis of the budget.", "2009") == "2009"
    # a date of the story's own events in the same shape still resolves
    assert _value("The inspectors came back on September 11.", "September 11",
                  dt.date(2016, 9, 12)) == "2016-09-11"


def test_a_week_after_a_dated_thing_is_a_date_not_a_duration():
    after_date = _by_text(normalise_times("A week after March 3, the inspectors returned.",
                                          published=THURSDAY), "A week")
    assert (after_date.value, after_date.granularity) == ("2023-03-10", Granularity.DAY)
    assert after_date.timex3 == "P1W"  # TimeML still marks the count itself as a duration
    stated = ("collapse", "The building collapsed on March 3, residents said.")
    later = ("later", "A week after the collapse, inspectors returned to the site.")
    anchors = story_anchors([Article(id=i, source=f"{i}.txt", format="txt", published=THURSDAY,
                                     raw_text=t, clean_text=t) for i, t in (stated, later)])
    offset = _by_text(normalise_times(later[1], published=THURSDAY, story_anchors=anchors), "A week after the collapse")
    assert (offset.value, offset.granularity) == ("2023-03-10", Granularity.DAY)
    still_a_duration = _by_text(normalise_times("The strike lasted a week.", published=THURSDAY), "a week")
    assert still_a_duration.granularity is Granularity.DURATION


UNDATED = ("The plant opened on June 2, 1987, and employed 900 people at its peak. "
           "Its owner announced on Tuesday, March 7, 2023, that it would close by June 30, 2024. "
           "On Friday, workers gathered outside the gates.")


def test_an_undated_article_speaks_from_its_latest_past_date_marked_inferred():
    article = Article(id="undated", source="undated.txt", format="txt", raw_text=UNDATED, clean_text=UNDATED)
    briefing = times_stage(Briefing(id="s", created_at=dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc),
                                    articles=[article]), Resources())
    dated = briefing.articles[0]
    assert dated.published == dt.date(2023, 3, 7)  # not the future June 30, 2024
    assert dated.date_source == "inferred"
    # the inferred date is a lower bound on when the text was written: a weekday is the nearest one
    friday = next(t for t in briefing.time_refs if t.text == "Friday")
    assert friday.value == "2023-03-10"
    assert timeline_stage(briefing, Resources()).timeline


def test_timeline_is_never_empty_when_no_claim_group_is_dated(briefing):
    claims = [_claim(briefing, "c-undated", "west", "no casualty figures", "Western Daily")]
    groups = [ClaimGroup(id="g", claim_ids=["c-undated"], representative_claim_id="c-undated",
                         outlets=["Western Daily"], status=ClaimStatus.SINGLE_SOURCE)]
    claimed = briefing.model_copy(update={"claims": claims, "claim_groups": groups})
    timeline = timeline_stage(claimed, Resources()).timeline
    assert "2022-09-06" in {e.value for e in timeline}


def test_an_undated_article_takes_its_story_date_and_reads_weekdays_around_it():
    dated = Article(id="dated", source="d.txt", format="txt", published=dt.date(2025, 6, 11),
                    raw_text="Rescuers searched the rubble on Tuesday.", clean_text="Rescuers searched the rubble on Tuesday.")
    text = "The building fell on Monday night. On Tuesday, neighbours dug with their hands."
    undated = Article(id="undated", source="u.txt", format="txt", raw_text=text, clean_text=text)
    briefing = times_stage(Briefing(id="s", created_at=dt.datetime(2025, 7, 1, tzinfo=dt.timezone.utc),
                                    articles=[dated, undated]), Resources())
    assert briefing.articles[1].published == dt.date(2025, 6, 11)
    assert briefing.articles[1].date_source == "inferred"
    values = {t.text: t.value for t in briefing.time_refs if t.article_id == "undated"}
    assert values["Monday night"] == "2025-06-09" and values["Tuesday"] == "2025-06-10"
    # a future clause still points forward from an inferred date
    plan = normalise_times("Rescuers will return on Monday.", published=dt.date(2025, 6, 11), published_inferred=True)
    assert plan[0].value == "2025-06-16"


def test_a_day_earlier_counts_from_the_last_date_mentioned():
    text = "A second quake struck on Friday night, topping the one that hit just a day earlier."
    found = normalise_times(text, published=dt.date(2019, 7, 6))
    assert not any(e.text == "A second" for e in found)  # the ordinal, not one second
    earlier = _by_text(found, "just a day")
    assert (earlier.value, earlier.granularity) == ("2019-07-04", Granularity.DAY)
    assert _value("Cantor spent $1 million in April and May alone.", "May", dt.date(2014, 6, 10)) == "2014-05"



def test_a_count_later_moves_the_last_date_mentioned_at_its_own_grain():
    text = ("She ran for the board in 2006 and lost. Two years later she won. Ten minutes later, "
            "an aide wrote back.")
    found = normalise_times(text, published=THURSDAY)
    assert _by_text(found, "Two years").value == "2008"
    assert _by_text(found, "Ten minutes").granularity is Granularity.DURATION  # never ten months
    assert _value("Talks failed on March 3, 2021. A year later the plant closed.", "A year") == "2022-03-03"


def test_the_verb_before_a_date_sets_its_tense_over_a_plan_after_it():
    text = "The minister criticised the union on Tuesday over its plans to strike."
    assert _value(text, "Tuesday") == "2023-09-12"
    text = "Officials spoke by phone after Tuesday's meeting and will meet again."
    assert _value(text, "Tuesday") == "2023-09-12"
    assert _value("A vote will be held on September 23, an official said.", "September 23") == "2023-09-23"
    # a verb in a clause of its own ("that he is going to...") does not set the date's tense
    assert _value("The mayor claims Monday that he is going to stay.", "Monday") == "2023-09-11"
    assert not normalise_times("She goes to church every Sunday.", published=THURSDAY)
    # an irregular past verb is nearer than the future clause before it
    text = "The building, which will be demolished, fell on Monday, officials said."
    assert _value(text, "Monday") == "2023-09-11"
