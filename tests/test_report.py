"""Report rendering: article text is untrusted and must never execute."""

import datetime as dt
import json
import re

import pytest

from manysides.errors import ReportError
from manysides.model import Article, Briefing, DroppedSpan, Mention, Span
from manysides.report import render_html, render_markdown, write
from manysides.report.markup import mark_spans

HOSTILE = 'Kupiansk <script>alert("x")</script> <img src=x onerror="alert(1)"> [link](javascript:alert(1))'


def hostile_briefing():
    raw = "Junk <b>line</b>\n" + HOSTILE
    clean = HOSTILE
    article = Article(
        id="a" * 16, source="evil.html", format="html", outlet='Evil "Outlet" <i>',
        title="<script>document.title</script>", url="javascript:alert(1)",
        published=dt.date(2022, 9, 10), raw_text=raw, clean_text=clean,
        dropped=[DroppedSpan(start=0, end=17, reason="advertisement <b>")],
        mentions=[Mention(span=Span(article_id="a" * 16, start=0, end=8), text="Kupiansk", label="GPE")],
    )
    return Briefing(id="b", title="<script>x</script>", created_at=dt.datetime(2022, 9, 10), articles=[article])


def scripts_in(html: str) -> list[str]:
    return re.findall(r"<script\b[^>]*>", html)


def test_html_escapes_all_article_text():
    html = render_html(hostile_briefing())
    assert "<script>alert" not in html
    assert "<script>document.title" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert 'onerror="alert(1)"' not in html
    assert "href=\"javascript:" not in html  # a hostile URL never becomes a link
    # Only our own, nonce-carrying scripts may appear; the CSP forbids everything else.
    nonce = re.search(r"'nonce-([^']+)'", html).group(1)
    assert all(f'nonce="{nonce}"' in tag for tag in scripts_in(html))


def test_html_marks_mentions_and_strikes_dropped_junk():
    html = render_html(hostile_briefing())
    assert re.search(r'<mark class="ent-GPE"[^>]*>Kupiansk</mark>', html)
    assert 'class="dropped" data-reason="advertisement &lt;b&gt;"' in html
    assert "Junk &lt;b&gt;line&lt;/b&gt;" in html


def test_html_report_is_self_contained():
    html = render_html(hostile_briefing())
    assert not re.search(r'(src|href)="(https?:)?//', html), "no network resources"


def test_markdown_neutralises_markup():
    md = render_markdown(hostile_briefing())
    assert "<script>" not in md
    assert "[link](javascript" not in md
    assert "<javascript:" not in md  # a hostile URL never becomes an autolink


def test_markdown_keeps_a_real_url_intact():
    briefing = hostile_briefing()
    article = briefing.articles[0].model_copy(update={"url": "https://example.org/news/kharkiv_offensive?id=1"})
    md = render_markdown(briefing.model_copy(update={"articles": [article]}))
    assert "<https://example.org/news/kharkiv_offensive?id=1>" in md


def test_mark_spans_escapes_and_skips_overlaps():
    html = str(mark_spans("a<b> c", [(0, 4, "x", 't"'), (2, 6, "y", "z")]))
    assert html == '<mark class="x" title="t&#34;" data-start="0" data-end="4">a&lt;b&gt;</mark> c'


def test_write_picks_format_by_suffix(tmp_path):
    briefing = hostile_briefing()
    write(briefing, tmp_path / "b.json")
    assert Briefing.from_json((tmp_path / "b.json").read_text()) == briefing
    assert json.loads((tmp_path / "b.json").read_text())["schema_version"]
    with pytest.raises(ReportError, match="unknown report type"):
        write(briefing, tmp_path / "b.pdf")


def test_full_briefing_of_hostile_articles_runs_no_article_script(resources, tmp_path):
    """Every section (claims, entities, framing, timeline, summary) escapes article text."""
    from conftest import FIXTURES
    from manysides import api

    result = api.analyze([str(FIXTURES / "hostile" / "story.jsonl")], settings=resources.settings,
                         resources=resources)
    assert len(result.briefing.articles) == 2
    html = render_html(result.briefing)
    nonce = re.search(r"'nonce-([^']+)'", html).group(1)
    assert all(f'nonce="{nonce}"' in tag for tag in scripts_in(html))
    assert not re.search(r"<script>alert", html)
    assert not re.search(r"<(img|b)\b[^>]*\bon\w+=", html), "an event-handler attribute got through"
    assert "</style><script>" not in html
    assert 'href="javascript:' not in html
    md = render_markdown(result.briefing)
    assert not re.search(r"(?<!\\)<(script|img|b)\b", md), "unescaped HTML in the Markdown report"


