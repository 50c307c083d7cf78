"""Alignment: same claims across outlets grouped; corroboration counts independent origins
of assertion; structural conflicts link contested groups both ways."""

from __future__ import annotations

import pytest

from manysides.analyse.alignment.group import align_claims, alignment_stage, nearest_neighbours
from manysides.analyse.alignment.conflicts import StructuralConflictDetector, make_view
from manysides.analyse.shared.embeddings import load_embedder
from manysides.analyse.origins.detect import origins_stage
from manysides.model import (
    Asserter, Briefing, Claim, ClaimStatus, ConflictReason, GroupMark, Quote, QuoteKind, Span,
)
from manysides.resources import Resources, Settings
from test_origins import load_story

ZELENSKY = Asserter(name="Volodymyr Zelensky", side="ukraine")
KYIV_OFFICIALS = Asserter(name="officials in Kyiv", side="ukraine")
RUSSIAN_MOD = Asserter(name="Russian defence ministry", side="russia")
RESIDENTS = Asserter(name="local residents")


def voice(outlet: str) -> Asserter:
    return Asserter(name=outlet, is_outlet_voice=True)


# (outlet, verbatim fragment, asserter, direct quote?)
STORY_CLAIMS = [
    ("Novaya Volna", "Ukrainian forces said on Saturday they had entered the strategic rail hub of Kupiansk",
     Asserter(name="Ukrainian forces", side="ukraine"), False),
    ("Northern Courier", "Ukrainian forces said on Saturday they had entered the strategic rail hub of Kupiansk",
     Asserter(name="Ukrainian forces", side="ukraine"), False),
    ("Novaya Volna", "Kupiansk sits on the railway line that supplied Russian units further south around Izium.",
     None, False),
    ("Northern Courier", "Kupiansk sits on the railway line that supplied Russian units further south around Izium.",
     None, False),
    ("Weltbericht", "Ukrainian troops captured Kupiansk on Saturday", KYIV_OFFICIALS, False),
    ("Weltbericht", "We will not stop until every Ukrainian town is free.", ZELENSKY, True),
    ("Weltbericht", "the army has retaken 3,000 square kilometres of territory since the start of September",
     KYIV_OFFICIALS, False),
    ("Front Notes", "There is no confirmation that Kupiansk is fully controlled by enemy units", None, False),
    ("Front Notes", "more than 2,000 Ukrainian soldiers had been killed in the Kharkiv direction over three days",
     RUSSIAN_MOD, False),
    ("Front Notes", "Russian troops were regrouping to reinforce the Donetsk front in a planned operation",
     RUSSIAN_MOD, False),
    ("Front Notes", "Ukraine has retaken no more than 500 square kilometres", None, False),
    ("Front Notes", "We won't stop until every town of Ukraine is freed.", ZELENSKY, True),
    ("NewsPile", "We will not stop until all Ukrainian towns are free again.", ZELENSKY, True),
    ("NewsPile", "Russian forces retreated from Balakliia under threat of encirclement", RESIDENTS, False),
]


def build_claims(briefing: Briefing, rows=STORY_CLAIMS) -> Briefing:
    by_outlet = {a.outlet: a for a in briefing.articles}
    claims, quotes = [], []
    for n, (outlet, fragment, asserter, is_quote) in enumerate(rows):
        article = by_outlet[outlet]
        start = article.clean_text.index(fragment)
        span = Span(article_id=article.id, start=start, end=start + len(fragment))
        quote_id = None
        if is_quote:
            quote_id = f"q{n}"
            quotes.append(Quote(id=quote_id, span=span, speaker="Zelensky", side=asserter.side,
                                kind=QuoteKind.DIRECT, cue="said"))
        claims.append(Claim(id=f"c{n}", span=span, asserter=asserter or voice(outlet), outlet=outlet,
                            quote_id=quote_id))
    return briefing.model_copy(update={"claims": claims, "quotes": quotes})


@pytest.fixture(scope="module")
def aligned() -> Briefing:
    resources = Resources(Settings(embedder="tfidf"))
    briefing = build_claims(origins_stage(load_story(), resources))
    return alignment_stage(briefing, resources)


