"""The claim-pair judgement: each kind of false conflict named in issue 10 is not a conflict,
while real disagreements of one proposition still are. All text here is ours."""

from __future__ import annotations

import numpy as np
import pytest

from manysides.analyse.alignment.conflicts import StructuralConflictDetector, make_view
from manysides.analyse.alignment.pairs import (
    ContextDetector,
    Verdict,
    contexts,
    judge,
    load_pair_model,
    parse_roles,
)
from manysides.analyse.shared.embeddings import load_embedder
from manysides.model import Asserter, Claim, ConflictReason, Span


@pytest.fixture(scope="module")
def judged(nlp):
    embedder = load_embedder("tfidf")
    model = load_pair_model("tfidf")

    def run(a: str, b: str):
        views = []
        for n, text in enumerate((a, b)):
            claim = Claim(id=f"c{n}", span=Span(article_id=f"a{n}", start=0, end=len(text)),
                          asserter=Asserter(name=f"Outlet {n}", is_outlet_voice=True), outlet=f"Outlet {n}")
            views.append(make_view(claim, text))
        embeddings = np.asarray(embedder.encode([a, b]), dtype=np.float32)
        x, y = contexts(views, embeddings, embedder, nlp)
        return judge(x, y, model, structural=ContextDetector()), views

    return run


FALSE_CONFLICTS = {
    "agreement phrased with a negation": (
        "The only vote against the zoning plan came from councillor Mara Quist.",
        "Councillor Mara Quist was the lone opponent of the zoning plan."),
    "population vs people at an event": (
        "About 3,000 people attended the vigil in Dunmore, a town of 20,000 people.",
        "Some 20,000 people live in Dunmore, where the vigil was held."),
    "killed vs attending": (
        "Four people were killed when the stage collapsed at the Dunmore festival.",
        "About 900 people were attending the Dunmore festival when the stage collapsed."),
    "how long a shutdown lasted vs how long a deal runs": (
        "The shutdown of the port lasted 35 days before the agreement.",
        "The agreement that ended the port shutdown runs for 90 days."),
    "the length a sum pays for vs the length demanded": (
        "The settlement pays for six months of wages at the Harlow plant.",
        "Workers at the Harlow plant had demanded twelve months of wages."),
    "a long and a short form of one quote": (
        "\u201cWe did not come here to lose, we came to win this vote,\u201d Quist said.",
        "\u201cWe came to win this vote,\u201d Quist said."),
}


@pytest.mark.parametrize("kind", sorted(FALSE_CONFLICTS))
def test_kind_of_false_conflict_is_not_a_conflict(judged, kind):
    a, b = FALSE_CONFLICTS[kind]
    judgement, _ = judged(a, b)
    assert judgement.verdict is not Verdict.CONFLICT, (kind, judgement)


def test_the_old_rules_called_some_of_these_conflicts(judged):
    """The regression these tests guard: v0.1's structural rules flag the measure and quote cases."""
    old = StructuralConflictDetector()
    flagged = [kind for kind, (a, b) in FALSE_CONFLICTS.items() if old.find(*judged(a, b)[1]) is not None]
    assert len(flagged) >= 2, flagged


def test_different_counts_of_one_measure_conflict_on_number(judged):
    judgement, _ = judged("Four people were killed when the stage collapsed at the Dunmore festival.",
                          "Eleven people were killed when the stage collapsed at the Dunmore festival.")
    assert judgement.verdict is Verdict.CONFLICT
    assert judgement.conflict.reason is ConflictReason.NUMBER


def test_compatible_ranges_are_not_a_number_conflict(judged):
    judgement, _ = judged("More than 40 people were killed when the stage collapsed at the festival.",
                          "Forty-five people were killed when the stage collapsed at the festival.")
    assert judgement.verdict is not Verdict.CONFLICT


def test_one_statement_and_its_negation_conflict(judged):
    judgement, _ = judged("Mayor Ellen Voss signed the harbour bill on Monday.",
                          "Mayor Ellen Voss did not sign the harbour bill on Monday.")
    assert judgement.verdict is Verdict.CONFLICT
    assert judgement.conflict.reason is ConflictReason.NEGATION


def test_restatement_is_the_same_fact_and_unrelated_news_is_not(judged):
    same, _ = judged("Mayor Ellen Voss signed the harbour bill on Monday.",
                     "On Monday, Mayor Ellen Voss signed the harbour bill into law.")
    other, _ = judged("Mayor Ellen Voss signed the harbour bill on Monday.",
                      "Heavy rain closed three schools in the valley.")
    assert same.verdict is Verdict.SAME
    assert other.verdict is Verdict.UNRELATED
    assert same.p_same > other.p_same


def test_roles_read_through_reporting_verbs(nlp):
    roles = parse_roles(["Officials said the troops had not withdrawn from the town."], nlp)[0]
    assert roles.predicate == "withdraw" and roles.negated
    measures = parse_roles(["About 3,000 people attended the vigil in a town of 20,000 people."], nlp)[0]
    assert measures.measures["people"] >= {"attend"}