# --------------------------------------------------------------------------
# The briefing: first screen, matrix, map, framing in plain words
# --------------------------------------------------------------------------

def story_briefing():
    """Four outlets (two carry one wire copy), a corroborated fact, a dispute, a one-party claim."""
    from manysides.model import (
        Asserter, Claim, ClaimGroup, ClaimStatus, Conflict, ConflictReason, Entity, EntityType,
        GroupBasis, GroupMark, Origin, OriginKind, Place,
    )

    texts = {
        "Harbour Post": "The ferry sank near Port Aldwin. Nine people were rescued. The owner says the crew was sober.",
        "Bay Wire": "The ferry sank near Port Aldwin. Twelve people were rescued.",
        "Coast Daily": "The ferry sank near Port Aldwin. Twelve people were rescued.",
        "Isle Times": "A ferry went down off Port Aldwin on Monday. Nine people were rescued.",
    }
    articles, claims = [], []
    for n, (outlet, text) in enumerate(texts.items()):
        article_id = f"{n:x}" * 16
        articles.append(Article(id=article_id, source=f"{n}.txt", format="txt", outlet=outlet,
                                title=f"{outlet} headline", raw_text=text, clean_text=text))
        for m, sentence in enumerate(s.strip() + "." for s in text.rstrip(".").split(". ")):
            start = text.index(sentence.rstrip("."))
            claims.append(Claim(id=f"c{n}{m}", span=Span(article_id=article_id, start=start, end=start + len(sentence) - 1),
                                asserter=Asserter(name=outlet, is_outlet_voice=True), outlet=outlet))
    by_text = {}
    for claim in claims:
        by_text.setdefault(next(a for a in articles if a.id == claim.span.article_id).clean_text[
            claim.span.start:claim.span.end].lower(), []).append(claim.id)
    sank = [c for t, ids in by_text.items() if "sank" in t or "went down" in t for c in ids]
    nine = [c for t, ids in by_text.items() if t.startswith("nine") for c in ids]
    twelve = [c for t, ids in by_text.items() if t.startswith("twelve") for c in ids]
    sober = [c for t, ids in by_text.items() if "sober" in t for c in ids]
    origins = [Origin(id="origin-aaaaaaaa", article_ids=[articles[1].id, articles[2].id], kind=OriginKind.WIRE,
                      agency="AFP"),
               Origin(id="origin-bbbbbbbb", article_ids=[articles[0].id], kind=OriginKind.INDEPENDENT),
               Origin(id="origin-cccccccc", article_ids=[articles[3].id], kind=OriginKind.INDEPENDENT)]
    owner = Asserter(name="the owner", side="company")
    groups = [
        ClaimGroup(id="g-sank", claim_ids=sank, representative_claim_id=sank[0], outlets=list(texts),
                   origin_ids=[o.id for o in origins], independent_origin_count=3,
                   status=ClaimStatus.CORROBORATED, basis=GroupBasis.INDEPENDENT,
                   asserters=[Asserter(name="Harbour Post", is_outlet_voice=True)]),
        ClaimGroup(id="g-nine", claim_ids=nine, representative_claim_id=nine[0], outlets=["Harbour Post", "Isle Times"],
                   independent_origin_count=2, status=ClaimStatus.CONTESTED,
                   asserters=[Asserter(name="Harbour Post", is_outlet_voice=True)],
                   conflicts=[Conflict(group_id="g-twelve", reason=ConflictReason.NUMBER,
                                       detail="Harbour Post says nine were rescued; Bay Wire says twelve.")]),
        ClaimGroup(id="g-twelve", claim_ids=twelve, representative_claim_id=twelve[0], outlets=["Bay Wire", "Coast Daily"],
                   independent_origin_count=1, status=ClaimStatus.CONTESTED,
                   asserters=[Asserter(name="Bay Wire", is_outlet_voice=True)],
                   conflicts=[Conflict(group_id="g-nine", reason=ConflictReason.NUMBER,
                                       detail="Harbour Post says nine were rescued; Bay Wire says twelve.")]),
        ClaimGroup(id="g-sober", claim_ids=sober, representative_claim_id=sober[0], outlets=["Harbour Post"],
                   independent_origin_count=1, status=ClaimStatus.SINGLE_SOURCE, basis=GroupBasis.ONE_ORIGIN,
                   asserters=[owner], marks=[GroupMark.ONE_PARTY]),
    ]
    mention = Span(article_id=articles[0].id, start=0, end=3)
    def place(name, lat, lon, level="city", mentions=5):
        return Entity(id=f"e-{name}", canonical_name=name, type=EntityType.GPE, mentions=[mention] * mentions,
                      place=Place(latitude=lat, longitude=lon, admin_level=level, country_code="XX"))
    entities = [place("Port Aldwin", 50.0, 10.0, mentions=9), place("Kelby", 50.3, 10.4),
                place("Kelby Harbour", 50.302, 10.402, mentions=2), place("Far Capital", 55.0, 30.0, mentions=3),
                place("Aldland", 51.0, 11.0, level="country", mentions=4)]
    return Briefing(id="b", title="Harbour Post headline", created_at=dt.datetime(2023, 5, 2), articles=articles,
                    claims=claims, claim_groups=groups, origins=origins, entities=entities)


