"""The optional LLM pair judge, against a local server that answers by the claims' text.

The story is our own (a paper mill closing); the server plays a language model
that is sometimes right and sometimes not, and the structural checks decide
which answers count.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from manysides.analyse.alignment.group import align_claims
from manysides.analyse.alignment.llm_judge import PLAIN_REASON, parse_answers
from manysides.analyse.alignment.pairs import Verdict
from manysides.analyse.origins.detect import origins_stage
from manysides.analyse.shared.embeddings import load_embedder
from manysides.errors import LLMError
from manysides.model import Asserter, Briefing, Claim, ConflictReason, Span
from manysides.resources import Resources, Settings
from chat_server import ChatServer, completion
from test_origins import make_article

ARTICLES = {
    "Valley Post": ("The Harwick paper mill will close in March, its owners said on Monday. "
                    "The closure will cost 340 jobs. "
                    "The mill is closing because demand for newsprint has collapsed."),
    "Riverside Daily": ("Harwick's owners are shutting the plant for good next spring. "
                        "The shutdown puts 900 jobs at risk. "
                        "The mill is closing because its owners want to move production abroad."),
    "County Ledger": "A festival of river boats drew crowds to the harbour at the weekend.",
}
PARAPHRASE = ("The Harwick paper mill will close in March", "Harwick's owners are shutting the plant for good")
JOBS = ("The closure will cost 340 jobs", "The shutdown puts 900 jobs at risk")
CAUSES = ("demand for newsprint has collapsed", "move production abroad")


def mill_story() -> Briefing:
    articles = [make_article(text, outlet, "2026-11-02") for outlet, text in ARTICLES.items()]
    claims = []
    for article in articles:
        text = article.clean_text
        start = 0
        for sentence in text.split(". "):
            sentence = sentence.rstrip(".")
            begin = text.index(sentence, start)
            start = begin + len(sentence)
            claims.append(Claim(id=f"c{len(claims)}", outlet=article.outlet,
                                span=Span(article_id=article.id, start=begin, end=start),
                                asserter=Asserter(name=article.outlet, is_outlet_voice=True)))
    briefing = Briefing(id="mill", created_at=dt.datetime(2026, 11, 2), articles=articles, claims=claims)
    return origins_stage(briefing, Resources(Settings(embedder="tfidf")))


class JudgingServer(ChatServer):
    """An OpenAI-compatible endpoint whose answer for each pair comes from ``rule(A, B)``."""

    def __init__(self, rule, *, status: int = 200):
        self.rule, self.status, self.pairs_seen = rule, status, []
        super().__init__()

    def respond(self, body: dict) -> tuple[int, str, float]:
        pairs = json.loads(body["messages"][1]["content"])["pairs"]
        self.pairs_seen += [(p["A"], p["B"]) for p in pairs]
        answers = [{"index": p["index"], **self.rule(p["A"], p["B"])} for p in pairs]
        return self.status, completion(json.dumps({"pairs": answers})), 0.0

    def settings(self, **changes) -> Settings:
        return Settings(embedder="tfidf", llm_url=self.url, llm_model="tiny", http_timeout=5.0, **changes)


def both(pair: tuple[str, str], a: str, b: str) -> bool:
    return (pair[0] in a and pair[1] in b) or (pair[0] in b and pair[1] in a)


def group_with(groups, briefing: Briefing, fragment: str):
    ids = {c.id for c in briefing.claims if fragment in briefing.text(c.span)}
    return next(g for g in groups if ids & set(g.claim_ids))


@pytest.fixture
def serve():
    servers = []

    def start(rule, **kwargs):
        servers.append(JudgingServer(rule, **kwargs))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def test_a_paraphrase_the_endpoint_calls_the_same_fact_is_grouped(serve):
    server = serve(lambda a, b: {"verdict": "same" if both(PARAPHRASE, a, b) else "related"})
    briefing = mill_story()
    groups, stats = align_claims(briefing, load_embedder("tfidf"), llm=server.settings())
    assert any(both(PARAPHRASE, a, b) for a, b in server.pairs_seen), "the undecided paraphrase was not asked"
    merged = group_with(groups, briefing, PARAPHRASE[0])
    assert merged is group_with(groups, briefing, PARAPHRASE[1])
    assert merged.independent_origin_count == 2 and merged.status == "corroborated"
    assert stats.llm_pairs_asked == len(server.pairs_seen) and stats.llm_pairs_changed >= 1
    from manysides.report import render_markdown

    shown = render_markdown(briefing.model_copy(update={"claim_groups": groups, "alignment": stats}))
    assert f"judged {stats.llm_pairs_asked} undecided claim pairs; {stats.llm_pairs_changed} of" in shown


def test_same_answers_that_fail_the_structural_checks_are_refused(serve):
    server = serve(lambda a, b: {"verdict": "same"})  # a model that merges everything
    briefing = mill_story()
    groups, stats = align_claims(briefing, load_embedder("tfidf"), llm=server.settings())
    # 340 vs 900 jobs: one measure, two figures; never one fact, whatever the endpoint says
    assert group_with(groups, briefing, JOBS[0]) is not group_with(groups, briefing, JOBS[1])
    # the boat festival shares nothing with the mill
    festival = group_with(groups, briefing, "river boats")
    assert festival.claim_ids == [c.id for c in briefing.claims if "river boats" in briefing.text(c.span)]


def test_a_conflict_answer_links_the_groups_with_a_reason_made_of_their_words(serve):
    def rule(a, b):
        if both(CAUSES, a, b):
            return {"verdict": "conflict", "kind": "explanation",
                    "reason": "collapsed demand for newsprint versus a move of production abroad"}
        return {"verdict": "related"}

    server = serve(rule)
    briefing = mill_story()
    groups, _ = align_claims(briefing, load_embedder("tfidf"), llm=server.settings())
    first, second = (group_with(groups, briefing, c) for c in CAUSES)
    assert first is not second and first.status == "contested"
    conflict = next(c for c in first.conflicts if c.group_id == second.id)
    assert conflict.reason is ConflictReason.EXPLANATION
    assert "newsprint" in conflict.detail and "abroad" in conflict.detail


def test_a_reason_with_words_from_nowhere_gets_the_plain_wording(serve):
    def rule(a, b):
        if both(CAUSES, a, b):
            return {"verdict": "conflict", "kind": "explanation",
                    "reason": "the owners secretly bribed the regulator"}
        return {"verdict": "unrelated"}

    server = serve(rule)
    briefing = mill_story()
    groups, _ = align_claims(briefing, load_embedder("tfidf"), llm=server.settings())
    conflict = next(c for c in group_with(groups, briefing, CAUSES[0]).conflicts)
    assert "bribed" not in conflict.detail
    assert PLAIN_REASON[ConflictReason.EXPLANATION] in conflict.detail


def test_a_conflict_between_unrelated_claims_is_refused(serve):
    server = serve(lambda a, b: {"verdict": "conflict", "kind": "state", "reason": "they disagree"})
    briefing = mill_story()
    groups, _ = align_claims(briefing, load_embedder("tfidf"), llm=server.settings())
    assert not group_with(groups, briefing, "river boats").conflicts


@pytest.mark.parametrize("status", [500, 404])
def test_a_failing_endpoint_leaves_the_pair_models_groups_and_says_so(serve, status):
    server = serve(lambda a, b: {"verdict": "same"}, status=status)
    briefing = mill_story()
    plain, _ = align_claims(briefing, load_embedder("tfidf"))
    groups, stats = align_claims(briefing, load_embedder("tfidf"), llm=server.settings())
    assert [g.claim_ids for g in groups] == [g.claim_ids for g in plain]
    assert stats.llm_pairs_changed == 0 and stats.llm_pairs_asked == 0
    assert any("LLM pair judge unavailable" in n and f"HTTP {status}" in n for n in stats.notes)


def test_llm_pairs_zero_asks_nothing(serve):
    server = serve(lambda a, b: {"verdict": "same"})
    align_claims(mill_story(), load_embedder("tfidf"), llm=server.settings(llm_pairs=0))
    assert server.pairs_seen == []


def test_answers_are_read_leniently_and_malformed_ones_refused():
    fenced = '```json\n{"pairs": [{"index": 2, "verdict": "Conflict", "kind": "odd"}, {"verdict": "maybe"}]}\n```'
    answers = parse_answers(fenced)
    assert answers[2].verdict is Verdict.CONFLICT and answers[2].kind is ConflictReason.MODEL
    assert 1 not in answers and len(answers) == 1
    with pytest.raises(LLMError):
        parse_answers("I think they are the same.")


def test_the_report_says_what_the_pair_judge_did_and_why_it_could_not(serve):
    from manysides.report import render_html, render_markdown

    server = serve(lambda a, b: {"verdict": "same"}, status=500)
    briefing = mill_story()
    groups, stats = align_claims(briefing, load_embedder("tfidf"), llm=server.settings())
    done = briefing.model_copy(update={"claim_groups": groups, "alignment": stats})
    for text in (render_markdown(done), render_html(done)):
        assert "LLM pair judge unavailable" in text and "HTTP 500" in text
    plain = briefing.model_copy(update={"claim_groups": groups, "alignment": stats.model_copy(
        update={"llm_pairs_asked": 0, "notes": []})})
    assert "LLM pair judge" not in render_markdown(plain)


def test_the_command_line_hands_the_pair_judge_its_endpoint_and_degrades_cleanly(tmp_path):
    from typer.testing import CliRunner

    from manysides.cli import app

    story = tmp_path / "mill"
    story.mkdir()
    for n, text in enumerate(ARTICLES.values()):
        (story / f"outlet{n}.txt").write_text(text + "\n", encoding="utf-8")
    out = tmp_path / "b.md"
    # a port nobody listens on: the endpoint is down
    args = ["analyze", str(story), "--no-store", "--title", "mill", "--date", "2026-11-02",
            "--embedder", "tfidf", "--llm-url", "http://127.0.0.1:9/v1", "--llm-pairs", "5", "-o", str(out)]
    result = CliRunner().invoke(app, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "LLM pair judge unavailable" in out.read_text(encoding="utf-8")
