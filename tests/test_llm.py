"""The optional LLM rewrite, against a local HTTP server with canned (good and bad) answers."""

from __future__ import annotations

import importlib.util
import json
import time
from pathlib import Path

import pytest

from manysides.analyse.shared.llm import rewrite_summary
from manysides.analyse.summary.build import summary_stage
from manysides.analyse.summary.verify import verify_sentence
from manysides.resources import Resources, Settings
from chat_server import ChatServer, completion

_spec = importlib.util.spec_from_file_location(
    "summary_story", Path(__file__).parent / "fixtures" / "summary" / "story.py")
story = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(story)


class CannedServer(ChatServer):
    """Answers each POST with the next canned (status, body, delay)."""

    def __init__(self):
        self.answers: list[tuple[int, str, float]] = []
        super().__init__()

    def respond(self, body: dict) -> tuple[int, str, float]:
        return self.answers.pop(0) if self.answers else (500, "", 0)

    def answer(self, content: str, *, status: int = 200, delay: float = 0.0):
        self.answers.append((status, completion(content), delay))


@pytest.fixture
def server():
    canned = CannedServer()
    yield canned
    canned.close()


@pytest.fixture(scope="module")
def extractive():
    return summary_stage(story.build_story(), Resources(Settings(embedder="tfidf")))


def settings_for(server: CannedServer, **overrides) -> Settings:
    return Settings(embedder="tfidf", llm_url=server.url, llm_model="tiny",
                    llm_api_key="k-test", **{"http_timeout": 5.0, **overrides})


def rewrites(*texts: str) -> str:
    return json.dumps({"sentences": [{"index": i, "text": t} for i, t in enumerate(texts, 1)]})


def test_verified_rewrite_is_accepted(server, extractive):
    summary = extractive.summary
    first = summary.sentences[0].text  # "Ukrainian troops entered Kupiansk on Saturday."
    proposal = "On Saturday, Ukrainian troops entered Kupiansk."
    server.answer(rewrites(proposal, *[s.text for s in summary.sentences[1:]]))
    out = rewrite_summary(summary, extractive, settings_for(server))
    assert first.startswith("Ukrainian troops entered Kupiansk")
    assert out.sentences[0].text == proposal and out.sentences[0].method == "llm"
    assert all(s.method == "extractive" for s in out.sentences[1:])  # unchanged text
    assert verify_sentence(out.sentences[0].text, out.sentences[0].citations, extractive).ok
    request = server.requests[0]
    assert request["path"] == "/v1/chat/completions" and request["auth"] == "Bearer k-test"
    assert request["body"]["model"] == "tiny"


def test_invented_fact_is_rejected_with_a_note(server, extractive):
    summary = extractive.summary
    texts = [s.text for s in summary.sentences]
    texts[2] = texts[2].replace("fled Izium", "fled Izium and 40 soldiers were killed")
    server.answer(rewrites(*texts))
    out = rewrite_summary(summary, extractive, settings_for(server))
    assert out.sentences[2] == summary.sentences[2]
    assert out.rejected_candidates == summary.rejected_candidates + 1
    note = next(n for n in out.notes if n.startswith("sentence 3:"))
    assert "LLM rewrite rejected" in note and "'killed'" in note and "'40'" in note


def test_dropped_attribution_is_rejected(server, extractive):
    summary = extractive.summary
    contested = next(i for i, s in enumerate(summary.sentences) if s.section.value == "contested")
    texts = [s.text for s in summary.sentences]
    # Every word is in the sources, but the asserters are gone.
    texts[contested] = "Russian troops fled Izium; troops were regrouping near Donetsk."
    server.answer(rewrites(*texts))
    out = rewrite_summary(summary, extractive, settings_for(server))
    assert out.sentences[contested] == summary.sentences[contested]
    assert any("attribution dropped" in n for n in out.notes)


@pytest.mark.parametrize("status, body, expected", [
    (500, "oops", "HTTP 500"),
    (200, "not json at all", "malformed response"),
    (200, json.dumps({"choices": [{"message": {"content": "Sure! Here you go."}}]}),
     "malformed JSON"),
    (404, "", "HTTP 404"),
])
def test_bad_endpoint_keeps_the_extractive_summary(server, extractive, status, body, expected):
    server.answers += [(status, body, 0.0)] * 2
    out = rewrite_summary(extractive.summary, extractive, settings_for(server))
    assert out.sentences == extractive.summary.sentences
    assert any(expected in n and "extractive summary kept" in n for n in out.notes)
    assert len(server.requests) == (2 if status >= 500 else 1)  # one retry, only for 5xx


def test_server_error_then_success_is_retried(server, extractive):
    server.answers.append((503, "", 0.0))
    server.answer(rewrites(*[s.text for s in extractive.summary.sentences]))
    out = rewrite_summary(extractive.summary, extractive, settings_for(server))
    assert len(server.requests) == 2
    assert not any("unavailable" in n for n in out.notes)


def test_timeout_degrades_cleanly(server, extractive):
    server.answer(rewrites("x"), delay=1.0)
    server.answer(rewrites("x"), delay=1.0)
    started = time.monotonic()
    out = rewrite_summary(extractive.summary, extractive, settings_for(server, http_timeout=0.2))
    assert time.monotonic() - started < 1.5
    assert out.sentences == extractive.summary.sentences
    assert any("timeout" in n for n in out.notes)


def test_stage_uses_the_endpoint_when_configured(server):
    briefing = story.build_story()
    plain = summary_stage(briefing, Resources(Settings(embedder="tfidf")))
    texts = [s.text for s in plain.summary.sentences]
    texts[0] = "On Saturday, Ukrainian troops entered Kupiansk."
    server.answer(rewrites(*texts))
    out = summary_stage(briefing, Resources(settings_for(server)))
    assert [s.method for s in out.summary.sentences].count("llm") == 1
    assert any("1 of" in n for n in out.summary.notes)
    for sentence in out.summary.sentences:
        assert verify_sentence(sentence.text, sentence.citations, out).ok