def group_of(briefing: Briefing, fragment: str):
    claim_ids = {c.id for c in briefing.claims if fragment in briefing.text(c.span)}
    groups = [g for g in briefing.claim_groups if claim_ids & set(g.claim_ids)]
    assert len(groups) == 1, f"{fragment!r} is in {len(groups)} groups"
    return groups[0]


def test_every_claim_in_exactly_one_group(aligned):
    listed = [c for g in aligned.claim_groups for c in g.claim_ids]
    assert sorted(listed) == sorted(c.id for c in aligned.claims)


def test_quote_rendered_three_ways_is_one_corroborated_group_with_its_speaker(aligned):
    group = group_of(aligned, "We will not stop until every Ukrainian town is free")
    assert len(group.claim_ids) == 3
    assert set(group.outlets) == {"Weltbericht", "Front Notes", "NewsPile"}
    assert group.independent_origin_count == 3
    assert group.status is ClaimStatus.CORROBORATED
    assert [a.name for a in group.asserters] == ["Volodymyr Zelensky"]
    assert group.basis == "statement"


def test_wire_copy_in_two_outlets_counts_one_origin(aligned):
    group = group_of(aligned, "Kupiansk sits on the railway line")
    assert len(group.outlets) == 2
    assert group.independent_origin_count == 1
    assert group.status is ClaimStatus.SINGLE_SOURCE


def test_capture_vs_no_confirmation_is_contested_and_linked_both_ways(aligned):
    captured = group_of(aligned, "Ukrainian troops captured Kupiansk")
    unconfirmed = group_of(aligned, "no confirmation that Kupiansk is fully controlled")
    assert captured.id != unconfirmed.id
    assert captured.status is ClaimStatus.CONTESTED and unconfirmed.status is ClaimStatus.CONTESTED
    reasons = {ConflictReason.STATE, ConflictReason.NEGATION}
    assert any(c.group_id == unconfirmed.id and c.reason in reasons for c in captured.conflicts)
    assert any(c.group_id == captured.id and c.reason in reasons for c in unconfirmed.conflicts)


def test_one_sides_casualty_figure_is_single_source_with_its_asserter(aligned):
    group = group_of(aligned, "2,000 Ukrainian soldiers had been killed")
    assert group.status is ClaimStatus.SINGLE_SOURCE
    assert [a.name for a in group.asserters] == ["Russian defence ministry"]
    assert group.independent_origin_count == 1


def test_incompatible_area_figures_conflict_on_number(aligned):
    ours = group_of(aligned, "3,000 square kilometres")
    theirs = group_of(aligned, "no more than 500 square kilometres")
    assert ours.status is ClaimStatus.CONTESTED
    assert any(c.group_id == theirs.id and c.reason is ConflictReason.NUMBER for c in ours.conflicts)


def test_reinforcing_one_front_is_not_a_competing_explanation_of_leaving_another_town(aligned):
    """Issue 10: "reinforcements sent to another city" was marked "orderly regrouping vs forced
    retreat". Regrouping towards Donetsk and retreating from Balakliia share no place or act:
    related at most, never a conflict (the positive case is in test_pairs.py)."""
    regrouping = group_of(aligned, "regrouping to reinforce")
    retreat = group_of(aligned, "retreated from Balakliia")
    assert not any(c.group_id == retreat.id for c in regrouping.conflicts)
    assert not any(c.group_id == regrouping.id for c in retreat.conflicts)


MINISTRY_RENDERINGS = [
    "The ministry said twelve villages were shelled overnight near Kupiansk.",
    "Twelve villages near Kupiansk were shelled overnight, the ministry said.",
    "According to the ministry, twelve villages were shelled near Kupiansk overnight.",
    "The ministry claimed that twelve villages near Kupiansk had been shelled overnight.",
    "Overnight shelling hit twelve villages near Kupiansk, the ministry said.",
]


