"""Alignment: same claims across outlets grouped; corroboration counts independent origins
of assertion; structural conflicts link contested groups both ways."""

from __future__ import annotations

import pytest

from manysides.analyse.alignment.group import align_claims, alignment_stage, nearest_neighbours
from manysides.analyse.alignment.conflicts import StructuralConflictDetector, make_view
from manysides.analyse.shared.embeddings import load_embedder
from manysides.analyse.origins.detect import origins_stage
from manysides.model import (
    Asserter, Briefing, Claim, ClaimStatus, ConflictReason, GroupMark, Quote, QuoteKind, Span, TimeRef,
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


def _ministry_relayed_by_five_outlets(sides: list[str] | None = None, asserter: Asserter = RUSSIAN_MOD):
    """Each example outlet prints one wording of the same ministry claim; aligned with origins.
    ``sides``: the story's parties (the claims stage lists them from every speaker)."""
    story = load_story()
    articles = [a.model_copy(update={"clean_text": a.clean_text + "\n" + rendering})
                for a, rendering in zip(story.articles, MINISTRY_RENDERINGS, strict=True)]
    briefing = origins_stage(story.model_copy(update={"articles": articles}),
                             Resources(Settings(embedder="tfidf")))
    rows = [(a.outlet, rendering, asserter, False)
            for a, rendering in zip(briefing.articles, MINISTRY_RENDERINGS, strict=True)]
    claimed = build_claims(briefing, rows)
    if sides is not None:
        claimed = claimed.model_copy(update={"sides": sides})
    return align_claims(claimed, load_embedder("tfidf"))


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


def test_one_party_mark_when_every_asserter_speaks_for_one_of_the_storys_opposed_sides():
    groups, _ = _ministry_relayed_by_five_outlets(sides=["russia", "ukraine"])
    assert GroupMark.ONE_PARTY in groups[0].marks
    assert GroupMark.RELAYED not in groups[0].marks  # a ministry is a party, not an outlet


def test_no_one_party_mark_without_an_opposed_party_to_hold_a_stake_against():
    """Issue 10: the mark fired whenever every asserter had a side (a geological survey on a quake,
    a labour department on payrolls, a congressman thanking his staff): a stake needs another party."""
    groups, _ = _ministry_relayed_by_five_outlets(sides=["russia"])
    assert GroupMark.ONE_PARTY not in groups[0].marks


def test_a_news_organisation_is_never_one_party():
    agency = Asserter(name="Associated Press", side="associated press")
    groups, _ = _ministry_relayed_by_five_outlets(sides=["associated press", "russia", "ukraine"], asserter=agency)
    assert GroupMark.ONE_PARTY not in groups[0].marks


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


# -- conflicts any story shows without a domain pack; structural same-fact rules (issue 10) --------


def _align_rows(rows):
    """Align claims given as (outlet, sentence, asserter or None for the outlet's voice, denied by the
    speaker's cue?); each outlet's article is its sentences, one per line."""
    from test_origins import make_article

    texts: dict[str, list[str]] = {}
    for outlet, sentence, _, _ in rows:
        texts.setdefault(outlet, []).append(sentence)
    articles = {outlet: make_article("\n".join(lines), outlet) for outlet, lines in texts.items()}
    claims = []
    for n, (outlet, sentence, asserter, denied) in enumerate(rows):
        article = articles[outlet]
        start = article.clean_text.index(sentence)
        claims.append(Claim(id=f"c{n}", span=Span(article_id=article.id, start=start, end=start + len(sentence)),
                            asserter=asserter or voice(outlet), outlet=outlet, negated=denied,
                            quote_id=f"q{n}" if asserter is not None else None))
    briefing = origins_stage(Briefing(id="generic", created_at=__import__("datetime").datetime(2024, 5, 6),
                                      articles=list(articles.values())), Resources(Settings(embedder="tfidf")))
    groups, _ = align_claims(briefing.model_copy(update={"claims": claims}), load_embedder("tfidf"))
    briefing = briefing.model_copy(update={"claims": claims, "claim_groups": groups})
    return briefing, groups


def _links(briefing, one: str, other: str):
    first, second = group_of(briefing, one), group_of(briefing, other)
    return [c for c in first.conflicts if c.group_id == second.id]


UNION = Asserter(name="Dockers' union")
OWNER = Asserter(name="Harbour Logistics")


def test_chosen_and_forced_accounts_of_one_act_are_competing_explanations_without_a_pack():
    briefing, _ = _align_rows([
        ("Coast Post", "The terminal closure was a planned step to modernise the port.", OWNER, False),
        ("Dock Weekly", "Harbour Logistics was forced to announce the terminal closure by falling trade.", UNION, False),
        ("Coast Post", "The new cranes arrive from Rotterdam in March.", None, False),
    ])
    (link,) = _links(briefing, "planned step", "forced to announce")
    assert link.reason is ConflictReason.EXPLANATION
    assert "planned" in link.detail and "forced" in link.detail  # the story's own words
    assert not group_of(briefing, "new cranes").conflicts  # no shared act: nothing to dispute


def test_one_speaker_giving_both_readings_disputes_nothing_and_a_negated_cue_reads_the_other_way():
    briefing, _ = _align_rows([
        ("Coast Post", "The terminal closure was a planned step to modernise the port.", OWNER, False),
        ("Dock Weekly", "The terminal closure was forced by falling trade.", OWNER, False),
        ("Dock Weekly", "The union says the terminal closure was not planned at all.", UNION, False),
    ])
    assert not _links(briefing, "planned step", "forced by falling trade")
    assert not _links(briefing, "forced by falling trade", "not planned at all")  # both read: forced


def test_a_denial_conflicts_with_the_report_it_denies_and_only_with_it():
    minister = Asserter(name="Foreign minister Ana Sousa")
    briefing, _ = _align_rows([
        ("Coast Post", "The two presidents held a secret meeting in Lisbon on Sunday.", None, False),
        ("Dock Weekly", "the meeting took place", minister, True),  # "the minister denied the meeting took place"
        ("Dock Weekly", "The ministry refuted a newspaper report that the navy would close its northern base.",
         None, False),
        ("Coast Post", "The navy will close its northern base next year, officials said.", None, False),
        ("Coast Post", "The presidents discussed fishing quotas over dinner.", None, False),
    ])
    assert [c.reason for c in _links(briefing, "meeting took place", "held a secret meeting")] == [
        ConflictReason.NEGATION]
    assert _links(briefing, "refuted a newspaper report", "navy will close its northern base")
    assert not _links(briefing, "meeting took place", "navy will close")
    assert not group_of(briefing, "fishing quotas").conflicts


def test_a_denial_that_may_come_or_is_itself_negated_denies_nothing():
    briefing, _ = _align_rows([
        ("Coast Post", "The company could refute the safety claims at a later hearing.", None, False),
        ("Dock Weekly", "Inspectors found the safety claims at the terminal were justified.", None, False),
        ("Dock Weekly", "A spokesman would neither confirm nor deny the inspection results at the terminal.",
         None, False),
        ("Coast Post", "The inspection results at the terminal showed rusted cranes.", None, False),
    ])
    assert not any(g.conflicts for g in briefing.claim_groups)


def test_one_distinctive_figure_of_one_measure_joins_differently_worded_reports():
    briefing, groups = _align_rows([
        ("Coast Post", "The port handled 412,000 containers in May, its busiest month.", None, False),
        ("Dock Weekly", "Container traffic rose to 412,000 containers last month.", None, False),
        ("Coast Post", "Dock wages rose by 2.5 percent in May.", None, False),
    ])
    figure = group_of(briefing, "412,000 containers in May")
    assert len(figure.outlets) == 2 and figure.status is ClaimStatus.CORROBORATED
    assert group_of(briefing, "2.5 percent") != figure


def test_a_shorter_cut_of_a_longer_report_joins_its_group_before_another_sentence_can():
    briefing, _ = _align_rows([
        ("Coast Post", "Divers recovered two fishing boats from the bay.", None, False),
        ("Coast Post", "On Friday divers were still searching the bay near the pier.", None, False),
        ("Dock Weekly", "Divers recovered two fishing boats from the bay near the old pier on Friday.", None, False),
        ("Harbour Voice", "Divers recovered two fishing boats from the bay.", None, False),
    ])
    group = group_of(briefing, "Divers recovered two fishing boats")
    assert set(group.outlets) == {"Coast Post", "Dock Weekly", "Harbour Voice"}
    assert not any("still searching" in briefing.text(c.span) for c in briefing.claims if c.id in group.claim_ids)


def test_percentages_of_differently_named_rates_are_no_number_conflict():
    briefing, _ = _align_rows([
        ("Coast Post", "The regional jobless rate rose to 4.1 percent in May.", None, False),
        ("Dock Weekly", "The regional participation rate held at 61.8 percent in May.", None, False),
        ("Harbour Voice", "The regional jobless rate rose to 4.6 percent in May.", None, False),
    ])
    assert not _links(briefing, "participation rate", "jobless rate rose to 4.1")
    assert not _links(briefing, "participation rate", "jobless rate rose to 4.6")


def test_a_fact_one_outlet_relays_and_another_reports_itself_is_marked_relayed_and_corroborated():
    from test_origins import make_article

    texts = {
        "Valley Times": "Port strike enters third week.\nThe Coastal Herald reported that the port authority "
                        "had lost two shipping contracts.\nTalks resume on Thursday.",
        "Eastmouth Daily": "Dock workers walk out again.\nthe port authority had lost two shipping contracts\n"
                           "Union leaders met on Monday.",
    }
    articles = [make_article(text, outlet) for outlet, text in texts.items()]
    briefing = origins_stage(Briefing(id="relay", created_at=__import__("datetime").datetime(2024, 5, 6),
                                      articles=articles), Resources(Settings(embedder="tfidf")))
    fragment = "the port authority had lost two shipping contracts"
    rows = [("Valley Times", fragment, Asserter(name="The Coastal Herald"), False),
            ("Eastmouth Daily", fragment, None, False)]
    groups, _ = align_claims(build_claims(briefing, rows), load_embedder("tfidf"))
    (group,) = groups
    assert GroupMark.RELAYED in group.marks  # part of its coverage repeats the Herald
    assert group.independent_origin_count == 2 and group.status is ClaimStatus.CORROBORATED


def test_a_date_with_an_unresolved_part_clashes_only_on_what_both_dates_give():
    from manysides.analyse.alignment.group import _dated_apart

    def dated(value: str | None, granularity: str = "month"):
        time = None if value is None else TimeRef(span=Span(article_id="a", start=0, end=4), text="June",
                                                  value=value, granularity=granularity)
        claim = Claim(id=value or "none", span=Span(article_id="a", start=0, end=4), asserter=voice("Post"),
                      outlet="Post", time=time)
        return make_view(claim, "Employers added 224,000 jobs in June.")

    assert not _dated_apart(dated("XXXX-06"), dated("2019-06"))  # June of an unknown year: no clash
    assert not _dated_apart(dated("XXXX-XX"), dated("2019-03"))  # "last month" with no date to read it by
    assert _dated_apart(dated("XXXX-06"), dated("2019-03"))  # June is not March, whatever the year
    assert _dated_apart(dated("2019-06"), dated("2020-06"))
    assert not _dated_apart(dated(None), dated("2020-06"))


def test_one_distinctive_figure_is_one_fact_unless_named_referents_of_one_kind_differ():
    from manysides.analyse.alignment.group import same_figure

    def view(text: str, entity_ids: list[str]):
        claim = Claim(id=text[:8], span=Span(article_id=text[:8], start=0, end=len(text)), asserter=voice("Post"),
                      outlet="Post", entity_ids=entity_ids)
        return make_view(claim, text)

    kinds = {"e-us": "GPE", "e-payrolls": "ORG", "e-ohio": "GPE"}
    economy = view("The economy of the country added 224,000 jobs in June.", ["e-us"])
    payrolls = view("Payrolls rose by 224,000 in June.", ["e-payrolls"])  # a noun the NER took for a firm
    ohio = view("Employers in the state added 224,000 jobs in June.", ["e-ohio"])
    assert same_figure(economy, payrolls, kind_of=kinds)
    assert not same_figure(economy, ohio, kind_of=kinds)  # two places: two facts
    assert not same_figure(economy, payrolls)  # without the kinds, any disjoint names keep them apart
