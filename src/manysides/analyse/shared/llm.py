"""Optional fluent rewrite of the summary by an OpenAI-compatible chat endpoint.

The language model only ever *proposes*: each rewritten sentence must pass the
same verifier as the extractive one (every content word, number, name and
date found in the cited spans) and keep the sentence's attributions ("X says",
"Only <outlet> reports"). A sentence that fails keeps its extractive version and
``Summary.notes`` says why; if the endpoint fails altogether (HTTP error,
timeout, malformed JSON), the whole extractive summary is kept with one note.

Settings: ``llm_url`` (base URL; ``/chat/completions`` is appended),
``llm_model``, ``llm_api_key`` (optional bearer token), ``http_timeout``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from manysides.analyse.summary.verify import cited_texts, verify_sentence
from manysides.errors import LLMError
from manysides.model import Briefing, Summary, SummarySection, SummarySentence
from manysides.resources import Settings

SYSTEM_PROMPT = (
    "You edit news summaries. Rewrite each numbered sentence to read more fluently. "
    "Use only words, names, numbers and dates that appear in that sentence or in its sources; "
    "add no fact, no cause, no number, no adjective. Keep every attribution "
    "(\"X says\", \"According to X\", \"Only X reports\") exactly. "
    'Answer with JSON only: {"sentences": [{"index": 1, "text": "..."}, ...]}'
)
ATTEMPTS = 2  # one retry: a transient 5xx or timeout is common on self-hosted endpoints
_FENCE = re.compile(r"^\s*```(?:json)?\s*|\s*```\s*$")


def chat(settings: Settings, messages: list[dict[str, str]]) -> str:
    """POST to ``{llm_url}/chat/completions``; the first choice's message content."""
    import httpx

    url = settings.llm_url.rstrip("/") + "/chat/completions"
    headers = {"Content-Type": "application/json"}
    if settings.llm_api_key:
        headers["Authorization"] = f"Bearer {settings.llm_api_key}"
    payload = {"model": settings.llm_model, "messages": messages, "temperature": 0}
    problem = "no answer"
    for _ in range(ATTEMPTS):
        try:
            response = httpx.post(url, json=payload, headers=headers,
                                  timeout=settings.http_timeout)
        except httpx.TimeoutException:
            problem = f"timeout after {settings.http_timeout:g} s"
            continue
        except httpx.HTTPError as exc:
            problem = f"connection failed ({type(exc).__name__})"
            continue
        if response.status_code >= 500 or response.status_code == 429:
            problem = f"HTTP {response.status_code}"
            continue
        if response.status_code >= 400:
            raise LLMError(f"HTTP {response.status_code}")
        try:
            content = response.json()["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError):
            raise LLMError("malformed response (not an OpenAI chat completion)") from None
        if not isinstance(content, str):
            raise LLMError("malformed response (content is not text)")
        return content
    raise LLMError(problem)


def answer_items(content: str, key: str) -> list:
    """The list under ``key`` in the model's JSON answer (code fences and a bare list tolerated)."""
    try:
        data: Any = json.loads(_FENCE.sub("", content))
    except ValueError:
        raise LLMError("malformed JSON in the model's answer") from None
    items = data.get(key) if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise LLMError(f"malformed JSON in the model's answer (no {key!r} list)")
    return items


def parse_rewrites(content: str) -> dict[int, str]:
    """``{index: text}`` from the model's JSON answer (code fences tolerated)."""
    items = answer_items(content, "sentences")
    rewrites: dict[int, str] = {}
    for position, item in enumerate(items, 1):
        if isinstance(item, str):
            rewrites[position] = item
        elif isinstance(item, dict) and isinstance(item.get("text"), str):
            try:
                rewrites[int(item.get("index", position))] = item["text"]
            except (TypeError, ValueError):
                continue
    return rewrites


def required_attributions(sentence: SummarySentence, briefing: Briefing) -> list[str]:
    """Names (and the "Only" flag) in the extractive sentence that a rewrite must keep."""
    names = {c.outlet for c in sentence.citations}
    if sentence.claim_group_id is not None:
        claim_ids = next((set(g.claim_ids) for g in briefing.claim_groups
                          if g.id == sentence.claim_group_id), set())
        quotes = {q.id: q for q in briefing.quotes}
        for claim in briefing.claims:
            if claim.id in claim_ids:
                names.add(claim.asserter.name)
                if claim.quote_id in quotes:
                    names.add(quotes[claim.quote_id].speaker)
    lower = sentence.text.lower()
    required = sorted(n for n in names if n and n.lower() in lower)
    if sentence.section is SummarySection.SINGLE_SOURCE and sentence.text.startswith("Only "):
        required.append("Only")
    return required


def rewrite_summary(summary: Summary, briefing: Briefing, settings: Settings) -> Summary:
    """The summary with each sentence the model rewrote *and* the verifier accepted replaced."""
    request = [
        {"index": number, "sentence": sentence.text,
         "sources": cited_texts(sentence.citations, briefing)[0]}
        for number, sentence in enumerate(summary.sentences, 1)
    ]
    messages = [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": json.dumps({"sentences": request}, ensure_ascii=False)},
    ]
    notes = list(summary.notes)
    try:
        rewrites = parse_rewrites(chat(settings, messages))
    except LLMError as exc:
        notes.append(f"LLM rewrite unavailable ({exc}); extractive summary kept")
        return summary.model_copy(update={"notes": notes})

    sentences: list[SummarySentence] = []
    rejected = summary.rejected_candidates
    for number, sentence in enumerate(summary.sentences, 1):
        proposal = " ".join(rewrites.get(number, "").split())
        if not proposal:
            notes.append(f"sentence {number}: no LLM rewrite returned; extractive version kept")
            sentences.append(sentence)
            continue
        if proposal == sentence.text:
            sentences.append(sentence)
            continue
        result = verify_sentence(proposal, sentence.citations, briefing, group_id=sentence.claim_group_id)
        lost = [name for name in required_attributions(sentence, briefing)
                if name.lower() not in proposal.lower()]
        if result.ok and not lost:
            sentences.append(sentence.model_copy(update={"text": proposal, "method": "llm"}))
            continue
        rejected += 1
        reason = (f"unsupported: {', '.join(repr(w) for w in result.unsupported)}"
                  if not result.ok else f"attribution dropped: {', '.join(map(repr, lost))}")
        notes.append(f"sentence {number}: LLM rewrite rejected ({reason}); extractive version kept")
        sentences.append(sentence)
    accepted = sum(1 for s in sentences if s.method == "llm")
    notes.append(f"LLM rewrite ({settings.llm_model}): {accepted} of {len(sentences)} sentences "
                 "accepted by the verifier")
    return summary.model_copy(update={"sentences": sentences, "notes": notes,
                                      "rejected_candidates": rejected})