def _ministry_relayed_by_five_outlets():
    """Each example outlet prints one wording of the same ministry claim; aligned with origins."""
    story = load_story()
    articles = [a.model_copy(update={"clean_text": a.clean_text + "\n" + rendering})
                for a, rendering in zip(story.articles, MINISTRY_RENDERINGS, strict=True)]
    briefing = origins_stage(story.model_copy(update={"articles": articles}),
                             Resources(Settings(embedder="tfidf")))
    rows = [(a.outlet, rendering, RUSSIAN_MOD, False)
            for a, rendering in zip(briefing.articles, MINISTRY_RENDERINGS, strict=True)]
    return align_claims(build_claims(briefing, rows), load_embedder("tfidf"))


def test_five_outlets_relaying_one_ministry_stay_that_ministrys_single_source_claim():
    groups, _ = _ministry_relayed_by_five_outlets()
    assert len(groups) == 1
    assert len(groups[0].outlets) == 5
    assert groups[0].independent_origin_count == 4  # two of the five print one wire story
    assert groups[0].status is ClaimStatus.SINGLE_SOURCE
    assert [a.name for a in groups[0].asserters] == ["Russian defence ministry"]
    assert groups[0].basis == "one_party"


def test_conflict_needs_a_shared_referent():
    from manysides.packs import cue_pairs, load_pack

    def view(text):
        claim = Claim(id=text[:5], span=Span(article_id="a", start=0, end=len(text)),
                      asserter=voice("X"), outlet="X")
        return make_view(claim, text, cue_pairs=cue_pairs([load_pack("war_ukraine")]))

    detector = StructuralConflictDetector(cue_pairs([load_pack("war_ukraine")]))
    assert detector.find(view("Troops captured Kupiansk on Saturday."),
                         view("Defenders are still holding Kupiansk.")).reason is ConflictReason.STATE
    assert detector.find(view("Troops captured Kupiansk on Saturday."),
                         view("Defenders are still holding Lyman.")) is None