def test_first_screen_leads_with_the_most_corroborated_fact_not_an_outlet_title():
    from manysides.report.views.briefing import view

    briefing = story_briefing()
    lead = view(briefing)
    assert lead["headline"] == "The ferry sank near Port Aldwin"
    assert [line["group_id"] for line in lead["agreed"]] == ["g-sank"]
    (dispute,) = lead["disagreements"]  # the pair once, not once from each side
    assert {s["group_id"] for s in dispute["sides"]} == {"g-nine", "g-twelve"}
    assert dispute["detail"].startswith("Harbour Post says nine")
    assert [line["group_id"] for line in lead["one_party"]] == ["g-sober"]
    assert lead["one_party"][0]["marks"][0]["label"] == "one party"
    assert "the owner (company)" in lead["one_party"][0]["asserters"]
    html = render_html(briefing)
    assert '<h1 class="headline">The ferry sank near Port Aldwin</h1>' in html
    assert html.index('id="briefing"') < html.index('id="overview"') < html.index('id="claims"')
    assert "one party: asserted only by a party with a stake" in html  # the legend
    assert "Harbour Post says nine were rescued" in html


def test_reader_facing_text_names_outlets_never_ids():
    briefing = story_briefing()
    html = render_html(briefing)
    visible = re.sub(r"<[^>]+>", " ", re.sub(r"<(style|script)\b.*?</\1>", "", html, flags=re.S))
    for ident in [a.id for a in briefing.articles] + [o.id for o in briefing.origins]:
        assert ident not in visible
        assert ident not in render_markdown(briefing).replace(f"(#{ident})", "")
    assert "AFP copy" in visible and "Bay Wire, Coast Daily" in visible


def test_conflict_reason_without_internal_ids():
    from manysides.report.views.common import plain_detail

    assert plain_detail("opposite state of ent-d2d386b00769, kupiansk: taken vs held") == \
        "opposite state of kupiansk: taken vs held"


def test_matrix_groups_outlets_by_origin_and_collapses_many():
    from manysides.report.views.claims import COLLAPSE_ABOVE_OUTLETS, column_groups, view

    briefing = story_briefing()
    groups = column_groups(briefing)
    assert [g["name"] for g in groups] == ["AFP copy", "own reporting"]
    assert [o["name"] for o in groups[0]["outlets"]] == ["Bay Wire", "Coast Daily"]
    matrix = view(briefing)
    assert not matrix["collapsed"] and matrix["wide_cells"]
    row = next(r for r in matrix["rows"] if r["id"] == "g-nine")
    assert row["reason"] == "disputed by 1 other claim"
    assert len(briefing.articles) <= COLLAPSE_ABOVE_OUTLETS
    html = render_html(briefing)
    assert '<tr id="g-nine">' in html and 'href="#g-twelve"' in html
    assert 'data-status="contested"' in html and 'id="f-text"' in html


def test_sixty_outlets_render_collapsed_with_dots_and_stay_small():
    import sys

    from conftest import REPO

    sys.path.insert(0, str(REPO / "bench"))
    from report_render import synthetic_briefing

    from manysides.report.views.claims import view

    briefing = synthetic_briefing(60, 500)
    matrix = view(briefing)
    assert matrix["collapsed"] and not matrix["wide_cells"]
    assert len(matrix["rows"]) == len(briefing.claim_groups)  # nothing cut at 500 claims
    html = render_html(briefing)
    assert len(html.encode()) < 957_389  # the report before issue 13 on the same briefing
    assert '<td class="dot" title="' in html and "&lt;td" not in html


