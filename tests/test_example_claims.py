"""The claim matrix of the example stories end to end (issue 10): groups, statuses, conflicts, marks.

``examples/plant-closure`` (a company's and a union's job-loss figures, "planned" vs "forced")
and ``examples/building-collapse`` (official vs witness death tolls) need no domain pack; each
is analysed once per session (``example_briefing`` in conftest.py, shared with test_examples.py).
"""

from __future__ import annotations

import re

import pytest

from manysides.model import ClaimStatus, ConflictReason, GroupMark

PLANT = "plant-closure"
COLLAPSE = "building-collapse"


def texts_of(briefing, group) -> list[str]:
    claims = {c.id: c for c in briefing.claims}
    return [briefing.text(claims[cid].span) for cid in group.claim_ids]


def groups_with(briefing, pattern: str) -> list:
    return [g for g in briefing.claim_groups if any(re.search(pattern, t) for t in texts_of(briefing, g))]


def the_group(briefing, pattern: str):
    found = groups_with(briefing, pattern)
    assert len(found) == 1, f"{pattern!r} is in {len(found)} groups"
    return found[0]


def test_the_unions_figure_is_the_unions_claim_across_outlets_contested_by_the_companys(plant):
    union = groups_with(plant, r"3,000")
    company = {g.id for g in groups_with(plant, r"about 1,200 jobs")}
    outlets = {a.outlet_name for a in plant.articles}
    for group in union:  # the union's figure, in its words or an outlet's narration of them
        assert {a.name for a in group.asserters} <= {"IGF"} | outlets
    (main, *_) = sorted(union, key=lambda g: -len(g.outlets))
    assert len(main.outlets) >= 3 and {a.name for a in main.asserters} == {"IGF"}
    assert GroupMark.ONE_PARTY in main.marks  # a union on the job losses of a closure it fights
    assert main.status is ClaimStatus.CONTESTED
    assert any(c.reason is ConflictReason.NUMBER and c.group_id in company for c in main.conflicts)


def test_the_forced_and_planned_accounts_are_linked_by_their_speakers_in_one_sentence(plant):
    forced = the_group(plant, r"Kellmann was forced to close")
    (link, *_) = [c for c in forced.conflicts if c.reason is ConflictReason.EXPLANATION]
    assert link.detail.endswith(".") and ". " not in link.detail
    assert re.search(r"W[oó]jcik", link.detail)  # the union leader speaks for the forced reading
    assert re.search(r"Kellmann|Brenner|company", link.detail)  # the company for the planned one
    assert "planned" in link.detail and "forced" in link.detail


def test_a_ceo_quoted_by_three_outlets_corroborates_that_he_said_it(plant):
    quote = the_group(plant, r"a planned step that we have prepared carefully")
    assert quote.status is ClaimStatus.CORROBORATED and quote.basis == "statement"
    assert [a.name for a in quote.asserters] == ["Matthias Brenner"]
    assert GroupMark.RELAYED not in quote.marks


def test_official_and_witness_tolls_are_groups_of_their_own_asserters_set_against_each_other(collapse):
    official = groups_with(collapse, r"(?i)^seven people (?:were killed|died)")
    witnesses = groups_with(collapse, r"(?i)^at least 12 people")
    assert len(official) <= 2 and len(witnesses) <= 2  # each side's count in one or two wordings
    assert len({o for g in official for o in g.outlets}) >= 3
    assert len({o for g in witnesses for o in g.outlets}) >= 3
    witness_ids = {g.id for g in witnesses}
    for group in official:
        assert all(re.search(r"(?i)official|protection office", a.name) for a in group.asserters)
        assert group.status is ClaimStatus.CONTESTED
        assert any(c.group_id in witness_ids and c.reason is ConflictReason.NUMBER for c in group.conflicts)
    for group in witnesses:
        assert all(re.search(r"(?i)neighbour", a.name) for a in group.asserters)
        assert group.status is ClaimStatus.CONTESTED


def test_a_fact_reported_by_every_outlet_is_one_corroborated_group(collapse):
    rescue = the_group(collapse, r"Rescuers pulled nine survivors")
    assert len(rescue.outlets) == len(collapse.articles)
    assert rescue.status is ClaimStatus.CORROBORATED and not rescue.conflicts


@pytest.mark.parametrize("story", [PLANT, COLLAPSE], indirect=True)
def test_no_speaker_disputes_himself_and_every_link_is_mutual(story):
    by_id = {g.id: g for g in story.claim_groups}
    for group in story.claim_groups:
        for link in group.conflicts:
            other = by_id[link.group_id]
            assert {a.name for a in group.asserters} != {a.name for a in other.asserters} \
                or len(group.asserters) > 1, (texts_of(story, group), texts_of(story, other))
            assert any(back.group_id == group.id for back in other.conflicts)


@pytest.mark.parametrize("story", [PLANT, COLLAPSE], indirect=True)
def test_no_news_organisation_or_neutral_witness_is_marked_one_party(story):
    outlets = {a.outlet_name for a in story.articles}
    for group in story.claim_groups:
        if GroupMark.ONE_PARTY in group.marks:
            assert not {a.name for a in group.asserters} & outlets
            assert not any(re.search(r"(?i)neighbour|resident", a.name) for a in group.asserters)