def test_nearest_neighbours_excludes_self_and_finds_the_closest():
    import numpy as np

    vectors = np.array([[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9]], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    neighbours = nearest_neighbours(vectors, k=1)
    assert [int(n[0]) for n in neighbours] == [1, 0, 3, 2]


@pytest.mark.slow
def test_story_with_the_real_embedder():
    """The same story through the MiniLM embedder: the headline behaviours hold."""
    pytest.importorskip("sentence_transformers")
    resources = Resources(Settings(embedder="minilm"))
    briefing = alignment_stage(build_claims(origins_stage(load_story(), resources)), resources)
    assert group_of(briefing, "every Ukrainian town is free").status is ClaimStatus.CORROBORATED
    assert group_of(briefing, "Ukrainian troops captured Kupiansk").status is ClaimStatus.CONTESTED
    assert group_of(briefing, "2,000 Ukrainian soldiers").status is ClaimStatus.SINGLE_SOURCE


def test_claim_matrix_links_conflicting_rows_and_escapes_article_text(aligned):
    from manysides.report import render_html
    from manysides.report.views.claims import claims_table_rows, view

    hostile = aligned.articles[4].model_copy(update={
        "clean_text": aligned.articles[4].clean_text + "\n<script>alert(1)</script> was posted.",
    })
    articles = [*aligned.articles[:4], hostile]
    claims = [*aligned.claims]
    start = hostile.clean_text.index("<script>")
    claims.append(claims[-1].model_copy(update={
        "id": "hostile", "span": Span(article_id=hostile.id, start=start, end=len(hostile.clean_text))}))
    briefing = aligned.model_copy(update={"articles": articles, "claims": claims})
    briefing = alignment_stage(briefing, Resources(Settings(embedder="tfidf")))
    html = render_html(briefing)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    captured = group_of(briefing, "Ukrainian troops captured Kupiansk")
    unconfirmed = group_of(briefing, "no confirmation that Kupiansk")
    assert f'<tr id="{captured.id}">' in html and f'href="#{unconfirmed.id}"' in html
    assert f'<tr id="{unconfirmed.id}">' in html and f'href="#{captured.id}"' in html
    matrix = view(briefing)
    assert matrix["outlets"] == [a.outlet for a in articles]
    row = next(r for r in matrix["rows"] if r["id"] == group_of(briefing, "every Ukrainian town").id)
    assert sum(bool(cell) for cell in row["cells"]) == 3  # one verbatim rendering per outlet
    assert matrix["speakers"][0]["speaker"] == "Zelensky" and sum(matrix["speakers"][0]["counts"]) == 3
    terminal = {r["group_id"]: r for r in claims_table_rows(briefing)}
    assert terminal[captured.id]["status"] == "contested" and unconfirmed.id in terminal[captured.id]["conflicts"]


def test_conflict_detail_is_one_sentence_naming_both_sides(aligned):
    captured = group_of(aligned, "Ukrainian troops captured Kupiansk")
    unconfirmed = group_of(aligned, "no confirmation that Kupiansk is fully controlled")
    detail = next(c.detail for c in captured.conflicts if c.group_id == unconfirmed.id)
    assert detail.endswith(".") and detail.count(". ") == 0
    assert "Front Notes" in detail  # the unconfirmed side speaks in its own voice
    assert any(a.name in detail for a in captured.asserters)  # the captured side by its asserter


def test_one_party_mark_when_every_asserter_speaks_for_one_side():
    groups, _ = _ministry_relayed_by_five_outlets()
    assert GroupMark.ONE_PARTY in groups[0].marks
    assert GroupMark.RELAYED not in groups[0].marks  # a ministry is a party, not an outlet


def test_outlets_relaying_another_outlets_report_are_marked_relayed_and_count_once():
    from test_origins import make_article

    herald_line = "The Coastal Herald reported that the port authority had lost two shipping contracts."
    texts = {
        "Valley Times": "Port strike enters third week.\n" + herald_line + "\nTalks resume on Thursday.",
        "Eastmouth Daily": "Dock workers walk out again.\n" + herald_line + "\nUnion leaders met on Monday.",
    }
    articles = [make_article(text, outlet) for outlet, text in texts.items()]
    briefing = origins_stage(Briefing(id="relay", created_at=__import__("datetime").datetime(2024, 5, 6),
                                      articles=articles),
                             Resources(Settings(embedder="tfidf")))
    fragment = "the port authority had lost two shipping contracts"
    rows = [(outlet, fragment, Asserter(name="The Coastal Herald"), False) for outlet in texts]
    groups, _ = align_claims(build_claims(briefing, rows), load_embedder("tfidf"))
    assert len(groups) == 1
    assert GroupMark.RELAYED in groups[0].marks
    assert groups[0].independent_origin_count == 1  # both count under the Herald's origin
    assert groups[0].status is ClaimStatus.SINGLE_SOURCE


def test_readable_claim_text_resolves_a_leading_pronoun_and_cuts_the_dateline():
    from manysides.analyse.alignment.readable import readable_claim_text
    from manysides.model import Mention
    from test_origins import make_article

    text = ("PORT ALDER, Maine (AP) — Mayor Ellen Voss spoke on Monday. "
            "She said the harbour would reopen by June, and")
    article = make_article(text, "Valley Times")
    start = text.index("Mayor Ellen Voss")
    article = article.model_copy(update={"mentions": [
        Mention(span=Span(article_id=article.id, start=start, end=start + 16), text="Mayor Ellen Voss",
                label="PERSON")]})
    briefing = Briefing(id="r", created_at=__import__("datetime").datetime(2024, 5, 6), articles=[article])
    pronoun_start = text.index("She said")
    claim = Claim(id="c", span=Span(article_id=article.id, start=pronoun_start, end=len(text)),
                  asserter=voice("Valley Times"), outlet="Valley Times")
    assert readable_claim_text(briefing, claim) == "[Mayor Ellen Voss] said the harbour would reopen by June"
    dated = Claim(id="d", span=Span(article_id=article.id, start=0, end=pronoun_start - 1),
                  asserter=voice("Valley Times"), outlet="Valley Times")
    assert readable_claim_text(briefing, dated) == "Mayor Ellen Voss spoke on Monday."