def test_map_frames_the_story_and_points_at_far_places():
    from manysides.report.views.entities import view

    places = view(story_briefing())["map"]
    labels = [p["label"] for p in places["points"]]
    assert "Kelby +1" in labels  # two overlapping markers share one
    assert "Far Capital" not in labels and places["arrows"][0]["label"].startswith("Far Capital")
    assert "Aldland" not in labels and places["countries"] == ["Aldland"]  # a country is not a dot
    main = next(p for p in places["points"] if p["label"] == "Port Aldwin")
    assert main["show_label"]
    html = render_html(story_briefing())
    assert html.count("<svg") == 1  # the map is drawn once


def test_a_named_region_shows_how_far_it_reaches_when_that_frames_something():
    from manysides.model import Entity, EntityType, Place
    from manysides.report.views.entities import view

    def region(name, reach_km):
        return Entity(id=f"e-{name}", canonical_name=name, type=EntityType.LOC, mentions=[],
                      place=Place(latitude=50.1, longitude=10.2, admin_level="region", reach_km=reach_km))

    briefing = story_briefing()
    briefing = briefing.model_copy(update={"entities": [
        *briefing.entities, region("Aldwin <Bay>", 20.0), region("Great Ocean", 4000.0)]})
    areas = view(briefing)["map"]["areas"]
    assert [a["name"] for a in areas] == ["Aldwin <Bay>"]  # an ocean's circle would cover the map
    assert 0 < areas[0]["r"] < view(briefing)["map"]["width"]
    html = render_html(briefing)
    assert '<circle class="area"' in html and "Aldwin &lt;Bay&gt;" in html and "Aldwin <Bay>" not in html


def test_framing_in_plain_words_and_too_few_articles():
    from manysides.model import DistinctiveTerm, Framing, ReferentWording, Wording
    from manysides.report.views.framing import view

    framing = Framing(
        referents=[ReferentWording(referent="the job cuts", wordings=[
            Wording(outlet="Harbour Post", word="layoffs", count=2), Wording(outlet="Isle Times", word="layoffs", count=1),
            Wording(outlet="Bay Wire", word="restructuring", count=1, quoted_count=1, speakers=["the company"]),
            Wording(outlet="Coast Daily", word="restructuring", count=1, quoted_count=1, speakers=["the company"]),
        ])],
        distinctive={"Harbour Post": [DistinctiveTerm(term="ferry", z_score=0.9, count=2)]},
    )
    briefing = story_briefing().model_copy(update={"framing": framing})
    plain = view(briefing)["plain"]
    assert plain["sentences"] == [
        "On the job cuts, Harbour Post and Isle Times say “layoffs”; "
        "“restructuring” from the company, quoted by Bay Wire and Coast Daily."]
    assert plain["too_few"].startswith("Too few articles to say")
    html = render_html(briefing)
    assert "<summary>The statistics behind this</summary>" in html


def test_markdown_tables_after_same_referent_are_tables_and_marks_show():
    from manysides.model import Framing, ReferentWording, Wording

    framing = Framing(
        outlet_groups={"Harbour Post": "north"},
        referents=[ReferentWording(referent="the ferry", wordings=[
            Wording(outlet="Harbour Post", word="sink", count=1), Wording(outlet="Isle Times", word="go", count=1)])],
    )
    md = render_markdown(story_briefing().model_copy(update={"framing": framing}))
    section = md[md.index("Same referent, different words"):]
    lines = section.splitlines()
    assert lines[2].startswith("| Referent |") and lines[3].startswith("|---|")
    assert any(line.startswith("| the ferry |") for line in lines)
    assert "\\|" not in section.split("###")[0]  # not escaped into one line
    assert "◆ *one party*" in md and "Harbour Post says nine were rescued; Bay Wire says twelve." in md


def test_a_filled_in_subject_takes_the_speakers_name_once():
    from manysides.report.views.common import attributed

    assert attributed("[British] believed the units advanced", "British officials") == \
        (None, "British officials believed the units advanced")
    assert attributed("The army is retreating", "The mayor") == ("The mayor", "The army is retreating")
    assert attributed("[British] believed", None) == (None, "[British] believed")


def test_a_filled_in_possessive_subject_stays_possessive():
    from manysides.report.views.common import attributed

    assert attributed("[Ukrainian officials’] forces had entered the town", "Ukrainian officials") == \
        (None, "Ukrainian officials’ forces had entered the town")
    assert attributed("[Carolina Vidal’s] office said", "Mayor Carolina Vidal") == \
        (None, "Mayor Carolina Vidal’s office said")
